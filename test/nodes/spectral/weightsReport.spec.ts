import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matrix64, type Matrix64 } from '@eigenflow/linalg';
import { jacobiSvd } from '../../../packages/linalg/test/jacobi.ts';
import { deriveRng } from '../../../src/rng.ts';
import { runNode } from '../../../src/testing.ts';
import { fitPowerLaw } from '../../../nodes/spectral/powerLawInternals.ts';
import { analyzeLayer, combinedEigenvalues, fitMarchenkoPastur, jensenShannonDistance, layerMatrices, rowsToTable, type LayerOptions } from '../../../nodes/spectral/layerAnalysisInternals.ts';
import { weightsReport } from '../../../nodes/spectral/weightsReport.ts';
import { layerReport } from '../../../nodes/spectral/layerReport.ts';
import { checkpoint } from '../../../nodes/io/checkpoint.ts';
import { safetensorsBytes, writeBytes } from '../io/formatWriters.ts';
import { pareto } from './spectralTestUtil.ts';

/**
 * Independent brute-force fit: every distinct candidate x_min (but the largest value), the tail
 * {x ≥ x_min}, α = 1 + n/Σ ln(x/x_min) summed directly, the KS distance from the tail's empirical
 * CDF — one-sided: |F(x_(j)) − j/n|; two-sided: the supremum over both sides of each step —
 * and the first x_min of smallest distance. Values ≤ 1e-5 dropped first.
 */
function bruteForce(values: number[], ks: 'one-sided' | 'two-sided') {
  const x = values.filter((v) => v > 1e-5).sort((a, b) => a - b);
  let best = { alpha: NaN, xmin: NaN, tail: 0, ks: Infinity };
  for (const xmin of [...new Set(x)].slice(0, -1)) {
    const tail = x.filter((v) => v >= xmin), n = tail.length;
    let s = 0;
    for (const v of tail) s += Math.log(v / xmin);
    const alpha = 1 + n / s;
    let D = 0;
    tail.forEach((v, j) => {
      const F = 1 - (v / xmin) ** (1 - alpha);
      D = Math.max(D, Math.abs(F - j / n), ks === 'two-sided' ? Math.abs(F - (j + 1) / n) : 0);
    });
    if (D < best.ks) best = { alpha, xmin, tail: n, ks: D };
  }
  return best;
}

/** Eigenvalues of WᵀW by the Jacobi reference SVD (not the Householder SVD the nodes use). */
const jacobiEvals = (w: Matrix64): number[] => Array.from(jacobiSvd(w).s, (s) => s * s);

function gaussian(rows: number, cols: number, seed: number): Matrix64 {
  const w = matrix64(rows, cols);
  deriveRng(seed, 'gauss').fillNormal(w.data);
  return w;
}
function studentT(rows: number, cols: number, nu: number, seed: number): Matrix64 {
  const rng = deriveRng(seed, 'student'), w = matrix64(rows, cols);
  for (let i = 0; i < w.data.length; i++) {
    let chi = 0;
    for (let k = 0; k < nu; k++) chi += rng.normal() ** 2;
    w.data[i] = rng.normal() / Math.sqrt(chi / nu);
  }
  return w;
}
function diagW(lam: number[]): Matrix64 {
  const n = lam.length, w = matrix64(n, n);
  lam.forEach((l, i) => { w.data[i * n + i] = Math.sqrt(l); });
  return w;
}

const OPTS: LayerOptions = { ks: 'one-sided', minTail: 2, evalsThresh: 1e-5, reliableTail: 10, reliableKs: 0.1, randomize: true };

