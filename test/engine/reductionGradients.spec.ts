/**
 * The Sum and Mean gradients of src/backend/gradients.ts: ∂/∂x of Σ w·reduce(x) over any axes is
 * w broadcast back over the reduced axes (÷ the reduced size for a mean), the independent truth
 * computed here entry by entry; the wasm and cpu backends agree.
 */
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { registerReductionGradients } from '../../src/backend/gradients.ts';
import { deriveRng } from '../../src/rng.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../helpers.ts';

/** d/dx Σ_out w[out]·reduce(x)[out] for x of shape [2, 3, 4] reduced over `axes`. */
function expected(w: Float32Array, axes: number[], mean: boolean): number[] {
  const shape = [2, 3, 4], keep = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const size = axes.reduce((n, a) => n * shape[a]!, 1);
  const out: number[] = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) {
    const idx = [i, j, k].map((v, d) => (keep[d] === 1 ? 0 : v));
    out.push(w[(idx[0]! * keep[1]! + idx[1]!) * keep[2]! + idx[2]!]! / (mean ? size : 1));
  }
  return out;
}

describe('Sum and Mean gradients', () => {
  before(async () => { await useWasm(); registerReductionGradients(); });
  after(() => tf.setBackend('wasm'));

  for (const backend of ['wasm', 'cpu']) {
    it(`should broadcast dy back over the reduced axes on ${backend}`, async () => {
      await tf.setBackend(backend);
      const rng = deriveRng(3, 'reductions');
      const x = tf.tensor3d(rng.fillNormal(new Float32Array(24)), [2, 3, 4]);
      await expectNoLeak(() => tf.tidy(() => {
        for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2]]) for (const mean of [false, true]) {
          const outShape = x.shape.filter((_, d) => !axes.includes(d));
          const w = rng.fillNormal(new Float32Array(outShape.reduce((n, d) => n * d, 1)));
          const wt = tf.tensor(w, outShape);
          const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(mean ? tf.mean(v, axes) : tf.sum(v, axes), wt)))(x);
          expectArraysClose(g, expected(w, axes, mean), 1e-6, 1e-6);
        }
      }));
      x.dispose();
    });
  }
});
