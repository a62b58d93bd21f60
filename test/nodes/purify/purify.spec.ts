import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { spectrumData } from '../../../nodes/purify/spectrumData.ts';
import { ridgeEncoder } from '../../../nodes/purify/ridgeEncoder.ts';
import { lambdaRange } from '../../../nodes/purify/lambdaRange.ts';
import { objective } from '../../../nodes/purify/objective.ts';
import { fromRows, matrix64, type Matrix64 } from '@eigenflow/linalg';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';

const SEED_SIGMAS = [10, 8, 4, 1, 0.5, 0.36, 0.16, 0.01];

/** Solve M Z = R for Z by Gauss–Jordan with partial pivoting (plain arrays, independent of @eigenflow/linalg). */
function solve(M: number[][], R: number[][]): number[][] {
  const n = M.length, a = M.map((row, i) => [...row, ...R[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k < a[r].length; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row.slice(n).map((x) => x / a[i][i]));
}

const rows = (m: Matrix64): number[][] => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));

describe('purify.ridgeEncoder', () => {
  before(useWasm);

  it('should equal the normal-equations minimiser W = XXᵀ(XXᵀ + λI)⁻¹ and have shrinkage σ²/(σ²+λ)', async () => {
    await expectNoLeak(() => {
      const X = runNode(spectrumData, { params: { samples: 20 }, seed: 5 }).outputs.X as Matrix64;
      const x = rows(X);
      const G = x.map((ri) => x.map((rj) => ri.reduce((s, v, k) => s + v * rj[k], 0))); // XXᵀ, symmetric
      for (const lambda of [0.01, 1, 2, 4, 30]) {
        const r = runNode(ridgeEncoder, { params: { lambda }, inputs: { X } });
        // W(G + λI) = G  ⇔  (G + λI) Wᵀ = G (G symmetric)
        const Wt = solve(G.map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0))), G);
        const truth = Wt[0].map((_, i) => Wt.map((row) => row[i]));
        expectArraysClose((r.outputs.W as Matrix64).data, truth.flat(), 1e-10);
        expectArraysClose(r.outputs.shrinkage, SEED_SIGMAS.map((s) => (s * s) / (s * s + lambda)), 1e-12);
        expectArraysClose(r.values('singular_values')[0] as number[], SEED_SIGMAS, 1e-12);
      }
    });
  });

  it('should be a stationary point: the gradient −2(X − WX)Xᵀ + 2λW vanishes', () => {
    const X = runNode(spectrumData, { params: { sigmas: [3, 2, 0.5], samples: 5 }, seed: 2 }).outputs.X as Matrix64;
    const W = runNode(ridgeEncoder, { params: { lambda: 0.7 }, inputs: { X } }).outputs.W as Matrix64;
    const x = rows(X), w = rows(W);
    const R = x.map((_, i) => x[0].map((__, t) => x[i][t] - w[i].reduce((s, v, k) => s + v * x[k][t], 0)));
    const grad = w.map((wi, i) => wi.map((v, j) => -2 * R[i].reduce((s, r, t) => s + r * x[j][t], 0) + 2 * 0.7 * v));
    expectArraysClose(grad.flat(), new Array(9).fill(0), 1e-12);
  });

  it('should reject a malformed data matrix', () => {
    assert.throws(() => runNode(ridgeEncoder, { inputs: { X: matrix64(0, 3) } }), /purify\.ridgeEncoder: X must be a non-empty matrix but got 0×3/);
    assert.throws(() => runNode(ridgeEncoder, { params: { lambda: -1 } }), /params\.lambda must be ≥ 0 but got -1/);
  });
});

