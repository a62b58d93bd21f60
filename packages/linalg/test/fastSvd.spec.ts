import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { svd as anySvd, symEig as anySymEig, matmul, transpose, matrix64, type Matrix64 } from '../src/index.ts';
import { jacobiSvd, jacobiSymEig } from './jacobi.ts';
import { deriveRng } from './helpers.ts';
import { expectArraysClose } from './helpers.ts';
import { bidiagonalize } from '../src/bidiagonalize.ts';
import { tridiagonalize } from '../src/tridiagonalize.ts';

// These tests are about eigenflow's own (WebAssembly / TypeScript) path: pinned to it whatever
// EIGENFLOW_LINALG_BACKEND says or whichever LAPACK is installed (the LAPACK backend: lapackBackend.spec.ts).
const svd = (a: Matrix64, opts: Parameters<typeof anySvd>[1] = {}) => anySvd(a, { ...opts, backend: 'wasm' });
const symEig = (a: Matrix64, opts: Parameters<typeof anySymEig>[1] = {}) => anySymEig(a, { ...opts, backend: 'wasm' });

function gaussian(rows: number, cols: number, seed: number): Matrix64 {
  const m = matrix64(rows, cols);
  deriveRng(seed, 'g').fillNormal(m.data);
  return m;
}

/** A random n×k matrix with orthonormal columns, by modified Gram–Schmidt (twice) on a Gaussian. */
function orthonormal(n: number, k: number, seed: number): Matrix64 {
  const g = gaussian(n, k, seed);
  for (let j = 0; j < k; j++) {
    for (let pass = 0; pass < 2; pass++) for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += g.data[i * k + p] * g.data[i * k + j];
      for (let i = 0; i < n; i++) g.data[i * k + j] -= d * g.data[i * k + p];
    }
    let nn = 0;
    for (let i = 0; i < n; i++) nn += g.data[i * k + j] ** 2;
    nn = Math.sqrt(nn);
    for (let i = 0; i < n; i++) g.data[i * k + j] /= nn;
  }
  return g;
}

/** Q diag(σ) Pᵀ for orthonormal Q (rows×k), P (cols×k). */
function withSpectrum(rows: number, cols: number, sigma: number[], seed: number): Matrix64 {
  const k = sigma.length;
  const q = orthonormal(rows, k, seed), p = orthonormal(cols, k, seed + 1);
  for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) q.data[i * k + j] *= sigma[j];
  return matmul(q, transpose(p));
}

function maxAbs(x: ArrayLike<number>): number { let m = 0; for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i])); return m; }

function checkSvd(a: Matrix64, tol: number): Float64Array {
  const { s, U, V } = svd(a, { vectors: true });
  const k = Math.min(a.rows, a.cols);
  assert.equal(s.length, k);
  for (let i = 1; i < k; i++) assert.ok(s[i - 1] >= s[i], `not descending at ${i}`);
  for (let i = 0; i < k; i++) assert.ok(s[i] >= 0);
  const scale = Math.max(s[0] ?? 0, 1e-300);
  const us = matrix64(a.rows, k);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = U!.data[i * k + j] * s[j];
  const rec = matmul(us, transpose(V!));
  assert.ok(maxAbs(rec.data.map((x, i) => x - a.data[i])) <= tol * scale, 'reconstruction');
  const eye = Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0));
  expectArraysClose(matmul(transpose(U!), U!).data, eye, tol);
  expectArraysClose(matmul(transpose(V!), V!).data, eye, tol);
  return s;
}

