import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { deriveRng } from '../../../src/rng.ts';
import { matrix64, matmul, symEig, transpose } from '@eigenflow/linalg';
import { csrToDense, sampleCsr } from '../../../nodes/data/dataInternals.ts';
import { naiveLoss } from '../../../nodes/cis/naiveLoss.ts';
import { evalLoss } from '../../../nodes/cis/evalLoss.ts';
import { residualTarget } from '../../../nodes/cis/residualTarget.ts';
import { featureResponse } from '../../../nodes/cis/featureResponse.ts';
import { rankStats } from '../../../nodes/spectral/spectralInternals.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';

/** The naive solution: feature i < m gets neuron i (W1 row i = s·e_i, W2 column i = e_i). */
function naiveModel(n: number, m: number, wn: 'zero' | 'identity') {
  const w1 = new Float32Array(m * n), w2 = new Float32Array(n * m);
  // With Wn = I the MLP must produce relu(x) − x = relu(−x): flip the neuron's input sign.
  for (let i = 0; i < m; i++) { w1[i * n + i] = wn === 'identity' ? -1 : 1; w2[i * m + i] = 1; }
  return { W1: tf.tensor2d(w1, [m, n]), W2: tf.tensor2d(w2, [n, m]), Wn: wn === 'identity' ? tf.eye(n) as tf.Tensor2D : tf.zeros([n, n]) as tf.Tensor2D };
}
const dispose = (o: Record<string, tf.Tensor>) => Object.values(o).forEach((t) => t.dispose());

