import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { svd, matmul, type Matrix64, fromRows } from '@eigenflow/linalg';
import { gaussian } from '../../../nodes/gen/gaussian.ts';
import { lowRank } from '../../../nodes/gen/lowRank.ts';
import { elementwise } from '../../../nodes/gen/elementwise.ts';
import { linearModel } from '../../../nodes/gen/linearModel.ts';
import { reluNetTrainer } from '../../../nodes/gen/reluNetTrainer.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';

describe('gen.gaussian / gen.lowRank / gen.elementwise', () => {
  before(useWasm);

  it('should draw N(0, std²/cols) entries reproducibly from the seed', () => {
    const a = runNode(gaussian, { params: { rows: 200, cols: 100, std: 2, normalize: 'sqrtCols' }, seed: 1 }).outputs.out as Matrix64;
    const b = runNode(gaussian, { params: { rows: 200, cols: 100, std: 2, normalize: 'sqrtCols' }, seed: 1 }).outputs.out as Matrix64;
    assert.deepEqual(a.data, b.data);
    const mean = a.data.reduce((s, x) => s + x, 0) / a.data.length, v = a.data.reduce((s, x) => s + x * x, 0) / a.data.length;
    assert.ok(Math.abs(mean) < 0.01 && Math.abs(v / 0.04 - 1) < 0.03, `mean ${mean}, var ${v}`);
  });

  it('should build a rank-k product whose top singular value → 1 for k = 1 with 1/n', () => {
    const r = runNode(lowRank, { params: { rows: 400, cols: 300, k: 3 }, seed: 2 });
    const s = svd(r.outputs.out).s;
    assert.ok(s[3] < 1e-10 * s[0] && s[2] > 1e-3 * s[0]);
    // k = 1: σ₁ = ‖A‖_F = |x||y|/n, whose mean square is 1 (std ≈ √(2/n) per factor)
    const a1 = runNode(lowRank, { params: { rows: 400, cols: 400, k: 1, normalize: 'n' }, seed: 3 }).outputs.out as Matrix64;
    const one = svd(a1).s[0], fro = Math.sqrt(a1.data.reduce((acc, x) => acc + x * x, 0));
    assert.ok(Math.abs(one - fro) < 1e-12 * fro && Math.abs(one - 1) < 0.3, `σ₁ = ${one}, ‖A‖_F = ${fro}`);
  });

  it('should apply φ entrywise and divide by rows', () => {
    const x = fromRows([[-1, 0.5], [2, -3]]);
    const r = runNode(elementwise, { inputs: { x }, params: { phi: 'relu', normalize: 'n' } });
    expectArraysClose(r.outputs.out.data, [0, 0.25, 1, 0], 0);
    expectArraysClose(runNode(elementwise, { inputs: { x }, params: { phi: 'sign' } }).outputs.out.data, [-1, 1, 1, -1], 0);
    expectArraysClose(runNode(elementwise, { inputs: { x }, params: { phi: 'exp' } }).outputs.out.data, [-1, 0.5, 2, -3].map(Math.exp), 1e-15);
    assert.throws(() => runNode(lowRank, { params: { rows: 3, cols: 2, k: 3 } }), /k must be ≤ min\(rows, cols\) \(got k=3, rows=3, cols=2\)/);
  });
});

describe('gen.linearModel', () => {
  it('should stream Y = X·W with W\'s eigenvalues of WᵀW decaying as i^(−a)', () => {
    const seen: number[] = [];
    runNode(linearModel, {
      params: { n: 40, d: 12, m: 8, samples: 3, decayMin: 0.5, decayMax: 2.5 },
      onStep: (s) => {
        const { x, w, y } = s.out as Record<string, Matrix64>;
        expectArraysClose(y.data, matmul(x, w).data, 0);
        const lam = svd(w).s.map((v) => v * v);
        const a = 0.5 + (s.step - 1);
        expectArraysClose(lam, Array.from({ length: 8 }, (_, i) => (i + 1) ** -a), 1e-12);
        seen.push(s.step);
      },
    });
    assert.deepEqual(seen, [1, 2, 3]);
  });
});

describe('gen.reluNetTrainer', () => {
  before(useWasm);

  it('should lower the loss and stream consistent snapshots without leaking', async () => {
    await expectNoLeak(() => {
      let first: number[] | null = null;
      const r = runNode(reluNetTrainer, {
        params: { n: 64, d: 8, m: 16, c: 3, steps: 60, lr: 0.01 },
        onStep: (s) => {
          const o = s.out as Record<string, tf.Tensor2D>;
          assert.deepEqual(o.hidden.shape, [64, 16]);
          if (s.step === 1) {
            // the snapshot's features are the forward pass of its weights
            first = Array.from(o.out.dataSync());
            const z = tf.tidy(() => tf.matMul(tf.relu(tf.matMul(o.x, o.w1)), o.w2));
            expectArraysClose(o.out, z, 1e-4);
            z.dispose();
          }
        },
      });
      const loss = r.values('loss') as number[];
      assert.equal(loss.length, 60);
      assert.ok(first !== null);
      assert.ok(loss[59] < 0.5 * loss[0], `loss ${loss[0]} → ${loss[59]}`);
      r.dispose();
    });
  });

  it('should give each member of a batched call the losses and snapshots of a separate call with its seed', async () => {
    await expectNoLeak(() => {
      const params = { n: 32, d: 6, m: 8, c: 2, steps: 15, lr: 0.01 };
      const lastOut: number[][] = [];
      const batched = runNode(reluNetTrainer, { params, members: [{ seed: 3 }, { seed: 4 }], onStep: (s) => {
        if (s.step === 15) { const o = (s.out as Record<string, tf.Tensor>).out!; lastOut.push(...tf.tidy(() => [0, 1].map((k) => Array.from(o.slice([k], [1]).dataSync())))); }
      } });
      for (const [k, seed] of [3, 4].entries()) {
        let out: number[] = [];
        const alone = runNode(reluNetTrainer, { params, seed, onStep: (s) => { if (s.step === 15) out = Array.from((s.out as Record<string, tf.Tensor>).out!.dataSync()); } });
        expectArraysClose(batched.metrics.filter((e) => e.member === k).map((e) => e.value as number), alone.values('loss') as number[], 1e-7, 1e-5);
        expectArraysClose(lastOut[k]!, out, 1e-6, 1e-4);
        alone.dispose();
      }
      batched.dispose();
    });
  });
});