describe('svd (Householder + bidiagonal QR)', () => {
  it('should reconstruct tall, wide, square and degenerate shapes with orthonormal U, V', () => {
    for (const [r, c] of [[1, 1], [1, 6], [6, 1], [2, 2], [9, 4], [4, 9], [33, 33], [60, 17], [17, 60]] as const) {
      checkSvd(gaussian(r, c, r * 100 + c), 1e-12);
    }
  });

  it('should leave its input as it was, with or without vectors, on the TypeScript and WebAssembly paths', () => {
    // values of a tall matrix read the input directly (no copy): it must come back untouched
    for (const [r, c] of [[9, 4], [4, 9], [200, 120], [120, 200]] as const) {
      for (const vectors of [false, true]) {
        const a = gaussian(r, c, r + c);
        const before = Float64Array.from(a.data);
        svd(a, { vectors });
        assert.deepEqual(a.data, before, `${r}×${c}, vectors ${vectors}`);
      }
    }
    const huge = gaussian(150, 100, 7);
    for (let i = 0; i < huge.data.length; i++) huge.data[i] *= 2 ** 600; // scaled on a copy
    const before = Float64Array.from(huge.data);
    svd(huge);
    assert.deepEqual(huge.data, before);
  });

  it('should agree with the Jacobi reference on random matrices', () => {
    for (const [r, c] of [[40, 40], [50, 23], [23, 50]] as const) {
      const a = gaussian(r, c, r + c);
      expectArraysClose(svd(a).s, jacobiSvd(a).s, 1e-12);
    }
  });

  it('should return an exactly constructed spectrum, including repeated and zero singular values', () => {
    const sigma = [5, 3, 3, 3, 1, 1e-3, 0, 0];
    for (const [r, c] of [[12, 8], [8, 12], [8, 8]] as const) {
      const s = checkSvd(withSpectrum(r, c, sigma, r * c), 1e-12);
      expectArraysClose(s, sigma, 1e-13 * 5 * 8);
    }
  });

  it('should handle rank-deficient XYᵀ: exactly k singular values above roundoff', () => {
    const x = gaussian(40, 3, 7), y = gaussian(30, 3, 8);
    const s = checkSvd(matmul(x, transpose(y)), 1e-12);
    for (let i = 3; i < 30; i++) assert.ok(s[i] < 1e-12 * s[0], `σ_${i} = ${s[i]}`);
    assert.ok(s[2] > 1e-3 * s[0]);
  });

  it('should keep absolute accuracy ε·σ_max on an ill-conditioned matrix (κ = 1e12)', () => {
    const sigma = Array.from({ length: 20 }, (_, i) => 10 ** (-12 * i / 19));
    const s = checkSvd(withSpectrum(25, 20, sigma, 3), 1e-12);
    expectArraysClose(s, sigma, 1e-13);
  });

  it('should be invariant under orthogonal transformations on both sides', () => {
    const a = gaussian(30, 20, 11);
    const q = orthonormal(30, 30, 12), p = orthonormal(20, 20, 13);
    expectArraysClose(svd(matmul(matmul(q, a), p)).s, svd(a).s, 1e-12);
  });

  it('should give all-zero values for a zero matrix and scale linearly', () => {
    expectArraysClose(svd(matrix64(5, 3)).s, [0, 0, 0], 0);
    const a = gaussian(10, 7, 5), b = matrix64(10, 7, a.data.map((x) => -3 * x));
    expectArraysClose(svd(b).s, svd(a).s.map((x) => 3 * x), 1e-13);
  });

  it('should take the WebAssembly SIMD path on larger matrices and agree with the TypeScript path', () => {
    for (const [r, c] of [[90, 61], [64, 64], [61, 90]] as const) {
      checkSvd(gaussian(r, c, r * 7 + c), 1e-12); // ≥ 4096 entries: the SIMD kernel reduces it
      expectArraysClose(svd(gaussian(r, c, r + 1)).s, jacobiSvd(gaussian(r, c, r + 1)).s, 1e-12);
    }
    const a = gaussian(81, 77, 3);
    const x = Float64Array.from(a.data), y = Float64Array.from(a.data);
    const p = bidiagonalize(x, 81, 77), q = bidiagonalize(y, 81, 77, { wasm: false });
    expectArraysClose(p.d, q.d, 1e-12);
    expectArraysClose(p.e, q.e, 1e-12);
    expectArraysClose(x, y, 1e-12);
  });

  it('should handle rank deficiency, zero columns and repeated values on the SIMD path', () => {
    const x = gaussian(100, 4, 17), y = gaussian(80, 4, 18);
    const a = matmul(x, transpose(y)); // rank 4, 100×80
    for (let i = 0; i < 100; i++) { a.data[i * 80 + 7] = 0; a.data[i * 80 + 50] = 0; }
    const s = checkSvd(a, 1e-12);
    for (let i = 4; i < 80; i++) assert.ok(s[i] < 1e-12 * s[0], `σ_${i} = ${s[i]}`);
    const sigma = Array.from({ length: 70 }, (_, i) => (i < 30 ? 2 : i < 60 ? 1 : 0));
    expectArraysClose(checkSvd(withSpectrum(90, 70, sigma, 5), 1e-12), sigma, 1e-12);
  });

  it('should survive entries near overflow and underflow (scaled internally)', () => {
    const a = gaussian(70, 60, 41), ref = svd(a).s;
    for (const f of [1e200, 1e-200, 1e300, 1e-300]) {
      const b = matrix64(70, 60, a.data.map((x) => x * f));
      const { s, U } = svd(b, { vectors: true });
      expectArraysClose(s.map((x) => x / f), ref, 1e-12);
      assert.ok(U!.data.every(Number.isFinite));
      const g = matmul(transpose(a), a), h = matrix64(60, 60, g.data.map((x) => x * f));
      expectArraysClose(symEig(h).values.map((x) => x / f), symEig(g).values, 1e-10);
    }
  });

  it('should reject a matrix with NaN or Infinity', () => {
    const a = gaussian(4, 4, 1);
    a.data[5] = NaN;
    assert.throws(() => svd(a), /svd: matrix has a non-finite entry \(NaN\)/);
  });
});

