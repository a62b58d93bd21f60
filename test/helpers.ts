/** Assertions shared by the test suites. */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

let ready: Promise<void> | null = null;
/** Tests run on the embedded default backend, as `eigenflow run` does. */
export function useWasm(): Promise<void> {
  ready ??= (async () => { await tf.setBackend('wasm'); await tf.ready(); })();
  return ready;
}

type Numeric = number | ArrayLike<number> | tf.Tensor | readonly number[];

function toArray(x: Numeric): number[] {
  if (typeof x === 'number') return [x];
  if (x instanceof tf.Tensor) return Array.from(x.dataSync());
  return Array.from(x as ArrayLike<number>);
}

/** Elementwise |a − e| ≤ atol + rtol·|e|, with the first offending index in the message. */
export function expectArraysClose(actual: Numeric, expected: Numeric, atol = 1e-5, rtol = 0): void {
  const a = toArray(actual), e = toArray(expected);
  assert.equal(a.length, e.length, `length ${a.length} ≠ expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(e[i]!);
    if (!(Math.abs(a[i]! - e[i]!) <= tol)) assert.fail(`index ${i}: got ${a[i]}, expected ${e[i]} (tolerance ${tol})`);
  }
}

/** Runs `fn` and asserts it leaves `tf.memory().numTensors` where it found it. */
export async function expectNoLeak<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  assert.equal(tf.memory().numTensors, before, `leaked ${tf.memory().numTensors - before} tensors`);
  return result;
}
