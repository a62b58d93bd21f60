import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { plainMatMul } from '../../src/ops/plainMatMul.ts';
import { deriveRng } from '../../src/rng.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../helpers.ts';

describe('plainMatMul', () => {
  before(useWasm);

  it('should match tf.matMul in value and in both gradients', async () => {
    const rng = deriveRng(1, 'pmm');
    const a = tf.tensor2d(rng.fillNormal(new Float32Array(7 * 5)), [7, 5]);
    const b = tf.tensor2d(rng.fillNormal(new Float32Array(5 * 3)), [5, 3]);
    const w = tf.tensor2d(rng.fillNormal(new Float32Array(7 * 3)), [7, 3]);
    await expectNoLeak(() => tf.tidy(() => {
      // A non-trivial scalar loss so dy is not all ones.
      const loss = (mm: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor2D) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.square(mm(x as tf.Tensor2D, y as tf.Tensor2D)), w));
      const mine = tf.grads(loss(plainMatMul))([a, b]);
      const ref = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
      expectArraysClose(plainMatMul(a, b), tf.matMul(a, b), 1e-5);
      expectArraysClose(mine[0]!, ref[0]!, 1e-4, 1e-5);
      expectArraysClose(mine[1]!, ref[1]!, 1e-4, 1e-5);
    }));
    tf.dispose([a, b, w]);
  });
});
