/**
 * The contract between the engine and a node type.
 *
 * A node type is one plain object: a parameter schema, typed input and output ports, and a
 * synchronous `run`. Three kinds of node come out of that one shape:
 *
 * - **value node** — `run` returns its outputs once (a Wn builder, a data set, a probe).
 * - **generator node** — `run` is a generator function (`function*`). Each `yield {step, out}`
 *   is one step; `out` (optional) emits on the node's `stream: true` ports, and the value the
 *   generator `return`s fills its value ports. A trainer is a generator node.
 * - **lifted node** — any value node whose input is wired to a stream port. The engine runs it
 *   once per stream item (with `ctx.step` set), and its outputs become streams too. A spectral
 *   probe on a training snapshot is a lifted node.
 *
 * `run` never has to dispose anything it returns, nor call `tf.tidy`: the engine runs every call
 * (and every generator step) inside a tensor scope, keeps what the node returns, and disposes it
 * after the last consumer. State a generator carries across `yield`s must be a `tf.Variable` or
 * `tf.keep()`-ed, and is disposed by the generator itself in a `finally` block.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from './rng.ts';

/** Parameter schema entries. `default` makes a parameter optional. */
export type ParamSpec =
  | { type: 'number'; doc: string; default?: number; min?: number; max?: number; exclusiveMin?: boolean }
  | { type: 'int'; doc: string; default?: number; min?: number; max?: number }
  | { type: 'boolean'; doc: string; default?: boolean }
  | { type: 'string'; doc: string; default?: string; oneOf?: readonly string[] }
  | { type: 'numbers'; doc: string; default?: readonly number[]; min?: number; max?: number; minLength?: number }
  | { type: 'json'; doc: string; default?: unknown };

export type ParamSchema = Record<string, ParamSpec>;

/**
 * The TypeScript value of one parameter: a number, a boolean, a string (the union of its `oneOf`
 * values when it has them: `defineNode` infers them as literals), a number list, or `unknown`.
 */
export type ParamValue<S extends ParamSpec> = S['type'] extends 'number' | 'int' ? number
  : S['type'] extends 'boolean' ? boolean
  : S['type'] extends 'string' ? (S extends { oneOf: readonly (infer U extends string)[] } ? U : string)
  : S['type'] extends 'numbers' ? number[]
  : unknown;

/** The TypeScript value of each parameter kind. */
export type ParamValues<P extends ParamSchema> = { [K in keyof P]: ParamValue<P[K]> };

/**
 * Port value types by name. Families add their own by declaration merging:
 * `declare module '../../src/node.ts' { interface PortTypes { mlp: MlpSnapshot } }`.
 * Type names are checked edge by edge at validation; see `isAssignable`.
 */
export interface PortTypes {
  any: unknown;
  tensor: tf.Tensor;
  /**
   * A matrix. Its representation follows the port's `precision`: `float32` (the default) is a
   * rank-2 tf tensor, `float64` a CPU `Matrix64`. Ports of either precision connect; the engine
   * converts at the edge, once per value, and owns the converted copy like any other value.
   */
  matrix: tf.Tensor2D;
  vector: tf.Tensor1D;
  scalar: tf.Scalar;
  number: number;
  numbers: number[];
}

/** The precision a `matrix` port computes in: float32 on tfjs tensors, float64 on the CPU. */
export type Precision = 'float32' | 'float64';

export interface PortSpec {
  type: keyof PortTypes & string;
  doc: string;
  /** `matrix` ports only: the representation the node receives (input) or returns (output). Default float32. */
  precision?: Precision;
  /** Output only: the port emits once per generator step instead of once per run. */
  stream?: boolean;
  /** Input only: the node runs without it. */
  optional?: boolean;
  /** Static shape from the node's resolved params; `null` is any size. Checked across edges. */
  shape?: (params: any) => (number | null)[];
  /** Input only: dtype required of a tensor value. */
  dtype?: 'float32' | 'int32' | 'bool';
}

export type PortMap = Record<string, PortSpec>;

type Matrix64 = import('@eigenflow/linalg').Matrix64;

