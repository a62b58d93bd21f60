import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matmul, matrix64, transpose, type Matrix64, relError } from '@eigenflow/linalg';
import { jacobiSvd } from '../../../packages/linalg/test/jacobi.ts';
import { runNode } from '../../../src/testing.ts';
import { gdStep, networkFunction, qqt, weights } from '../../../nodes/linear/linearInternals.ts';
import { lossDeviation } from '../../../nodes/linear/lossDeviation.ts';
import { ntk } from '../../../nodes/linear/ntk.ts';
import { representations } from '../../../nodes/linear/representations.ts';
import { riccatiSolution } from '../../../nodes/linear/riccatiInternals.ts';
import { rsm } from '../../../nodes/linear/rsm.ts';
import { singularValues } from '../../../nodes/linear/singularValues.ts';
import { taskScore } from '../../../nodes/linear/taskScore.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import { randomWeights, task } from './fixtures.ts';

/**
 * Independent references: products by explicit loops and a 2 × 2 inverse by the adjugate, so that
 * no check goes through the matmul / LU / SVD code the probes themselves call; singular values
 * and task modes come from the one-sided Jacobi SVD (the probes use the Householder SVD).
 */
function product(a: Matrix64, b: Matrix64, ta = false, tb = false): Matrix64 {
  const rows = ta ? a.cols : a.rows, inner = ta ? a.rows : a.cols, cols = tb ? b.rows : b.cols;
  const out = matrix64(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let k = 0; k < inner; k++) s += (ta ? a.data[k * a.cols + i] : a.data[i * a.cols + k]) * (tb ? b.data[j * b.cols + k] : b.data[k * b.cols + j]);
    out.data[i * cols + j] = s;
  }
  return out;
}
function inverse2(a: Matrix64): Matrix64 {
  const [p, q, r, t] = a.data, det = p * t - q * r;
  return matrix64(2, 2, [t / det, -q / det, -r / det, p / det]);
}