describe('symEig (Householder tridiagonalisation + implicit QL)', () => {
  function sym(n: number, seed: number): Matrix64 {
    const g = gaussian(n, n, seed);
    return matrix64(n, n, g.data.map((x, i) => x + g.data[(i % n) * n + Math.floor(i / n)]));
  }

  it('should satisfy A V = V Λ with orthonormal V and agree with Jacobi', () => {
    for (const n of [1, 2, 3, 10, 41]) {
      const a = sym(n, n);
      const { values, vectors } = symEig(a, { vectors: true });
      for (let i = 1; i < n; i++) assert.ok(values[i - 1] >= values[i]);
      const av = matmul(a, vectors!);
      for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
        assert.ok(Math.abs(av.data[i * n + j] - values[j] * vectors!.data[i * n + j]) < 1e-11);
      }
      expectArraysClose(matmul(transpose(vectors!), vectors!).data, Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), 1e-12);
      expectArraysClose(values, jacobiSymEig(a).values, 1e-11);
    }
  });

  it('should take the WebAssembly SIMD path from 64×64 and agree with the TypeScript path and Jacobi', () => {
    const a = sym(70, 9);
    const { values, vectors } = symEig(a, { vectors: true });
    expectArraysClose(values, jacobiSymEig(a).values, 1e-11);
    const av = matmul(a, vectors!);
    for (let j = 0; j < 70; j++) for (let i = 0; i < 70; i++) assert.ok(Math.abs(av.data[i * 70 + j] - values[j] * vectors!.data[i * 70 + j]) < 1e-11);
    const x = Float64Array.from(a.data), y = Float64Array.from(a.data);
    const p = tridiagonalize(x, 70), q = tridiagonalize(y, 70, { wasm: false });
    expectArraysClose(p.d, q.d, 1e-12);
    expectArraysClose(p.e, q.e, 1e-12);
  });

  it('should handle diagonal and block-diagonal input on the SIMD path (reflectors with τ = 0)', () => {
    const n = 80, a = matrix64(n, n);
    const diag = Array.from({ length: n }, (_, i) => ((i * 37) % n) - 40);
    diag.forEach((v, i) => { a.data[i * n + i] = v; });
    expectArraysClose(symEig(a).values, [...diag].sort((p, q) => q - p), 1e-13);
    const b = sym(40, 30), c = sym(40, 31), bc = matrix64(n, n);
    for (let i = 0; i < 40; i++) for (let j = 0; j < 40; j++) { bc.data[i * n + j] = b.data[i * 40 + j]; bc.data[(i + 40) * n + j + 40] = c.data[i * 40 + j]; }
    const expected = [...jacobiSymEig(b).values, ...jacobiSymEig(c).values].sort((p, q) => q - p);
    const { values, vectors } = symEig(bc, { vectors: true });
    expectArraysClose(values, expected, 1e-11);
    expectArraysClose(matmul(transpose(vectors!), vectors!).data, Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0)), 1e-12);
  });

  it('should recover a constructed spectrum with repeated, negative and zero eigenvalues', () => {
    const lam = [4, 2, 2, 2, 0, 0, -1, -1, -7];
    const n = lam.length, q = orthonormal(n, n, 21);
    const ql = matrix64(n, n, q.data.map((x, i) => x * lam[i % n]));
    const a = matmul(ql, transpose(q));
    expectArraysClose(symEig(a).values, lam, 1e-13 * 7 * n);
  });

  it('should read only the upper triangle and give σ² of B for BᵀB', () => {
    const b = gaussian(30, 12, 4);
    const g = matmul(transpose(b), b);
    for (let i = 1; i < 12; i++) for (let j = 0; j < i; j++) g.data[i * 12 + j] = 999; // junk below
    expectArraysClose(symEig(g).values, svd(b).s.map((x) => x * x), 1e-10);
    assert.throws(() => symEig(matrix64(2, 3)), /symEig: matrix must be square, got 2×3/);
  });
});
