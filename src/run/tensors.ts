/**
 * Tensor ownership. The engine owns every tensor a node returns: it runs each node call in a
 * tensor scope, keeps what is returned, and counts references so that a tensor passed through
 * two ports (or returned unchanged from an input) is disposed exactly once, after its last owner
 * lets go. Variables belong to the node that made them and are never disposed here.
 */
import * as tf from '@tensorflow/tfjs';

const refs = new Map<number, number>();

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

/** Take a reference on every tensor in `value`. */
export function retain(value: unknown): void {
  for (const t of collectTensors(value)) refs.set(t.id, (refs.get(t.id) ?? 0) + 1);
}

/** Drop a reference on every tensor in `value`; dispose those nobody holds any more. */
export function release(value: unknown): void {
  for (const t of collectTensors(value)) {
    const n = (refs.get(t.id) ?? 1) - 1;
    if (n > 0) refs.set(t.id, n);
    else {
      refs.delete(t.id);
      if (!t.isDisposed) t.dispose();
    }
  }
}

/** Drop references on `value` without disposing anything: for tensors the caller owns (borrowed inputs). */
export function disown(value: unknown): void {
  for (const t of collectTensors(value)) {
    const n = (refs.get(t.id) ?? 1) - 1;
    if (n > 0) refs.set(t.id, n);
    else refs.delete(t.id);
  }
}

/**
 * Run `fn` in a tensor scope: everything it creates is disposed when it returns or throws, except
 * the tensors in its result, which come back retained (one reference, owned by the caller).
 */
export function runScoped<T>(fn: () => T): T {
  const engine = tf.engine();
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
  retain(result);
  return result;
}

export function isGenerator(value: unknown): value is Generator {
  return value !== null && typeof value === 'object' && typeof (value as Generator).next === 'function'
    && typeof (value as Generator)[Symbol.iterator] === 'function';
}