describe('linear probes', () => {
  before(useWasm);
  const t = task(3, 2, [1.5, 0.5]);
  const w = (() => { const x = randomWeights(3, 2, 2, 0.4); return weights('deep', x.W1, x.W2); })();

  it('should compute the NTK as the brute-force Jacobian product JJᵀ of f = W2W1X', async () => {
    await expectNoLeak(() => {
      const r = runNode(ntk, { inputs: { weights: w, task: t, init: w } });
      const K = r.outputs.K, P = t.X.cols, no = 2;
      // f is linear in each weight, so central differences are exact up to rounding.
      const params = [w.W1, w.W2];
      const cols: number[][] = [];
      for (const M of params) for (let q = 0; q < M.data.length; q++) {
        const f = (d: number) => { const keep = M.data[q]; M.data[q] = keep + d; const y = matmul(networkFunction(w), t.X); M.data[q] = keep; return y; };
        const yp = f(1e-3), ym = f(-1e-3);
        cols.push(Array.from(yp.data, (v, i) => (v - ym.data[i]) / 2e-3)); // index o·P + p
      }
      const J = matrix64(no * P, cols.length);
      cols.forEach((c, j) => c.forEach((v, i) => { J.data[i * cols.length + j] = v; }));
      assert.ok(relError(K, matmul(J, transpose(J))) < 1e-9);
      assert.equal(r.values('ntk_distance')[0], 0);
      r.dispose();
    });
  });

  it('should give the representations W1ᵀW1 and W2W2ᵀ, from weights and from QQᵀ', () => {
    const a = runNode(representations, { inputs: { weights: w } }).outputs;
    const b = runNode(representations, { inputs: { qq: qqt(w), task: t } }).outputs;
    const input = product(w.W1, w.W1, true), output = product(w.W2, w.W2, false, true);
    assert.ok(relError(a.input, input) < 1e-14 && relError(b.input, input) < 1e-14);
    assert.ok(relError(a.output, output) < 1e-14 && relError(b.output, output) < 1e-14);
    assert.throws(() => runNode(representations, { inputs: { qq: qqt(w) } }), /needs the task/);
  });

  it('should compute RSM_O = Yᵀ(W2W2ᵀ)⁻¹Y when W2W2ᵀ is invertible, and RSM_I = XᵀW1ᵀW1X', () => {
    const r = runNode(rsm, { inputs: { weights: w, task: t } }).outputs;
    assert.equal(w.W2.rows, 2, 'the reference inverse below is the 2 × 2 adjugate');
    assert.ok(relError(r.output, product(product(t.Y, inverse2(product(w.W2, w.W2, false, true)), true), t.Y)) < 1e-9);
    assert.ok(relError(r.input, product(product(t.X, product(w.W1, w.W1, true), true), t.X)) < 1e-12);
  });

  it('should score task-specific representations: 1 for both at λ = 0 convergence; at λ ≫ s the output one falls to that of I', () => {
    const sq = task(3, 3, [1.5, 1, 0.5]);
    const score = (lambda: number) => {
      let x = randomWeights(3, 3, 3, lambda, 0.05, 21);
      for (let seed = 22; riccatiSolution(sq.syx, x.W1, x.W2, lambda).dormant; seed++) x = randomWeights(3, 3, 3, lambda, 0.05, seed);
      const P = riccatiSolution(sq.syx, x.W1, x.W2, lambda).at(200);
      const r = runNode(taskScore, { inputs: { qq: P, task: sq } });
      return [r.values('tsc_input')[0] as number, r.values('tsc_output')[0] as number];
    };
    const [i0, o0] = score(0);
    assert.ok(Math.abs(i0 - 1) < 1e-6 && Math.abs(o0 - 1) < 1e-6, `${i0} ${o0}`);
    const [i10, o10] = score(10);
    // W2W2ᵀ → λI: its score tends to max(cos(I, ŨS̃Ũᵀ), cos(I, ŨS̃²Ũᵀ)) = Tr S̃/(√3‖S̃‖) for s = (1.5, 1, 0.5).
    const ofIdentity = 3 / Math.sqrt(3 * 3.5);
    assert.ok(i10 > 0.99 && o10 < o0 - 0.05 && Math.abs(o10 - ofIdentity) < 0.01, `${i10} ${o10} ${ofIdentity}`);
  });

  it('should report singular values of W2W1 and its task-mode projections', () => {
    const r = runNode(singularValues, { inputs: { weights: w, task: t } });
    const fn = product(w.W2, w.W1);
    assert.ok(relError(matrix64(1, 2, r.values('singular_values')[0] as number[]), matrix64(1, 2, jacobiSvd(fn).s)) < 1e-13);
    // Task modes ũ_αᵀ (W2W1) ṽ_α with the task's singular vectors from the Jacobi SVD (the sign
    // ambiguity cancels: u_α and v_α flip together).
    const moved = gdStep(w, t, 0.1);
    const modes = runNode(singularValues, { inputs: { weights: moved, task: t } }).values('task_modes')[0] as number[];
    const { U, V, s: ts } = jacobiSvd(t.syx, { vectors: true });
    const P = product(product(U!, product(moved.W2, moved.W1), true), V!);
    assert.equal(modes.length, ts.length);
    modes.forEach((m, a) => assert.ok(Math.abs(m - P.data[a * P.cols + a]) < 1e-13, `mode ${a}: ${m} vs ${P.data[a * P.cols + a]}`));
  });

  it('should average |La − Le|/Le over steps and refuse histories of different lengths', () => {
    const r = runNode(lossDeviation, { inputs: { empirical: [1, 2, 4], analytic: [1.1, 2, 3] } });
    assert.ok(Math.abs((r.outputs.value as number) - (0.1 + 0 + 0.25) / 3) < 1e-15);
    assert.ok(Math.abs((r.values('max_deviation')[0] as number) - 0.25) < 1e-15);
    assert.throws(() => runNode(lossDeviation, { inputs: { empirical: [1], analytic: [1, 2] } }), /same steps/);
  });
});
