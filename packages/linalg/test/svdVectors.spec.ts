/**
 * The SVD's vectors: divide and conquer (bidiagDivideConquer.ts, bidiagSecular.ts,
 * bidiagBackTransform.ts) and, below its crossover, the QR iteration, each run at every size here
 * (wasmSvd's crossover argument), against the one-sided Jacobi oracle and each other.
 *
 * Bounds are c·n·ε with c = 2 (ε = 2⁻⁵², n the larger dimension): backward error
 * ‖A − UΣVᵀ‖_F/‖A‖_F, orthogonality ‖UᵀU − I‖_F and ‖VᵀV − I‖_F, and each singular value
 * against the reference to c·n·ε·σ_max. The measured values are below 0.5·n·ε on these inputs; an
 * error in a vector formula, a sign or a deflation rotation gives O(1).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { svd, matmul, transpose, matrix64, type Matrix64, type SvdResult } from '../src/index.ts';
import { wasmSvd } from '../src/svd.ts';
import { DIVIDE_CONQUER_MIN_SIZE } from '../src/constants.ts';
import { jacobiSvd } from './jacobi.ts';
import { bidiagDc } from '../src/bidiagDivideConquer.ts';
import { bidiagQr } from '../src/bidiagQr.ts';
import { lownerZ, secularRoots, secularVectors } from '../src/bidiagSecular.ts';
import { applyReflectors } from '../src/bidiagBackTransform.ts';
import { jsProducts, kernelProducts } from '../src/divideConquerProducts.ts';
import { deriveRng } from './helpers.ts';

const EPS = 2 ** -52;
const C = 2;

function gaussian(rows: number, cols: number, seed: number): Matrix64 {
  const m = matrix64(rows, cols);
  deriveRng(seed, 'dc').fillNormal(m.data);
  return m;
}

/** A random n×n orthogonal matrix (QR of a Gaussian by modified Gram–Schmidt, twice). */
function orthogonal(n: number, seed: number): Matrix64 {
  const g = gaussian(n, n, seed);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += g.data[i * n + p] * g.data[i * n + j];
      for (let i = 0; i < n; i++) g.data[i * n + j] -= d * g.data[i * n + p];
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += g.data[i * n + j] ** 2;
    for (let i = 0; i < n; i++) g.data[i * n + j] /= Math.sqrt(s);
  }
  return g;
}

/** P·diag(σ)·Qᵀ (rows×cols) for random orthogonal P, Q. */
function withSpectrum(rows: number, cols: number, sigma: number[], seed: number): Matrix64 {
  const p = orthogonal(rows, seed), q = orthogonal(cols, seed + 1);
  const ps = matrix64(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < sigma.length; j++) ps.data[i * cols + j] = p.data[i * rows + j] * sigma[j];
  return matmul(ps, transpose(q));
}

function frob(x: ArrayLike<number>): number { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return Math.sqrt(s); }

function gramError(x: Matrix64): number {
  const g = matmul(transpose(x), x);
  for (let i = 0; i < x.cols; i++) g.data[i * x.cols + i] -= 1;
  return frob(g.data);
}

/** The factorisation's three errors in units of n·ε; asserts the bounds and returns the result. */
function checkFactors(a: Matrix64, r: SvdResult, label: string): SvdResult {
  const { s, U, V } = r;
  const k = Math.min(a.rows, a.cols), n = Math.max(a.rows, a.cols);
  assert.equal(s.length, k);
  assert.equal(U!.rows, a.rows); assert.equal(U!.cols, k);
  assert.equal(V!.rows, a.cols); assert.equal(V!.cols, k);
  for (let i = 0; i < k; i++) assert.ok(s[i] >= 0 && (i === 0 || s[i] <= s[i - 1]), `${label}: σ not descending and ≥ 0 at ${i}`);
  const us = matrix64(a.rows, k, U!.data.map((x, i) => x * s[i % k]));
  const rec = matmul(us, transpose(V!));
  const back = frob(rec.data.map((x, i) => x - a.data[i])) / (frob(a.data) || 1) / (n * EPS);
  const ou = gramError(U!) / (n * EPS), ov = gramError(V!) / (n * EPS);
  assert.ok(back <= C, `${label}: ‖A − UΣVᵀ‖/‖A‖ = ${back.toFixed(2)}·nε > ${C}·nε`);
  assert.ok(ou <= C, `${label}: ‖UᵀU − I‖ = ${ou.toFixed(2)}·nε > ${C}·nε`);
  assert.ok(ov <= C, `${label}: ‖VᵀV − I‖ = ${ov.toFixed(2)}·nε > ${C}·nε`);
  return r;
}

