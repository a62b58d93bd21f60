/**
 * Slice, PadV2, Concat and SplitV on wasm (src/backend/copyKernelsWasm.ts) give exactly the cpu
 * backend's values (a copy has one right answer) for ranks 1–5, short and long rows, every
 * axis, int32 and bool; the gradient of a slice, a pad and a concat matches cpu; and Identity's
 * shared data survives disposing either tensor.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { registerWasmCopyKernels } from '../../src/backend/copyKernelsWasm.ts';
import { deriveRng } from '../../src/rng.ts';
import { useWasm } from '../helpers.ts';

/** f's outputs on wasm and on cpu, as nested arrays. */
async function onBoth(f: () => tf.Tensor | tf.Tensor[]): Promise<[unknown, unknown]> {
  const out: unknown[] = [];
  for (const backend of ['wasm', 'cpu']) {
    await tf.setBackend(backend);
    out.push(tf.tidy(() => { const r = f(); return Array.isArray(r) ? r : [r]; }).map((t) => { const v = t.arraySync(); t.dispose(); return v; }));
  }
  await tf.setBackend('wasm');
  return out as [unknown, unknown];
}

const SHAPES = [[7], [1, 5], [3, 40], [4, 1, 6], [5, 4, 3], [2, 3, 4, 37], [2, 2, 3, 2, 3]];

describe('wasm copy kernels', () => {
  before(async () => { await useWasm(); registerWasmCopyKernels(); });

  it('should slice, pad, concat and split exactly as the cpu backend does', async () => {
    const rng = deriveRng(4, 'copy');
    for (const shape of SHAPES) {
      const values = Array.from(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))));
      const x = () => tf.tensor(values, shape);
      const begin = shape.map((n) => (n > 1 ? 1 : 0)), size = shape.map((n, i) => n - begin[i]! - (n > 2 ? 1 : 0));
      for (const [name, f] of [
        ['slice', () => tf.slice(x(), begin, size)],
        ['pad', () => tf.pad(x(), shape.map((_, i) => [i % 2, 2 - (i % 2)] as [number, number]), 0.5)],
        ...shape.map((_, axis) => [`concat axis ${axis}`, () => tf.concat([x(), tf.mul(x(), 2), tf.slice(x(), begin.map((b, i) => (i === axis ? b : 0)), shape.map((n, i) => (i === axis ? size[i]! : n)))], axis)] as const),
        ...shape.map((_, axis) => [`split axis ${axis}`, () => tf.split(x(), shape[axis]! > 2 ? [1, shape[axis]! - 1] : 1, axis)] as const),
        ['int32 concat', () => tf.concat([tf.cast(x(), 'int32'), tf.cast(tf.mul(x(), 3), 'int32')], shape.length - 1)],
        ['bool slice', () => tf.slice(tf.greater(x(), 0), begin, size)],
      ] as [string, () => tf.Tensor | tf.Tensor[]][]) {
        const [wasm, cpu] = await onBoth(f);
        assert.deepEqual(wasm, cpu, `${name} of [${shape}]`);
      }
    }
  });

  it('should give the cpu backend\'s gradients through slice, pad and concat', async () => {
    const rng = deriveRng(5, 'copy-grad');
    const x = Array.from(rng.fillNormal(new Float32Array(2 * 6 * 5)));
    const w = Array.from(rng.fillNormal(new Float32Array(2 * 9 * 5)));
    const f = (t: tf.Tensor) => {
      const a = tf.slice(t, [0, 1, 0], [2, 4, 5]);
      const b = tf.pad(tf.slice(t, [0, 0, 2], [2, 5, 1]), [[0, 0], [0, 0], [1, 3]]);
      return tf.sum(tf.mul(tf.concat([a, b], 1), tf.tensor(w, [2, 9, 5])));
    };
    const [wasm, cpu] = await onBoth(() => tf.grad(f)(tf.tensor(x, [2, 6, 5])));
    assert.deepEqual(wasm, cpu);
  });

  it('should clone by sharing data: either copy outlives the other, and variables stay independent', () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const c = tf.clone(x);
    x.dispose();
    assert.deepEqual(Array.from(c.dataSync()), [1, 2, 3, 4]);
    const v = tf.variable(c);
    c.dispose();
    v.assign(tf.tensor2d([5, 6, 7, 8], [2, 2]));
    const w = tf.variable(tf.clone(v));
    v.assign(tf.zeros([2, 2]));
    assert.deepEqual(Array.from(w.dataSync()), [5, 6, 7, 8]);
    tf.dispose([v, w]);
  });
});
