/**
 * Tensor ownership. The engine owns every tensor a node returns: it runs each node call in a
 * tensor scope, keeps what is returned, and counts references so that a tensor passed through
 * two ports (or returned unchanged from an input) is disposed exactly once, after its last owner
 * lets go. Variables belong to the node that made them and are never disposed here.
 *
 * The reference table is a `TensorRefs` object, one per run (and one per `runNode` call): two
 * runs in one process never see each other's counts. Releasing a tensor this table does not hold
 * is an engine bug and throws instead of disposing a tensor someone else may own.
 *
 * Nodes' own mistakes are caught here too, for every call the scheduler makes (`runScoped` with
 * the call's site): a node that disposes a tensor the engine holds (one it was handed, or another
 * node's output) fails at once (the scheduler names it and its step), instead of a later consumer failing with a
 * tfjs error naming no one; and each node's balance of tensors it made and did not give to the
 * engine (tf.keep, tf.Variable) is counted, so a node that ends holding some is named (`leaks`).
 */
import * as tf from '@tensorflow/tfjs';

/** Every tensor in a port value: tensors, arrays and plain objects of them. Typed arrays are skipped. */
export function collectTensors(value: unknown, out: tf.Tensor[] = [], seen = new Set<unknown>()): tf.Tensor[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    if (!(value instanceof tf.Variable)) out.push(value);
    return out;
  }
  if (ArrayBuffer.isView(value)) return out;
  if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, out, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, out, seen);
  }
  return out;
}

const describe = (t: tf.Tensor): string => `tensor #${t.id} [${t.shape.join('×')}] ${t.dtype}`;

/** Which node call a scoped call is, for the checks on nodes' own tensors. */
export interface CallSite { node: string }

/** Reference counts of the tensors one run owns, by tensor id. */
export class TensorRefs {
  private readonly counts = new Map<number, number>();
  /** The tensors counted, to notice one disposed behind the engine's back. */
  private readonly held = new Map<number, tf.Tensor>();
  /** By node: tensors it created and kept (not handed to the engine), net of those it disposed. */
  private readonly balance = new Map<string, number>();

  /** Take a reference on every tensor in `value`. */
  retain(value: unknown): void {
    for (const t of collectTensors(value)) { this.counts.set(t.id, (this.counts.get(t.id) ?? 0) + 1); this.held.set(t.id, t); }
  }

  /** Drop a reference on every tensor in `value`; dispose those nobody holds any more. */
  release(value: unknown): void {
    for (const t of this.drop(value, 'release')) if (!t.isDisposed) t.dispose();
  }

  /** Drop references on `value` without disposing anything: for tensors the caller owns (borrowed inputs). */
  disown(value: unknown): void {
    this.drop(value, 'disown');
  }

  /** References currently held on `t` (0 if none). */
  count(t: tf.Tensor): number {
    return this.counts.get(t.id) ?? 0;
  }

  /** Number of distinct tensors with a reference held. */
  get size(): number {
    return this.counts.size;
  }

  /**
   * Run `fn` in a tensor scope: everything it creates is disposed when it returns or throws,
   * except the tensors in its result, which come back retained (one reference, owned by the caller).
   */
  runScoped<T>(fn: () => T, site?: CallSite): T {
    const engine = tf.engine();
    const before = engine.memory().numTensors;
    engine.startScope('eigenflow-node');
    let result: T;
    try {
      result = fn();
      if (result && typeof (result as { then?: unknown }).then === 'function') {
        throw new Error('run() returned a Promise: node runs must be synchronous (use a generator for long work)');
      }
      for (const t of collectTensors(result)) tf.keep(t);
    } finally {
      engine.endScope();
    }
    const fresh = new Set(collectTensors(result).filter((t) => !this.counts.has(t.id)).map((t) => t.id)).size;
    this.retain(result);
    if (site) {
      const disposed = [...this.held.values()].find((t) => t.isDisposed);
      if (disposed) {
        this.release(result);
        throw new Error(`disposed ${describe(disposed)}, which the engine owns (a tensor it was handed, or another node's output); a node disposes only tensors it made and keeps`);
      }
      this.balance.set(site.node, (this.balance.get(site.node) ?? 0) + engine.memory().numTensors - before - fresh);
    }
    return result;
  }

  /** Nodes holding tensors they made and never disposed (kept tensors, variables), with how many. */
  leaks(): [node: string, tensors: number][] {
    return [...this.balance].filter(([, n]) => n > 0);
  }

  /** Decrement every tensor in `value`; return those whose count reached zero. All-or-nothing. */
  private drop(value: unknown, what: string): tf.Tensor[] {
    const tensors = collectTensors(value);
    const missing = tensors.find((t) => !this.counts.has(t.id));
    if (missing) throw new Error(`engine bug: ${what} of ${describe(missing)}, which this run never retained`);
    const free: tf.Tensor[] = [];
    for (const t of tensors) {
      const n = this.counts.get(t.id)! - 1;
      if (n > 0) this.counts.set(t.id, n);
      else { this.counts.delete(t.id); this.held.delete(t.id); free.push(t); }
    }
    return free;
  }
}

export function isGenerator(value: unknown): value is Generator {
  return value !== null && typeof value === 'object' && typeof (value as Generator).next === 'function'
    && typeof (value as Generator)[Symbol.iterator] === 'function';
}