function checkValues(s: ArrayLike<number>, ref: ArrayLike<number>, n: number, label: string): void {
  assert.equal(s.length, ref.length);
  let big = Number.MIN_VALUE;
  for (let i = 0; i < ref.length; i++) big = Math.max(big, Math.abs(ref[i]));
  const tol = C * n * EPS * big;
  for (let i = 0; i < s.length; i++) {
    assert.ok(Math.abs(s[i] - ref[i]) <= tol, `${label}: σ_${i} = ${s[i]} but the reference says ${ref[i]} (|Δ| > ${tol.toExponential(2)})`);
  }
}

function dcAgainstReferences(a: Matrix64, label: string, jacobi = true): SvdResult {
  const n = Math.max(a.rows, a.cols);
  const r = checkFactors(a, wasmSvd(a, { vectors: true }, 0), label);
  checkValues(r.s, wasmSvd(a, { vectors: true }, Infinity).s, n, `${label} vs QR`);
  if (jacobi) checkValues(r.s, jacobiSvd(a).s, n, `${label} vs Jacobi`);
  return r;
}

describe('svd vectors by divide and conquer (at every size)', () => {
  it('should factor random square, tall and wide matrices (n = 1, 2, 3, 25, 26, 100, 257)', () => {
    for (const n of [1, 2, 3, 25, 26, 100, 257]) dcAgainstReferences(gaussian(n, n, n), `${n}×${n}`);
    for (const [r, c] of [[80, 31], [31, 80], [2, 9], [9, 2], [140, 60]] as const) dcAgainstReferences(gaussian(r, c, r * 1000 + c), `${r}×${c}`);
  });

  it('should factor rank-deficient matrices (exact zero singular values deflate)', () => {
    const x = gaussian(90, 7, 5), y = gaussian(70, 7, 6);
    const r = dcAgainstReferences(matmul(x, transpose(y)), 'rank 7, 90×70');
    for (let i = 7; i < 70; i++) assert.ok(r.s[i] <= C * 90 * EPS * r.s[0], `σ_${i} = ${r.s[i]}`);
    const z = gaussian(60, 60, 9);
    for (let i = 0; i < 60; i++) { z.data[i * 60 + 3] = 0; z.data[i * 60 + 40] = 0; z.data[17 * 60 + i] = 0; }
    dcAgainstReferences(z, 'zero rows and columns');
    // whole merges of zeros (no scale to divide by): a zero matrix, and one with 10 nonzero columns
    const zeros = checkFactors(matrix64(130, 130), wasmSvd(matrix64(130, 130), { vectors: true }, 0), 'zero matrix');
    assert.ok(zeros.s.every((x) => x === 0));
    const thin = matrix64(140, 140);
    for (let i = 0; i < 140; i++) for (let j = 0; j < 10; j++) thin.data[i * 140 + j] = Math.sin(i * 7 + j);
    dcAgainstReferences(thin, '10 nonzero columns of 140', false);
  });

  it('should factor repeated singular values: the identity, 3 × orthogonal, clusters', () => {
    for (const n of [26, 100]) {
      const eye = matrix64(n, n);
      for (let i = 0; i < n; i++) eye.data[i * n + i] = 1;
      checkValues(dcAgainstReferences(eye, `I_${n}`).s, new Array(n).fill(1), n, `I_${n} exact`);
      const q = orthogonal(n, n + 3), q3 = matrix64(n, n, q.data.map((x) => 3 * x));
      checkValues(dcAgainstReferences(q3, `3·Q_${n}`).s, new Array(n).fill(3), n, `3·Q_${n} exact`);
    }
    const sigma = Array.from({ length: 80 }, (_, i) => (i < 30 ? 2 : i < 31 ? 1.5 : i < 60 ? 1 : i < 70 ? 1 + 1e-13 * (i - 60) : 0.25));
    sigma.sort((p, q) => q - p);
    const r = dcAgainstReferences(withSpectrum(80, 80, sigma, 12), 'clustered spectrum');
    checkValues(r.s, sigma, 80, 'clustered spectrum exact');
  });

  it('should keep graded singular values 1 … 1e-14 to c·n·ε·σ_max', () => {
    for (const n of [40, 120]) {
      const sigma = Array.from({ length: n }, (_, i) => 10 ** (-14 * i / (n - 1)));
      const r = dcAgainstReferences(withSpectrum(n, n, sigma, n), `graded ${n}`);
      checkValues(r.s, sigma, n, `graded ${n} exact`);
    }
  });

  it('should scale: tiny and huge entries give the scaled spectrum and finite vectors', () => {
    const a = gaussian(70, 50, 21), ref = wasmSvd(a, { vectors: true }, 0);
    for (const f of [1e-300, 1e-150, 1e150, 1e300]) {
      const b = matrix64(70, 50, a.data.map((x) => x * f));
      const r = wasmSvd(b, { vectors: true }, 0);
      assert.ok(r.U!.data.every(Number.isFinite) && r.V!.data.every(Number.isFinite), `×${f}: vectors not finite`);
      // the factors of b = f·a are those of a with σ scaled by f
      checkFactors(a, { s: r.s.map((x) => x / f), U: r.U, V: r.V }, `×${f}`);
      checkValues(r.s.map((x) => x / f), ref.s, 70, `×${f}`);
    }
  });

  it('should run divide and conquer from min(rows, cols) = DIVIDE_CONQUER_MIN_SIZE and the QR iteration below', () => {
    const same = (a: Matrix64, crossover: number) => {
      const byDefault = wasmSvd(a, { vectors: true }), forced = wasmSvd(a, { vectors: true }, crossover);
      assert.deepEqual(byDefault.U!.data, forced.U!.data);
      assert.deepEqual(byDefault.V!.data, forced.V!.data);
    };
    same(gaussian(DIVIDE_CONQUER_MIN_SIZE + 2, DIVIDE_CONQUER_MIN_SIZE, 77), 0);
    same(gaussian(DIVIDE_CONQUER_MIN_SIZE - 1, 300, 78), Infinity);
  });
});

