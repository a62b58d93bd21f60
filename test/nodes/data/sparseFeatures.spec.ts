import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { deriveRng } from '../../../src/rng.ts';
import { sparseFeatures } from '../../../nodes/data/sparseFeatures.ts';
import { createCsrSampler, csrToDense, GapTable, meanSquareRelu, sampleCsr } from '../../../nodes/data/dataInternals.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';

describe('data.sparseFeatures', () => {
  before(useWasm);

  it('should activate each cell with probability p, independently (binomial and per-row laws)', () => {
    const n = 50, p = 0.02, rows = 40000;
    const x = sampleCsr({ n, p, lo: -1, hi: 1 }, deriveRng(1, 'd'), rows);
    const cells = n * rows;
    // Active count: Binomial(cells, p); allow 5 standard deviations.
    assert.ok(Math.abs(x.nnz - cells * p) < 5 * Math.sqrt(cells * p * (1 - p)), `nnz ${x.nnz} vs ${cells * p}`);
    // Rows with no active feature: (1 − p)^n of them.
    let empty = 0;
    for (let r = 0; r < rows; r++) if (x.rowPtr[r + 1] === x.rowPtr[r]) empty++;
    const q = (1 - p) ** n;
    assert.ok(Math.abs(empty / rows - q) < 5 * Math.sqrt(q * (1 - q) / rows), `empty rows ${empty / rows} vs ${q}`);
    // Every column equally likely: chi-square with n − 1 degrees of freedom, far tail.
    const perCol = new Float64Array(n);
    for (let k = 0; k < x.nnz; k++) perCol[x.col[k]]++;
    const e = x.nnz / n;
    const chi2 = perCol.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    assert.ok(chi2 < n - 1 + 6 * Math.sqrt(2 * (n - 1)), `chi2 ${chi2}`);
  });

  it('should draw active values uniform in [lo, hi] (mean, variance, range)', () => {
    const lo = -0.5, hi = 2;
    const x = sampleCsr({ n: 10, p: 0.3, lo, hi }, deriveRng(2, 'd'), 20000);
    let s = 0, s2 = 0, min = Infinity, max = -Infinity;
    for (let k = 0; k < x.nnz; k++) { const v = x.val[k]; s += v; s2 += v * v; min = Math.min(min, v); max = Math.max(max, v); }
    const mean = s / x.nnz, variance = s2 / x.nnz - mean * mean;
    assert.ok(min >= lo && max <= hi);
    assert.ok(Math.abs(mean - (lo + hi) / 2) < 5 * (hi - lo) / Math.sqrt(12 * x.nnz));
    assert.ok(Math.abs(variance - (hi - lo) ** 2 / 12) < 0.02 * (hi - lo) ** 2 / 12);
  });

  it('should fill every cell when p = 1', () => {
    const x = sampleCsr({ n: 7, p: 1, lo: -1, hi: 1 }, deriveRng(3, 'd'), 5);
    assert.equal(x.nnz, 35);
    assert.ok(csrToDense(x).every((v) => v !== 0));
  });

  it('should give E[relu(u)²] by the closed form (checked by quadrature)', () => {
    for (const [lo, hi] of [[-1, 1], [0.5, 2], [-3, -1], [-2, 0.5]]) {
      let q = 0; const N = 100000;
      for (let i = 0; i < N; i++) { const u = lo + ((i + 0.5) / N) * (hi - lo); q += Math.max(0, u) ** 2 / N; }
      assert.ok(Math.abs(meanSquareRelu(lo, hi) - q) < 1e-6, `[${lo}, ${hi}]`);
    }
    assert.ok(Math.abs(meanSquareRelu(-1, 1) - 1 / 6) < 1e-15);
  });

  it('should emit the distribution and a dense batch of the declared shape', async () => {
    await expectNoLeak(() => {
      const r = runNode(sparseFeatures, { params: { n: 30, p: 0.1, batch: 64 }, seed: 4 });
      assert.deepEqual(r.outputs.out, { n: 30, p: 0.1, lo: -1, hi: 1 });
      assert.deepEqual(r.outputs.x.shape, [64, 30]);
      r.dispose();
    });
  });

  it('should look up exactly the gap the logarithm gives, at every table boundary and between', () => {
    for (const p of [0.3, 0.1, 0.01, 0.0005]) {
      const logq = Math.log1p(-p), gapOf = (t: number) => Math.floor(Math.log1p(-t / 4294967296) / logq);
      const table = new GapTable(gapOf), rng = deriveRng(4, 'gap');
      const probes = Array.from({ length: 20000 }, () => Math.floor(rng.uniform() * 4294967296));
      // The first t of each gap, found here by a walk independent of the table's bisection.
      for (let g = 1; g < 60; g++) {
        const t = Math.ceil(4294967296 * -Math.expm1(g * logq));
        for (let d = -3; d <= 3; d++) if (t + d >= 0 && t + d < 4294967296) probes.push(t + d);
      }
      probes.push(0, 4294967295);
      for (const t of probes) assert.equal(table.gap(t), gapOf(t), `p = ${p}, t = ${t}`);
    }
  });

  it('should reuse its buffers and draw exactly what the per-cell geometric formula draws', () => {
    const spec = { n: 20, p: 0.1, lo: -1, hi: 1 }, sampler = createCsrSampler(spec);
    const a = deriveRng(5, 'd'), b = deriveRng(5, 'd');
    for (let it = 0; it < 3; it++) {
      const x = sampler.sample(a, 300);
      // The reference: one log1p per gap, as the law is written.
      const cells = 300 * spec.n, logq = Math.log1p(-spec.p), cols: number[] = [], vals: number[] = [], ptr = [0];
      for (let pos = -1, row = 0; ;) {
        pos += Math.floor(Math.log1p(-b.uniform()) / logq) + 1;
        if (pos >= cells) { while (row < 300) { ptr.push(cols.length); row++; } break; }
        while (row < Math.floor(pos / spec.n)) { ptr.push(cols.length); row++; }
        cols.push(pos % spec.n); vals.push(Math.fround(spec.lo + (spec.hi - spec.lo) * b.uniform()));
      }
      assert.equal(x.nnz, cols.length);
      assert.deepEqual(Array.from(x.rowPtr.subarray(0, 301)), ptr);
      assert.deepEqual(Array.from(x.col.subarray(0, x.nnz)), cols);
      assert.deepEqual(Array.from(x.val.subarray(0, x.nnz)), vals);
    }
  });

  it('should reject p = 0 and lo ≥ hi, naming the field', () => {
    assert.throws(() => runNode(sparseFeatures, { params: { n: 3, p: 0 } }), /params\.p must be > 0 but got 0/);
    assert.throws(() => runNode(sparseFeatures, { params: { n: 3, p: 0.1, lo: 1, hi: 1 } }), /lo must be smaller than hi/);
  });
});