describe('cis probes', () => {
  before(useWasm);

  it('should give (n − m)/n · p/6 as naive loss, matching a Monte Carlo run of the naive solution (Wn = I)', async () => {
    const n = 20, m = 8, p = 0.05;
    const data = { n, p, lo: -1, hi: 1 };
    const formula = ((n - m) / n) * (p / 6);
    const model = naiveModel(n, m, 'identity');
    await expectNoLeak(() => {
      const naive = runNode(naiveLoss, { params: { m }, inputs: { data } });
      expectArraysClose(naive.outputs.out, formula, 1e-15);
      expectArraysClose(naive.values('naive_loss_over_p')[0] as number, (n - m) / n / 6, 1e-15);
      const ev = runNode(evalLoss, { params: { samples: 200000 }, inputs: { model, data }, seed: 1 });
      const mc = ev.values('eval_loss')[0] as number;
      // Per-feature MC error: each unrepresented feature's loss has sd ≈ √(p·E[u⁴]) ≈ √(p/10); 3% of formula is > 4 sd.
      assert.ok(Math.abs(mc / formula - 1) < 0.03, `Monte Carlo ${mc} vs formula ${formula}`);
      const perFeature = ev.values('feature_loss')[0] as number[];
      for (let i = 0; i < m; i++) assert.ok(perFeature[i]! < 1e-12, `represented feature ${i} has loss ${perFeature[i]}`);
      ev.dispose(); naive.dispose();
    });
    dispose(model);
  });

  it('should use p·E[relu(u)²] for other value ranges (Monte Carlo, Wn = 0, values in [−0.5, 2])', async () => {
    const n = 10, m = 4, data = { n, p: 0.1, lo: -0.5, hi: 2 };
    const model = naiveModel(n, m, 'zero');
    await expectNoLeak(() => {
      const formula = runNode(naiveLoss, { params: { m }, inputs: { data } }).outputs.out as number;
      expectArraysClose(formula, (6 / 10) * 0.1 * (8 / 3 / 2.5), 1e-15); // E[relu(u)²] = ∫₀² u² du / 2.5
      const ev = runNode(evalLoss, { params: { samples: 100000 }, inputs: { model, data }, seed: 2 });
      assert.ok(Math.abs((ev.outputs.out as number) / formula - 1) < 0.03);
      ev.dispose();
    });
    dispose(model);
  });

  it('should compute eval loss as a dense forward pass on the same fresh samples would', async () => {
    const n = 15, m = 6, data = { n, p: 0.2, lo: -1, hi: 1 };
    const model = { W1: tf.randomNormal([m, n], 0, 0.5, 'float32', 3) as tf.Tensor2D, W2: tf.randomNormal([n, m], 0, 0.5, 'float32', 4) as tf.Tensor2D, Wn: tf.randomNormal([n, n], 0, 0.5, 'float32', 5) as tf.Tensor2D };
    await expectNoLeak(() => {
      const ev = runNode(evalLoss, { params: { samples: 2500, chunk: 1000 }, inputs: { model, data }, seed: 7 });
      // Replay the node's stream (runNode derives it from the seed and the node type) chunk by chunk.
      const rng = deriveRng(7, 'cis.evalLoss');
      const w1 = model.W1.arraySync(), w2 = model.W2.arraySync(), wn = model.Wn.arraySync();
      let sum = 0;
      for (const rows of [1000, 1000, 500]) {
        const x = csrToDense(sampleCsr(data, rng, rows));
        for (let b = 0; b < rows; b++) {
          const xb = Array.from(x.subarray(b * n, (b + 1) * n));
          const h = w1.map((row) => Math.max(0, row.reduce((a, w, j) => a + w * xb[j]!, 0)));
          for (let i = 0; i < n; i++) {
            const y = w2[i]!.reduce((a, w, k) => a + w * h[k]!, 0) + wn[i]!.reduce((a, w, j) => a + w * xb[j]!, 0);
            sum += (y - Math.max(0, xb[i]!)) ** 2;
          }
        }
      }
      expectArraysClose(ev.outputs.out, sum / (2500 * n), 0, 1e-4);
      ev.dispose();
    });
    dispose(model);
  });

  it('should summarise spectra: participation ratio, entropy rank, condition number', () => {
    const flat = rankStats([2, 2, 2, 2]);
    expectArraysClose([flat.erank_pr, flat.erank_entropy, flat.condition], [4, 4, 1], 1e-12);
    const one = rankStats([3, 0]);
    expectArraysClose([one.erank_pr, one.erank_entropy], [1, 1], 1e-12);
    assert.equal(one.condition, Infinity);
    expectArraysClose(rankStats([3, 1]).erank_pr, 16 / 10, 1e-12);
  });

  it('should compute the residual target relu(X) − X Wnᵀ and its singular values (checked via eig of RᵀR)', async () => {
    const n = 6;
    const x = tf.tensor2d([[0.5, -1, 0, 0, 0.2, 0], [0, 0.3, -0.7, 0, 0, 1], [-0.4, 0, 0, 0.9, 0, 0], [0, 0, 0.6, -0.2, 0, 0], [1, 0, 0, 0, -0.5, 0.1], [0, -0.3, 0, 0, 0, 0], [0.2, 0.2, 0.2, 0, 0, 0]]);
    const wnData = deriveRng(9, 'w').fillNormal(new Float32Array(n * n), 0, 0.3);
    const wn = tf.tensor2d(wnData, [n, n]);
    await expectNoLeak(() => {
      const r = runNode(residualTarget, { inputs: { x, wn } });
      const X = x.arraySync(), W = wn.arraySync();
      const R = X.map((row) => row.map((v, i) => Math.max(0, v) - row.reduce((a, xj, j) => a + W[i]![j]! * xj, 0)));
      expectArraysClose(r.outputs.out, R.flat(), 1e-6);
      const Rm = matrix64(7, n, R.flat());
      const truth = Array.from(symEig(matmul(transpose(Rm), Rm)).values, (l) => Math.sqrt(Math.max(0, l)));
      expectArraysClose(r.values('singular_values')[0] as number[], truth, 1e-6);
      const s = truth.reduce((a, b) => a + b, 0), s2 = truth.reduce((a, b) => a + b * b, 0);
      expectArraysClose(r.outputs.erank, (s * s) / s2, 1e-6);
      r.dispose();
    });
    x.dispose(); wn.dispose();
  });

  it('should see the naive solution in the feature response: m exact features, the rest passed through Wn', async () => {
    const n = 10, m = 4;
    const model = naiveModel(n, m, 'identity');
    await expectNoLeak(() => {
      const r = runNode(featureResponse, { params: { points: 11 }, inputs: { model } });
      assert.equal(r.values('represented')[0], m);
      const selfErr = r.values('self_error')[0] as number[];
      const grid = Array.from({ length: 11 }, (_, t) => -1 + t / 5);
      const passThroughError = grid.reduce((a, v) => a + Math.max(0, -v) ** 2, 0) / 11; // y = v, target relu(v)
      expectArraysClose(selfErr, Array.from({ length: n }, (_, i) => (i < m ? 0 : passThroughError)), 1e-6);
      expectArraysClose(r.values('response_pos')[0] as number[], new Array(n).fill(1), 1e-6);
      expectArraysClose(r.values('response_neg')[0] as number[], Array.from({ length: n }, (_, i) => (i < m ? 0 : -1)), 1e-6);
      expectArraysClose(r.values('crosstalk_mean')[0] as number, 0, 1e-12);
      assert.deepEqual(r.outputs.out.shape, [n, 11]);
      r.dispose();
    });
    dispose(model);
  });

  it('should reject a model and data of different n, and a wn of the wrong size', async () => {
    const model = naiveModel(5, 2, 'identity');
    const x = tf.zeros([3, 4]) as tf.Tensor2D, wn = tf.eye(5) as tf.Tensor2D;
    await expectNoLeak(() => {
      assert.throws(() => runNode(evalLoss, { params: { samples: 10 }, inputs: { model, data: { n: 6, p: 0.1, lo: -1, hi: 1 } } }), /cis\.evalLoss: data must have the model's n = 5 features but got n = 6/);
      assert.throws(() => runNode(residualTarget, { inputs: { x, wn } }), /cis\.residualTarget: wn must be 4 × 4 \(x has n = 4 columns\) but got 5 × 5/);
    });
    dispose(model); x.dispose(); wn.dispose();
  });
});