describe('bidiagonal divide and conquer (bidiagDivideConquer.ts)', () => {
  /** B = U·diag(s)·Vᵀ, orthogonal U and V, and the QR iteration's values, all to c·n·ε. */
  function checkBidiagonal(d: Float64Array, e: Float64Array, leaf: number, label: string): void {
    const n = d.length;
    const { s, U, V } = bidiagDc(d, e, { leaf });
    const q = Float64Array.from(d), qe = Float64Array.from(e);
    bidiagQr(q, qe);
    const mine = Array.from(s).sort((x, y) => y - x), ref = Array.from(q).sort((x, y) => y - x);
    checkValues(mine, ref, n, label);
    const b = matrix64(n, n), us = matrix64(n, n), um = matrix64(n, n), vm = matrix64(n, n);
    for (let i = 0; i < n; i++) { b.data[i * n + i] = d[i]; if (i + 1 < n) b.data[i * n + i + 1] = e[i]; }
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) { um.data[i * n + j] = U[j * n + i]; us.data[i * n + j] = U[j * n + i] * s[j]; vm.data[i * n + j] = V[j * n + i]; }
    const rec = matmul(us, transpose(vm));
    const back = frob(rec.data.map((x, i) => x - b.data[i])) / (frob(b.data) || 1) / (n * EPS);
    assert.ok(back <= C, `${label}: backward error ${back.toFixed(2)}·nε`);
    assert.ok(gramError(um) / (n * EPS) <= C, `${label}: U not orthogonal`);
    assert.ok(gramError(vm) / (n * EPS) <= C, `${label}: V not orthogonal`);
  }

  it('should agree with the QR iteration with small leaves (deep recursion, every merge shape)', () => {
    const rng = deriveRng(3, 'bidiag');
    for (const n of [4, 5, 7, 8, 13, 31, 64]) {
      for (const leaf of [3, 4, 6]) {
        const d = rng.fillNormal(new Float64Array(n)), e = rng.fillNormal(new Float64Array(n));
        checkBidiagonal(d, e, leaf, `random n=${n} leaf=${leaf}`);
      }
    }
  });

  it('should handle zeros on the diagonal and superdiagonal, equal entries and a graded matrix', () => {
    const rng = deriveRng(4, 'bidiag');
    const n = 60;
    const d = rng.fillNormal(new Float64Array(n)), e = rng.fillNormal(new Float64Array(n));
    for (let i = 0; i < n; i += 5) d[i] = 0;
    for (let i = 2; i < n; i += 7) e[i] = 0;
    checkBidiagonal(d, e, 4, 'zeros');
    checkBidiagonal(new Float64Array(n).fill(1), new Float64Array(n).fill(1), 5, 'ones');
    checkBidiagonal(new Float64Array(n).fill(2), new Float64Array(n), 5, 'diagonal 2·I');
    const g = Float64Array.from({ length: n }, (_, i) => 10 ** (-i / 4)), ge = Float64Array.from(g, (x) => x / 3);
    checkBidiagonal(g, ge, 6, 'graded');
  });
});