describe('purify.lambdaRange', () => {
  it('should give 1 ≤ λ ≤ 4 for the seed (keep top 3 at ≥ 0.8, attenuate the rest to ≤ 0.5), as the seed derives', () => {
    const r = runNode(lambdaRange, { inputs: { sigmas: SEED_SIGMAS } });
    assert.deepEqual(r.outputs.range, [1, 4]);
    assert.deepEqual([r.values('lambda_min')[0], r.values('lambda_max')[0], r.values('feasible')[0]], [1, 4, 1]);
  });

  it('should match a brute-force scan of λ checking every component\'s shrinkage directly', () => {
    const cases: [number[], number, number, number][] = [[SEED_SIGMAS, 3, 0.8, 0.5], [SEED_SIGMAS, 2, 0.9, 0.2], [[5, 3, 2.9, 0.1], 2, 0.6, 0.5], [SEED_SIGMAS, 4, 0.8, 0.5]];
    for (const [s, keep, keepAbove, attenuateBelow] of cases) {
      const ok = (l: number) => s.every((v, i) => (i < keep ? (v * v) / (v * v + l) >= keepAbove : (v * v) / (v * v + l) <= attenuateBelow));
      const grid = Array.from({ length: 20001 }, (_, i) => i * 0.0025);
      const good = grid.filter(ok);
      const [lo, hi] = runNode(lambdaRange, { params: { keep, keepAbove, attenuateBelow }, inputs: { sigmas: s } }).outputs.range as number[];
      if (good.length === 0) { assert.ok(lo > hi, `expected infeasible, got [${lo}, ${hi}]`); continue; }
      assert.ok(lo <= good[0] && good[0] - lo <= 0.0025, `lo ${lo} vs scan ${good[0]}`);
      assert.ok(hi >= good.at(-1)! && hi - good.at(-1)! <= 0.0025, `hi ${hi} vs scan ${good.at(-1)}`);
      assert.equal(good.length, grid.filter((l) => l >= lo && l <= hi).length); // one interval, no holes
    }
  });

  it('should report an infeasible request (keeping σ = 8 at 0.99 needs λ ≤ 0.65, attenuating σ = 4 to 0.01 needs λ ≥ 1584)', () => {
    const r = runNode(lambdaRange, { params: { keep: 2, keepAbove: 0.99, attenuateBelow: 0.01 }, inputs: { sigmas: [10, 8, 4] } });
    assert.equal(r.values('feasible')[0], 0);
    assert.ok((r.outputs.range as number[])[0] > (r.outputs.range as number[])[1]);
  });

  it('should reject keep beyond the spectrum and bad thresholds', () => {
    assert.throws(() => runNode(lambdaRange, { params: { keep: 9 }, inputs: { sigmas: SEED_SIGMAS } }), /purify\.lambdaRange: keep must be at most the number of singular values \(8\) but got 9/);
    assert.throws(() => runNode(lambdaRange, { params: { keepAbove: 0 }, inputs: { sigmas: SEED_SIGMAS } }), /params\.keepAbove must be > 0 but got 0/);
    assert.throws(() => runNode(lambdaRange, { inputs: { sigmas: [1, -2] } }), /purify\.lambdaRange: sigmas must hold finite numbers ≥ 0 but got sigmas\[1\] = -2/);
  });
});

describe('purify.objective: the seed\'s part (a)', () => {
  const X = fromRows([[-2.17, 1.98, 2.41, -2.03], [0.02, -0.01, 0.01, -0.02]]);
  const alpha = fromRows([[1, 0], [0, 1]]), beta = fromRows([[1, 0], [0, 0]]);
  const losses = (W: Matrix64, lambda: number) => {
    const r = runNode(objective, { params: { lambda }, inputs: { X, W } });
    return [r.values('reconstruction')[0], r.values('regularization')[0], r.values('objective')[0]] as number[];
  };

  it('should give reconstruction/regularisation 0/2 for the identity and 0.001/1 for the projection', () => {
    expectArraysClose(losses(alpha, 1).slice(0, 2), [0, 2], 1e-15);
    expectArraysClose(losses(beta, 1).slice(0, 2), [0.02 ** 2 + 0.01 ** 2 + 0.01 ** 2 + 0.02 ** 2, 1], 1e-15);
  });

  it('should make the identity worse exactly when λ > 0.001', () => {
    for (const lambda of [0.0005, 0.0009, 0.0011, 0.01, 1]) {
      assert.equal(losses(alpha, lambda)[2] > losses(beta, lambda)[2], lambda > 0.001, `λ = ${lambda}`);
    }
  });

  it('should reject W of the wrong size', () => {
    assert.throws(() => runNode(objective, { inputs: { X, W: fromRows([[1]]) } }), /purify\.objective: W must be 2×2 for X with 2 features \(rows\) but got 1×1/);
  });
});

describe('purify.spectrumData', () => {
  it('should have exactly the prescribed singular values and refuse too few samples', () => {
    const r = runNode(spectrumData, { params: { sigmas: [0.3, 2, 1], samples: 3 }, seed: 9 });
    const X = r.outputs.X as Matrix64;
    assert.deepEqual([X.rows, X.cols], [3, 3]);
    const s = runNode(ridgeEncoder, { params: { lambda: 0 }, inputs: { X } }).values('singular_values')[0] as number[];
    expectArraysClose(s, [2, 1, 0.3], 1e-13);
    assert.throws(() => runNode(spectrumData, { params: { samples: 4 } }), /samples must be ≥ the number of singular values \(8\) .* but got 4/);
  });
});
