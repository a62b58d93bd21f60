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

/** The TypeScript value of each parameter kind. */
export type ParamValues<P extends ParamSchema> = {
  [K in keyof P]: P[K]['type'] extends 'number' | 'int' ? number
    : P[K]['type'] extends 'boolean' ? boolean
    : P[K]['type'] extends 'string' ? string
    : P[K]['type'] extends 'numbers' ? number[]
    : unknown;
};

/**
 * Port value types by name. Families add their own by declaration merging:
 * `declare module '../../src/node.ts' { interface PortTypes { mlp: MlpSnapshot } }`.
 * Type names are checked edge by edge at validation; see `isAssignable`.
 */
export interface PortTypes {
  any: unknown;
  tensor: tf.Tensor;
  matrix: tf.Tensor2D;
  vector: tf.Tensor1D;
  scalar: tf.Scalar;
  number: number;
  numbers: number[];
  /** A float64 matrix on the CPU (spectra, exact solutions). */
  matrix64: import('./linalg/matrix.ts').Matrix64;
}

export interface PortSpec {
  type: keyof PortTypes & string;
  doc: string;
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

export type PortValues<M extends PortMap> = { [K in keyof M]: PortTypes[M[K]['type']] };

/** What a generator yields each step. `out` emits on stream ports; `total` drives progress. */
export interface Step<O extends PortMap = PortMap> {
  step: number;
  total?: number;
  out?: Partial<PortValues<O>>;
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
  /** Emit a metric event. `step` defaults to `ctx.step`. Tensors are read synchronously. */
  metric(name: string, value: MetricValue, step?: number | null): void;
  /** A line for the console sink (not a metric). */
  log(message: string): void;
}

export interface RunArgs<P extends ParamSchema, I extends PortMap> {
  params: ParamValues<P>;
  inputs: PortValues<I>;
  ctx: NodeContext;
}

export type RunResult<O extends PortMap> =
  | Partial<PortValues<O>>
  | Generator<Step<O>, Partial<PortValues<O>> | void, void>;

export interface NodeDef<P extends ParamSchema = ParamSchema, I extends PortMap = PortMap, O extends PortMap = PortMap> {
  /** `family.name`, e.g. `wn.symmetricNoise`; the file is `nodes/wn/symmetricNoise.ts`. */
  type: string;
  /** One paragraph: what it computes, and from what. */
  doc: string;
  params: P;
  inputs: I;
  outputs: O;
  /**
   * Cross-parameter checks run at validation time (after single-parameter checks pass).
   * Return one message per problem, e.g. `'m must be smaller than n (got m=60, n=50)'`.
   */
  check?: (params: ParamValues<P>) => string[];
  run(args: RunArgs<P, I>): RunResult<O>;
}

/** Identity with inference: `export const foo = defineNode({ ... })` types `params`/`inputs` in `run`. */
export function defineNode<P extends ParamSchema, I extends PortMap, O extends PortMap>(def: NodeDef<P, I, O>): NodeDef<P, I, O> {
  return def;
}

/** Any node definition, as the registry and the engine see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDef = NodeDef<any, any, any>;