/** The TypeScript value of a port: its `PortTypes` entry, except float64 matrices are `Matrix64`. */
export type PortValue<S extends PortSpec> = S['type'] extends 'matrix'
  ? (S['precision'] extends 'float64' ? Matrix64 : tf.Tensor2D)
  : PortTypes[S['type']];

export type PortValues<M extends PortMap> = { [K in keyof M]: PortValue<M[K]> };

/**
 * What `run` may return on a port: its `PortValue`, except that a tensor-valued port takes any
 * `tf.Tensor` (tfjs ops are typed `Tensor<Rank>`, so `tf.mul(x, 2)` is not a `Tensor2D` to the
 * compiler); the engine checks the rank of a returned matrix at run time.
 */
export type OutputValue<S extends PortSpec> = PortValue<S> extends tf.Tensor ? tf.Tensor : PortValue<S>;

export type OutputValues<M extends PortMap> = { [K in keyof M]: OutputValue<M[K]> };

/**
 * What a metric holds. `scalar`: one number. `array`: a rank-ordered vector such as a spectrum
 * (drawn log-log against rank). `series`: an indexed sequence such as a kernel or per-feature
 * values (drawn against its index, index 0 included). `matrix`: a row-major matrix (a heatmap;
 * square unless the plot gives its width as `cols`).
 */
export type MetricKind = 'scalar' | 'array' | 'series' | 'matrix';

export interface MetricSpec {
  kind: MetricKind;
  doc: string;
  unit?: string;
  /**
   * When it is emitted: `step` — by a generator, once per training step; `once` — once per run,
   * whatever the wiring; `call` (default) — once per call of the node: once per run for a value
   * node, once per streamed step when the node is lifted onto a stream.
   */
  when?: 'step' | 'once' | 'call';
  /**
   * A NaN or infinite value stops the run as `diverged`. Default: true for a scalar named `loss`
   * or ending in `_loss`, false otherwise; declare it to watch another metric (a gradient norm)
   * or to let a loss pass through NaN.
   */
  divergence?: boolean;
}

/**
 * Declared metrics by name. A name may contain one `*`, matching any run of characters
 * (`alpha_*` declares `alpha_fc1`, `alpha_fc2`, …) for metrics named after data.
 */
export type MetricMap = Record<string, MetricSpec>;

/** Files a node writes into the run directory through `ctx.artifact`, by relative path (one `*` allowed). */
export type ArtifactMap = Record<string, { doc: string }>;

/** A node's resource estimate from its resolved params: peak bytes it allocates, optionally seconds. */
export interface CostEstimate {
  bytes: number;
  seconds?: number;
}

/** What a generator yields each step. `out` emits on stream ports; `total` drives progress. */
export interface Step<O extends PortMap = PortMap> {
  step: number;
  total?: number;
  out?: Partial<OutputValues<O>>;
}

export type MetricValue = number | readonly number[] | Float32Array | Float64Array | tf.Tensor;

export interface NodeContext {
  /** The node's id in the graph. */
  readonly id: string;
  readonly type: string;
  /** This node's own random stream, derived from the run seed and the node id. */
  readonly rng: Rng;
  /** Step of the stream item being processed (lifted nodes), else null. */
  readonly step: number | null;
  readonly signal: AbortSignal;
  /**
   * Emit a metric event. `step` defaults to the current step: `ctx.step` on a stream, and in a
   * generator the step of its next `yield` (a `when: 'once'` metric, or one emitted after the last
   * yield, is a one-off, `step: null`; a `when: 'step'` metric with no step fails the node).
   * Tensors are read synchronously. The name must be declared in the node's `metrics`; an
   * undeclared name fails the node.
   */
  metric(name: string, value: MetricValue, step?: number | null): void;
  /**
   * Write a file into the run directory (a table, a per-layer figure). `path` is relative and
   * must match a declared `artifacts` entry. Without an output directory it is a no-op.
   */
  artifact(path: string, content: string | Uint8Array): void;
  /** A line for the console sink (not a metric). */
  log(message: string): void;
  /**
   * Set only in the call of a `members: 'batched'` node, which computes several members (copies
   * of the run with other seeds or parameters) at once. In that call `ctx.rng` and `ctx.metric`
   * throw: every draw and metric belongs to one member, through `members.rng[k]` and
   * `members.metric(k, …)`.
   */
  readonly members?: MembersContext;
}

