/**
 * What the graph builder checks at compile time, from the `NodeTypes` map: node type names,
 * each type's parameters (kind, `oneOf` values, required or defaulted), `"$param"` references to
 * the graph's parameters, input port names, `node.port` references to nodes added before, and
 * plot references to declared metrics of the right kind. Types only; validation checks the same
 * things (and more) at run time, for JSON graphs and untyped JavaScript.
 */
import type { NodeTypes } from '../index.ts';
import type { AnyNodeDef, MetricKind } from '../node.ts';
import type { PlotSpec } from './spec.ts';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The type names `NodeTypes` knows (the library's once `eigenflow/nodes` is imported, and a project's own). */
type RegisteredNodeType = keyof NodeTypes & string;

/** A node type name the builder accepts: one `NodeTypes` knows, or any string while it knows none. */
export type NodeTypeName = [RegisteredNodeType] extends [never] ? string : RegisteredNodeType;

/** The definition behind a type name (or a definition passed as is). */
export type DefOf<T> = T extends RegisteredNodeType ? (NodeTypes[T] extends AnyNodeDef ? NodeTypes[T] : AnyNodeDef)
  : T extends AnyNodeDef ? T : AnyNodeDef;

/** Graph parameters as the builder knows them; a string index when they come from a spec read at run time. */
export type GraphParams = Record<string, unknown>;
/** Node id → definition of the nodes added so far; a string index when they come from a spec. */
export type BuiltNodes = Record<string, AnyNodeDef>;

/** `"$name"` for each graph parameter whose value fits `V` (any `"$…"` when the parameters are not known statically). */
export type ParamRef<GP, V> = string extends keyof GP ? `$${string}`
  : { [K in keyof GP & string]: GP[K] extends V ? `$${K}` : never }[keyof GP & string];

/** What a parameter accepts in the builder: its value (a `oneOf` value for choices) or a fitting `"$param"`. */
type ParamInput<S> = S extends { type: 'number' | 'int' } ? number
  : S extends { type: 'boolean' } ? boolean
  : S extends { type: 'string' } ? (S extends { oneOf: readonly (infer U extends string)[] } ? U : string)
  : S extends { type: 'numbers' } ? readonly number[]
  : unknown;

type HasDefault<S> = S extends { default: unknown } ? true : false;

/**
 * A node's `params` argument: parameters without a default are required, the others optional;
 * each takes its value or a fitting `"$param"` (written out, not as an alias, so the editor shows
 * `number | "$n"`).
 */
export type NodeParams<D extends AnyNodeDef, GP> = IsAny<D['params']> extends true ? Record<string, unknown> : Simplify<
  { [K in keyof D['params'] as HasDefault<D['params'][K]> extends true ? never : K]: ParamInput<D['params'][K]> | ParamRef<GP, ParamInput<D['params'][K]>> }
  & { [K in keyof D['params'] as HasDefault<D['params'][K]> extends true ? K : never]?: ParamInput<D['params'][K]> | ParamRef<GP, ParamInput<D['params'][K]>> }>;

/** True when a node type can be added without a `params` argument. */
export type ParamsOptional<D extends AnyNodeDef> = IsAny<D['params']> extends true ? true
  : { [K in keyof D['params']]: HasDefault<D['params'][K]> }[keyof D['params']] extends true ? true : false;

/** `"node"` or `"node.port"` naming an output of a node added before. */
export type OutputRef<N> = string extends keyof N ? string
  : { [Id in keyof N & string]: Id | `${Id}.${N[Id] extends AnyNodeDef ? keyof N[Id]['outputs'] & string : string}` }[keyof N & string];

/** A node's `inputs` argument: its own input ports, each wired to an output of a node added before. */
export type NodeInputs<D extends AnyNodeDef, N> = IsAny<D['inputs']> extends true ? Record<string, string>
  : { [K in keyof D['inputs']]?: OutputRef<N> };

/** A declared metric name as emitted: a pattern's `*` stands for any text. */
type Emitted<Name extends string> = Name extends `${infer H}*${infer T}` ? `${H}${string}${T}` : Name;
type MetricsOfKind<M, K> = IsAny<M> extends true ? string : string extends keyof M ? string
  : { [Name in keyof M & string]: M[Name] extends { kind: K } ? Emitted<Name> : never }[keyof M & string];

/** `"node.metric"` for every declared metric of kind `K` of the nodes added so far. */
export type MetricRef<N, K extends MetricKind> = string extends keyof N ? `${string}.${string}`
  : { [Id in keyof N & string]: `${Id}.${N[Id] extends AnyNodeDef ? MetricsOfKind<N[Id]['metrics'], K> : string}` }[keyof N & string];

/** The metric kinds each kind of plot draws: lines draw scalars; spectra, stems and heatmaps draw arrays. */
export type ArrayKind = Exclude<MetricKind, 'scalar'>;

type PlotBase = Omit<PlotSpec, 'y' | 'spectrum' | 'heatmap' | 'series'>;
/** A plot whose metric references name declared metrics of a kind the plot can draw. */
export type TypedPlot<N> = PlotBase & (
  | { y: MetricRef<N, 'scalar'>[]; spectrum?: never; heatmap?: never; series?: never }
  | { spectrum: MetricRef<N, ArrayKind>; y?: never; heatmap?: never; series?: never }
  | { heatmap: MetricRef<N, ArrayKind>; y?: never; spectrum?: never; series?: never }
  | { series: MetricRef<N, ArrayKind>; y?: never; spectrum?: never; heatmap?: never });

/** The arguments after `(id, type)`: `params` (required when the type has parameters without defaults), `inputs`, options. */
export type NodeArgs<D extends AnyNodeDef, GP, N> = ParamsOptional<D> extends true
  ? [params?: NodeParams<D, GP>, inputs?: NodeInputs<D, N>, options?: NodeOptions<GP>]
  : [params: NodeParams<D, GP>, inputs?: NodeInputs<D, N>, options?: NodeOptions<GP>];

export interface NodeOptions<GP> {
  /** For a node fed by a stream: run only on steps divisible by `every` (a number or `"$param"`). */
  every?: number | ParamRef<GP, number>;
}