describe('HTSR fit with WeightWatcher conventions', () => {
  const cases: [string, Matrix64][] = [
    ['Pareto ESD α=3 (diagonal W)', diagW(pareto(300, 3, 0.5, 7))],
    ['Marchenko–Pastur (Gaussian 240×80)', gaussian(240, 80, 1)],
    ['Student-t(4) entries 200×100', studentT(200, 100, 4, 2)],
    ['Student-t(3) entries 100×150', studentT(100, 150, 3, 3)],
  ];
  for (const ks of ['one-sided', 'two-sided'] as const) {
    it(`should match a brute-force KS fit over all x_min (${ks}) on known spectra`, () => {
      for (const [label, w] of cases) {
        const truth = bruteForce(jacobiEvals(w), ks);
        const row = analyzeLayer(label, [w.rows, w.cols], layerMatrices([w.rows, w.cols], w.data)!, { ...OPTS, ks }, deriveRng(0, 'r')).row;
        assert.equal(row.tail, truth.tail, `${label}: tail`);
        assert.ok(Math.abs(row.xmin - truth.xmin) <= 1e-10 * truth.xmin, `${label}: xmin ${row.xmin} vs ${truth.xmin}`);
        assert.ok(Math.abs(row.alpha - truth.alpha) <= 1e-8 * truth.alpha, `${label}: alpha ${row.alpha} vs ${truth.alpha}`);
        assert.ok(Math.abs(row.ks - truth.ks) <= 1e-9, `${label}: ks ${row.ks} vs ${truth.ks}`);
      }
    });
  }

  it('should recover a known exponent from a Pareto ESD (within 3 standard errors)', () => {
    for (const alpha of [2.5, 4]) {
      const fit = fitPowerLaw(pareto(2000, alpha, 1, Math.round(alpha * 10)));
      assert.ok(Math.abs(fit.alpha - alpha) < 3 * fit.sigma, `alpha ${fit.alpha} vs ${alpha} (σ ${fit.sigma}, tail ${fit.tail})`);
      assert.ok(Math.abs(fit.sigma - (fit.alpha - 1) / Math.sqrt(fit.tail)) < 1e-15);
    }
  });

  it('should drop eigenvalues ≤ 1e-5 (inclusive) before fitting and allow tails of 2', () => {
    const fit = fitPowerLaw([1e-5, 1e-5 * (1 + 1e-9), 1e-7, 0, 2, 3, 5]);
    assert.equal(fit.fitted, 4);
    const two = fitPowerLaw([1, 2]);
    assert.equal(two.tail, 2);
    assert.ok(Math.abs(two.alpha - (1 + 2 / Math.log(2))) < 1e-12);
    assert.ok(Number.isNaN(fitPowerLaw([1, 2, 3], { minTail: 4 }).alpha));
  });

  it('should flag a 10×512 layer fit as unreliable (WeightWatcher would report it without a warning)', () => {
    const w = gaussian(10, 512, 5);
    const row = analyzeLayer('thin', [10, 512], layerMatrices([10, 512], w.data)!, OPTS, deriveRng(0, 'r')).row;
    assert.equal(row.num_evals, 10);
    assert.ok(row.tail < 10 || row.ks > 0.1, `tail ${row.tail} ks ${row.ks}`);
    assert.match(row.warning, /fit unreliable/);
  });
});

describe('layer analysis', () => {
  it('should split a conv kernel per spatial position and pool the slices\' eigenvalues, in either layout', () => {
    const [o, c, kh, kw] = [6, 4, 3, 2], rng = deriveRng(3, 'conv');
    const data = Float64Array.from({ length: o * c * kh * kw }, () => rng.normal());
    const lm = layerMatrices([o, c, kh, kw], data)!;
    assert.equal(lm.mats.length, 6); assert.equal(lm.N, 6); assert.equal(lm.M, 4); assert.equal(lm.rf, 6);
    const expected: number[] = [];
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      const s = matrix64(o, c);
      for (let p = 0; p < o; p++) for (let q = 0; q < c; q++) s.data[p * c + q] = data[p * c * kh * kw + q * kh * kw + i * kw + j];
      expected.push(...jacobiEvals(s));
    }
    expected.sort((a, b) => a - b);
    const got = combinedEigenvalues(lm.mats);
    assert.equal(got.length, 24);
    got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-10 * expected[expected.length - 1]));
    // Keras layout kh×kw×in×out holds the same kernel: its pooled ESD is the same
    const keras = new Float64Array(data.length);
    for (let p = 0; p < o; p++) for (let q = 0; q < c; q++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) keras[((i * kw + j) * c + q) * o + p] = data[((p * c + q) * kh + i) * kw + j];
    const lk = layerMatrices([kh, kw, c, o], keras)!;
    assert.equal(lk.rf, 6);
    combinedEigenvalues(lk.mats).forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-10 * expected[expected.length - 1]));
  });

  it('should compute the norm metrics from their definitions', () => {
    const w = gaussian(50, 30, 9);
    const row = analyzeLayer('w', [50, 30], layerMatrices([50, 30], w.data)!, OPTS, deriveRng(0, 'r')).row;
    const lam = jacobiEvals(w), fro2 = w.data.reduce((a, x) => a + x * x, 0), lmax = Math.max(...lam);
    assert.ok(Math.abs(row.log_norm - Math.log10(fro2)) < 1e-12);
    assert.ok(Math.abs(row.log_spectral_norm - Math.log10(lmax)) < 1e-10);
    assert.ok(Math.abs(row.alpha_weighted - row.alpha * Math.log10(lmax)) < 1e-10);
    assert.ok(Math.abs(row.stable_rank - fro2 / lmax) < 1e-9 * fro2 / lmax);
    assert.ok(Math.abs(row.log_alpha_norm - Math.log10(lam.reduce((a, l) => a + l ** row.alpha, 0))) < 1e-9);
    assert.equal(row.shape, '50x30');
  });

  it('should find no spikes in pure noise and exactly the planted ones above a Marchenko–Pastur bulk', () => {
    const w = gaussian(600, 200, 11);
    const noise = fitMarchenkoPastur(jacobiEvals(w), 600, 200);
    assert.equal(noise.spikes, 0);
    assert.ok(Math.abs(noise.softRank - 1) < 0.1, `soft rank ${noise.softRank}`);
    // bulk edge of WᵀW for unit-variance entries: (√600 + √200)² ≈ 1493
    assert.ok(Math.abs(noise.bulkMax / (Math.sqrt(600) + Math.sqrt(200)) ** 2 - 1) < 0.1, `bulk edge ${noise.bulkMax}`);
    // plant three rank-one spikes of strength θ·√(NM) ≫ the edge
    const rng = deriveRng(12, 'spikes');
    for (const theta of [8, 10, 12]) {
      const u = Array.from({ length: 600 }, () => rng.normal() / Math.sqrt(600)), v = Array.from({ length: 200 }, () => rng.normal() / Math.sqrt(200));
      for (let i = 0; i < 600; i++) for (let j = 0; j < 200; j++) w.data[i * 200 + j] += theta * Math.sqrt(600) * u[i] * v[j];
    }
    assert.equal(fitMarchenkoPastur(jacobiEvals(w), 600, 200).spikes, 3);
  });

  it('should compute the Jensen–Shannon distance of normalised sorted spectra', () => {
    assert.equal(jensenShannonDistance([1, 2, 3], [2, 4, 6]), 0);
    const p = [0.25, 0.75], q = [0.5, 0.5], m = [0.375, 0.625];
    const kl = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * Math.log(x / b[i]), 0);
    assert.ok(Math.abs(jensenShannonDistance(p, q) - Math.sqrt((kl(p, m) + kl(q, m)) / 2)) < 1e-15);
  });
});