describe('secular equation (bidiagSecular.ts)', () => {
  it('should find σ with each dᵢ² − σ² accurate next to clustered poles, and orthogonal vectors from ẑ', () => {
    // poles 1 apart by 1e-12: forming dᵢ² − σ² as a difference of squares would lose 12 digits
    const K = 12;
    const d = Float64Array.from({ length: K }, (_, i) => (i === 0 ? 0 : 1 + i * 1e-12));
    const z = Float64Array.from({ length: K }, (_, i) => 1e-4 * (1 + (i % 3)));
    const { sigma, delta } = secularRoots(d, z, K);
    for (let j = 0; j < K; j++) {
      // the secular function vanishes at σ_j, evaluated from the returned differences
      let f = 1, sum = 1;
      for (let i = 0; i < K; i++) { f += (z[i] * z[i]) / delta[j * K + i]; sum += Math.abs((z[i] * z[i]) / delta[j * K + i]); }
      assert.ok(Math.abs(f) <= 16 * K * EPS * sum, `root ${j}: f = ${f}`);
      if (j > 0 && j < K - 1) assert.ok(sigma[j] > d[j] && sigma[j] < d[j + 1], `root ${j} outside its interval`);
      // the returned difference for the root's own pole against (d − σ)(d + σ)
      const own = delta[j * K + j];
      assert.ok(own < 0 || j === 0, `δ_j of root ${j} has the wrong sign`);
    }
    const zh = lownerZ(d, z, K, delta);
    const { left, right } = secularVectors(d, zh, K, delta);
    for (const q of [left, right]) {
      const g = matrix64(K, K, q);
      assert.ok(gramError(g) <= 8 * K * EPS, `vectors not orthogonal: ${gramError(g)}`);
    }
  });

  it('should agree with the singular values of the explicit matrix [zᵀ; diag(d)]', () => {
    const K = 9;
    const d = Float64Array.from([0, 0.1, 0.5, 0.7, 1, 2, 2.5, 4, 10]);
    const z = Float64Array.from([0.3, -1, 0.2, 2, -0.5, 0.01, 1, -3, 0.7]);
    const m = matrix64(K, K);
    for (let i = 0; i < K; i++) { m.data[i] = z[i]; if (i > 0) m.data[i * K + i] = d[i]; }
    const ref = jacobiSvd(m).s.slice().reverse();
    checkValues(secularRoots(d, z, K).sigma, ref, K, 'explicit');
  });
});

describe('blocked back-transformation (bidiagBackTransform.ts)', () => {
  it('should equal the reflectors applied one at a time, stored as columns or rows, for blocks of 1, 3 and 32', () => {
    const m = 37, n = 23, cols = 11;
    const rng = deriveRng(8, 'wy');
    const a = rng.fillNormal(new Float64Array(m * n)); // reflector storage as bidiagonalize.ts leaves it
    const tau = Float64Array.from({ length: n }, (_, k) => (k % 7 === 3 ? 0 : 1 + 0.5 * Math.sin(k)));
    for (const by of ['columns', 'rows'] as const) {
      const first = by === 'columns' ? 0 : 1, count = by === 'columns' ? n : n - 2, rows = by === 'columns' ? m : n;
      const vec = (k: number, i: number) => (by === 'columns' ? a[(k + i) * n + k] : a[k * n + k + 1 + i]);
      const c0 = rng.fillNormal(new Float64Array(rows * cols));
      const ref = Float64Array.from(c0);
      for (let k = count - 1; k >= 0; k--) { // H_k = I − τ y yᵀ on rows first+k.., y = (1, vec(k, 1), …)
        const r0 = first + k;
        for (let j = 0; j < cols; j++) {
          let s = ref[r0 * cols + j];
          for (let i = 1; r0 + i < rows; i++) s += vec(k, i) * ref[(r0 + i) * cols + j];
          s *= tau[k];
          ref[r0 * cols + j] -= s;
          for (let i = 1; r0 + i < rows; i++) ref[(r0 + i) * cols + j] -= s * vec(k, i);
        }
      }
      for (const nb of [1, 3, 32]) {
        // the cols vectors (columns of c0) as the rows of x
        const x = new Float64Array(cols * rows);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[j * rows + i] = c0[i * cols + j];
        applyReflectors(x, cols, rows, count, { a, ld: n, by, tau }, jsProducts(), nb);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
          const got = x[j * rows + i], want = ref[i * cols + j];
          assert.ok(Math.abs(got - want) <= 1e-12 * (1 + Math.abs(want)), `${by}, nb=${nb}: entry (${i}, ${j}): ${got} vs ${want}`);
        }
      }
    }
  });

  it('should give the same vectors with the products on the kernel and in TypeScript', () => {
    const rng = deriveRng(9, 'kernel');
    const n = 90;
    const d = rng.fillNormal(new Float64Array(n)), e = rng.fillNormal(new Float64Array(n));
    const kp = kernelProducts(n, n, 32, 2);
    assert.ok(kp, 'the gemm kernel should load (Node ≥ 20 has WebAssembly SIMD)');
    try {
      const a = bidiagDc(d, e, { leaf: 10, products: kp }), b = bidiagDc(d, e, { leaf: 10, products: jsProducts() });
      for (const [x, y] of [[a.s, b.s], [a.U, b.U], [a.V, b.V]]) {
        for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - y[i]) <= 1e-13, `kernel ${x[i]} vs TypeScript ${y[i]} at ${i}`);
      }
    } finally {
      kp.close();
    }
  });

});
