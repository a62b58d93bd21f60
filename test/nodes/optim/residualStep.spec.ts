import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { deriveRng } from '../../../src/rng.ts';
import { csrToDense, sampleCsr } from '../../../nodes/data/dataInternals.ts';
import { createResidualStep } from '../../../nodes/optim/residualStepInternals.ts';
import { asymmetricWn, identityWn } from '../../../nodes/wn/wnInternals.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';

/** The dense loss, written the obvious way, differentiated by tf.grads (the independent truth). */
function autodiff(X: Float32Array, B: number, n: number, m: number, W1T: Float32Array, W2: Float32Array, Wn: Float32Array) {
  return tf.tidy(() => {
    const x = tf.tensor2d(X, [B, n]);
    const wn = tf.tensor2d(Wn, [n, n]);
    const target = tf.relu(x);
    const f = (w1t: tf.Tensor, w2: tf.Tensor) => {
      const h = tf.relu(tf.matMul(x, w1t));
      const y = tf.add(tf.matMul(h, w2, false, true), tf.matMul(x, wn, false, true));
      return tf.mean(tf.square(tf.sub(y, target)));
    };
    const { value, grads } = tf.valueAndGrads(f)([tf.tensor2d(W1T, [n, m]), tf.tensor2d(W2, [n, m])]);
    return { loss: value.dataSync()[0]!, g1: Array.from(grads[0]!.dataSync()), g2: Array.from(grads[1]!.dataSync()) };
  });
}

function check(n: number, m: number, p: number, B: number, wn: Float32Array, seed: number) {
  const rng = deriveRng(seed, 'grad');
  const x = sampleCsr({ n, p, lo: -1, hi: 1 }, rng, B);
  const W1T = rng.fillNormal(new Float32Array(n * m), 0, 0.5);
  const W2 = rng.fillNormal(new Float32Array(n * m), 0, 0.5);
  const g1 = new Float32Array(n * m).fill(7), g2 = new Float32Array(n * m).fill(7);
  const step = createResidualStep(n, m, wn);
  const loss = step.lossAndGrad(x, W1T, W2, g1, g2);
  const truth = autodiff(csrToDense(x), B, n, m, W1T, W2, wn);
  const scale = Math.max(...truth.g1.map(Math.abs), ...truth.g2.map(Math.abs));
  expectArraysClose(loss, truth.loss, 1e-6, 1e-4);
  expectArraysClose(g1, truth.g1, 1e-4 * scale);
  expectArraysClose(g2, truth.g2, 1e-4 * scale);
}

describe('residualStep_impl (hand-written sparse loss and gradient)', () => {
  before(useWasm);

  it('should match tf autodiff with Wn = I', async () => {
    await expectNoLeak(() => check(12, 5, 0.3, 64, Float32Array.from(identityWn(12).data), 1));
  });

  it('should match tf autodiff with a noisy Wn and several active features per row', async () => {
    await expectNoLeak(() => check(16, 6, 0.4, 50, Float32Array.from(asymmetricWn(16, 0.3, deriveRng(3, 'wn')).data), 2));
  });

  it('should match tf autodiff at the sparse regime (many all-zero rows)', async () => {
    await expectNoLeak(() => check(30, 10, 0.02, 200, Float32Array.from(asymmetricWn(30, 0.1, deriveRng(4, 'wn')).data), 3));
  });

  it('should return zero loss and gradient when no feature is active', async () => {
    await expectNoLeak(() => {
      const step = createResidualStep(4, 2, Float32Array.from(identityWn(4).data));
      const g1 = new Float32Array(8).fill(1), g2 = new Float32Array(8).fill(1);
      const empty = { rows: 3, n: 4, nnz: 0, rowPtr: new Int32Array(4), col: new Int32Array(0), val: new Float32Array(0) };
      assert.equal(step.lossAndGrad(empty, new Float32Array(8).fill(1), new Float32Array(8).fill(1), g1, g2), 0);
      assert.deepEqual([...g1, ...g2], new Array(16).fill(0));
    });
  });
});