describe('spectral.weightsReport', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'eigenflow-report-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should analyse every 2-D weight and conv kernel of a checkpoint and write the table and one figure per layer', () => {
    const rng = deriveRng(21, 'mlp');
    const t = (name: string, shape: number[]) => ({ name, shape, values: Array.from({ length: shape.reduce((a, b) => a + b, 0) && shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), dtype: 'f32' as const });
    const file = writeBytes(join(dir, 'net.safetensors'), safetensorsBytes([t('conv.weight', [8, 3, 3, 3]), t('conv.bias', [8]), t('fc1.weight', [64, 72]), t('fc2.weight', [10, 64]), t('tiny.weight', [2, 3])]));
    const ck = runNode(checkpoint, { params: { path: file } }).outputs.checkpoint;
    const r = runNode(weightsReport, { inputs: { checkpoint: ck }, seed: 1 });
    const rows = r.outputs.rows as { name: string; alpha: number; shape: string }[];
    assert.deepEqual(rows.map((x) => x.name), ['conv.weight', 'fc1.weight', 'fc2.weight']);
    assert.deepEqual(rows.map((x) => x.shape), ['8x3x3x3', '64x72', '10x64']);
    assert.deepEqual([...r.artifacts.keys()].sort(), ['esd/conv.weight.svg', 'esd/fc1.weight.svg', 'esd/fc2.weight.svg', 'layers.csv', 'layers.json']);
    const csv = (r.artifacts.get('layers.csv') as string).trim().split('\n');
    assert.equal(csv.length, 4);
    assert.match(csv[0], /^name,shape,N,M,slices,num_evals,alpha,xmin,xmax,tail,ks,sigma_alpha,alpha_weighted,log_norm,log_spectral_norm,log_alpha_norm,stable_rank,mp_sigma,mp_bulk_max,mp_softrank,num_spikes,rand_distance,rand_lambda_max,warning$/);
    const json = JSON.parse(r.artifacts.get('layers.json') as string);
    assert.equal(json[1].name, 'fc1.weight');
    assert.equal(json[1].alpha, rows[1].alpha);
    assert.equal(r.values('alpha_fc1.weight')[0], rows[1].alpha);
    assert.match(r.artifacts.get('esd/fc1.weight.svg') as string, /^<svg[\s\S]*power law α=/);
    const table = rowsToTable(rows as never);
    assert.equal(table.length, 4);
    assert.match(table[0], /^layer\s+shape\s+alpha/);
    // one layer only, and a glob that matches nothing
    assert.equal((runNode(weightsReport, { inputs: { checkpoint: ck }, params: { include: 'fc2.*', randomize: false } }).outputs.rows as unknown[]).length, 1);
    assert.throws(() => runNode(weightsReport, { inputs: { checkpoint: ck }, params: { include: '*.bias' } }), /spectral\.weightsReport\.params\.include: no 2-D weight or conv kernel with ≥ 10 eigenvalues matches '\*\.bias' .*skipped: conv\.bias \[8\] F32/);
  });

  it('spectral.layerReport should emit the same row as metrics for one matrix', () => {
    const w = gaussian(80, 40, 4);
    const r = runNode(layerReport, { inputs: { w }, params: { name: 'w' }, step: 10 });
    const row = analyzeLayer('w', [80, 40], layerMatrices([80, 40], w.data)!, OPTS, deriveRng(0, 'r')).row;
    for (const k of ['alpha', 'xmin', 'tail', 'ks', 'alpha_weighted', 'log_norm', 'stable_rank', 'mp_softrank', 'num_spikes'] as const) assert.equal(r.values(k)[0], row[k], k);
    assert.equal(r.outputs.alpha, row.alpha);
  });
});