/**
 * What a batched node knows about the members of its call. Member k (0 ≤ k < count) is the k-th
 * slice of every tensor's leading axis and the k-th entry of every per-member array.
 */
export interface MembersContext {
  readonly count: number;
  /** Member k's resolved parameters (all members agree on the ones not listed in `memberParams`). */
  readonly params: readonly Readonly<Record<string, unknown>>[];
  /**
   * Member k's random stream: exactly the stream `ctx.rng` is for this node in a separate run with
   * member k's seed, so drawing from it in the same order reproduces that run.
   */
  readonly rng: readonly Rng[];
  /** Emit a metric of member k, as `ctx.metric` does in a separate run. */
  metric(k: number, name: string, value: MetricValue, step?: number | null): void;
}

export interface RunArgs<P extends ParamSchema, I extends PortMap> {
  params: ParamValues<P>;
  inputs: PortValues<I>;
  ctx: NodeContext;
}

export type RunResult<O extends PortMap> =
  | Partial<OutputValues<O>>
  | Generator<Step<O>, Partial<OutputValues<O>> | void, void>;

export interface NodeDef<
  P extends ParamSchema = ParamSchema, I extends PortMap = PortMap, O extends PortMap = PortMap,
  T extends string = string, M extends MetricMap = MetricMap,
> {
  /** `family.name`, e.g. `wn.symmetric`; the file is `nodes/wn/symmetric.ts`. */
  type: T;
  /** One paragraph: what it computes, and from what. */
  doc: string;
  params: P;
  inputs: I;
  outputs: O;
  /**
   * Every metric `run` may emit (`ctx.metric`), by name; emitting any other fails the node. Listed
   * by `eigenflow nodes`; plots are checked against it. `{}` for a node that emits none.
   */
  metrics: M;
  /** Every file `run` may write (`ctx.artifact`); writing any other fails the node. */
  artifacts?: ArtifactMap;
  /** Resource estimate from the resolved params; validation sums it over the graph and refuses what cannot fit. */
  cost?: (params: ParamValues<P>) => CostEstimate;
  /**
   * Cross-parameter checks run at validation time (after single-parameter checks pass).
   * Return one message per problem, e.g. `'m must be smaller than n (got m=60, n=50)'`.
   */
  check?: (params: ParamValues<P>) => string[];
  /**
   * How the node takes the members of a member run (`eigenflow run --members`). Absent: the
   * engine calls it once per member, as in a separate run. `batched`: one call computes several
   * members: `ctx.members` is set, every tf.Tensor in its inputs and outputs carries a leading
   * member axis (objects holding tensors, like a model {W1, W2}, hold stacked tensors), and every
   * value without tensors (a distribution, an optimizer description, a float64 matrix, a number)
   * is an array with one entry per member. A batched node is always called in that form; in a
   * plain run, or when it runs for one member, count is 1 and the engine adds and removes the axis.
   */
  members?: 'batched';
  /**
   * Batched nodes: parameters that may differ between the members of one call. In `params` such
   * a parameter is the array of member values when the members differ in it (its value when
   * they agree); members that differ in any other parameter are computed in separate calls.
   */
  memberParams?: readonly (keyof P & string)[];
  run(args: RunArgs<P, I>): RunResult<O>;
}

/**
 * Identity with inference: `export const foo = defineNode({ ... })` types `params`/`inputs` in
 * `run`, and keeps what the graph builder checks at compile time — the literal `type`, each
 * parameter's kind and `oneOf` values (as a string-literal union), the ports and metric names.
 */
export function defineNode<
  const T extends string, const P extends ParamSchema, I extends PortMap, O extends PortMap, M extends MetricMap,
>(def: NodeDef<P, I, O, T, M>): NodeDef<P, I, O, T, M> {
  return def;
}

/** Any node definition, as the registry and the engine see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDef = NodeDef<any, any, any>;


/** `{ [type]: definition }` for a list of node definitions, for extending `NodeTypes`. */
export type NodeTypesOf<Defs extends readonly AnyNodeDef[]> = { [D in Defs[number] as D['type']]: D };
