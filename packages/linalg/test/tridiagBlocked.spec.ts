/**
 * The blocked (BLAS-3) tridiagonalisation (tridiagBlocked.ts) against the one-pass reduction and
 * its TypeScript reference path, and its four kernels (syr2k, symv, pdots, pupdate) against plain
 * TypeScript statements. Sizes are odd, not multiples of the panel, smaller than one panel, and
 * large enough for the worker threads.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kernelArrays } from '../src/wasmKernel.ts';
import { formQt, symMatvec, tql, tridiagonalize } from '../src/tridiag.ts';
import { panelDotsJs, panelUpdateJs, panelWidth, syr2kJs } from '../src/tridiagBlocked.ts';
import { jacobiSymEig, matrix64, symEig as anySymEig, type Matrix64 } from '../src/index.ts';
import { deriveRng } from './helpers.ts';
import { expectArraysClose } from './helpers.ts';

// These tests are about eigenflow's own (WebAssembly / TypeScript) path: pinned to it whatever
// EIGENFLOW_LINALG_BACKEND says or whichever LAPACK is installed (the LAPACK backend: lapackBackend.spec.ts).
const symEig = (a: Matrix64, opts: Parameters<typeof anySymEig>[1] = {}) => anySymEig(a, { ...opts, backend: 'wasm' });

const rng = deriveRng(14, 'tridiag-blocked');

/** A random symmetric n×n matrix stored in its lower triangle (the reduction's input). */
function lowerSymmetric(n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = rng.normal();
  return a;
}

/** Sorted eigenvalues of the tridiagonal a reduction produced. */
function tridiagEigenvalues(r: { d: Float64Array; e: Float64Array }): Float64Array {
  const d = Float64Array.from(r.d), e = Float64Array.from(r.e);
  tql(d, e);
  return d.sort();
}

/** ‖A‖ bound for tolerances: Frobenius norm of the symmetric matrix from its lower triangle. */
function frobenius(a: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) s += (i === j ? 1 : 2) * a[i * n + j] ** 2;
  return Math.sqrt(s);
}

describe('blocked tridiagonalisation kernels', () => {
  for (const [n, nb, lo] of [[37, 5, 3], [40, 8, 0], [11, 1, 2]] as const) {
    it(`syr2k: the rank-2·${nb} update of a ${n}×${n} lower triangle from column ${lo} equals the TypeScript statement exactly`, () => {
      const ws = kernelArrays([n * n, nb * n, nb * n]);
      assert.ok(ws, 'the SIMD kernels must load on Node ≥ 20');
      const [a, vt, wt] = ws.arrays;
      for (const x of ws.arrays) for (let i = 0; i < x.length; i++) x[i] = rng.normal();
      const A = Float64Array.from(a), original = Float64Array.from(a);
      // rows lo..n−1 in two slices, as two threads would take them
      const mid = lo + 7;
      ws.k.syr2k(a.byteOffset, n, lo, lo, mid, nb, vt.byteOffset, wt.byteOffset);
      ws.k.syr2k(a.byteOffset, n, lo, mid, n, nb, vt.byteOffset, wt.byteOffset);
      syr2kJs(A, n, lo, lo, n, nb, Float64Array.from(vt), Float64Array.from(wt));
      assert.deepEqual(Array.from(a), Array.from(A));
      // and the statement itself is A − V·Wᵀ − W·Vᵀ on the lower triangle from column lo, nothing else
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const o = i * n + j;
        if (i < lo || j < lo || j > i) { assert.equal(a[o], original[o], `entry (${i}, ${j}) outside the update changed`); continue; }
        let s = 0;
        for (let p = 0; p < nb; p++) s += vt[p * n + i] * wt[p * n + j] + wt[p * n + i] * vt[p * n + j];
        assert.ok(Math.abs(a[o] - (original[o] - s)) < 1e-12 * (1 + Math.abs(s)), `entry (${i}, ${j})`);
      }
    });
  }

  it('symv, pdots and pupdate on odd lengths equal their TypeScript statements', () => {
    const n = 23, nb = 4, lo = 5;
    const ws = kernelArrays([n * n, n, n, nb * n, nb * n, nb, nb, n]);
    assert.ok(ws);
    const [a, v, y, vt, wt, cw, cv, z] = ws.arrays;
    for (const x of ws.arrays) for (let i = 0; i < x.length; i++) x[i] = rng.normal();
    const Y = Float64Array.from(y);
    ws.k.symv(a.byteOffset, n, lo, lo, n, v.byteOffset, y.byteOffset);
    const Av = new Float64Array(n);
    symMatvec(a, n, lo, v, Av);
    for (let j = lo; j < n; j++) Y[j] += Av[j];
    expectArraysClose(y, Y, 1e-12);
    const CW = new Float64Array(nb), CV = new Float64Array(nb);
    ws.k.pdots(vt.byteOffset, wt.byteOffset, n, lo, 3, v.byteOffset, cw.byteOffset, cv.byteOffset);
    panelDotsJs(vt, wt, n, lo, 3, v, CW, CV);
    expectArraysClose(cw.subarray(0, 3), CW.subarray(0, 3), 1e-12);
    expectArraysClose(cv.subarray(0, 3), CV.subarray(0, 3), 1e-12);
    const Z = Float64Array.from(z);
    ws.k.pupdate(vt.byteOffset, wt.byteOffset, n, lo, 3, cw.byteOffset, cv.byteOffset, z.byteOffset);
    panelUpdateJs(vt, wt, n, lo, 3, cw, cv, Z);
    assert.deepEqual(Array.from(z), Array.from(Z));
  });
});

describe('blocked tridiagonalisation', () => {
  const cases: Array<[n: number, nb: number, threads: number]> = [
    [1, 32, 1], [2, 32, 1], [3, 2, 1], [5, 32, 1], [67, 8, 1], [71, 4, 1], [133, 32, 1], [301, 7, 1], [397, 32, 2],
  ];
  for (const [n, nb, threads] of cases) {
    it(`should give the one-pass reduction's spectrum on ${n}×${n} with panels of ${nb} (${threads} thread${threads > 1 ? 's' : ''}), SIMD and TypeScript paths`, () => {
      const a = lowerSymmetric(n);
      const tol = 1e-13 * n * frobenius(a, n);
      const reference = tridiagEigenvalues(tridiagonalize(Float64Array.from(a), n, { block: 0, wasm: false }));
      const onePass = tridiagonalize(Float64Array.from(a), n, { block: 0, threads });
      const blocked = tridiagonalize(Float64Array.from(a), n, { block: nb, threads });
      const blockedTs = tridiagonalize(Float64Array.from(a), n, { block: nb, wasm: false });
      assert.equal(blocked.simd, n * n >= 4096);
      assert.equal(blockedTs.simd, false);
      expectArraysClose(tridiagEigenvalues(onePass), reference, tol);
      expectArraysClose(tridiagEigenvalues(blocked), reference, tol);
      expectArraysClose(tridiagEigenvalues(blockedTs), reference, tol);
    });
  }

  it('should store reflectors that formQt turns into Q with QᵀAQ = T (149×149, panels of 16)', () => {
    const n = 149;
    const a = lowerSymmetric(n);
    const w = Float64Array.from(a);
    const { d, e, tau } = tridiagonalize(w, n, { block: 16 });
    const qt = formQt(w, n, tau);
    // (QᵀAQ)[i][j] with A symmetric from its lower triangle; rows of qt are Q's columns
    const A = (i: number, j: number) => (j <= i ? a[i * n + j] : a[j * n + i]);
    const aq = new Float64Array(n * n); // aq[k][j] = (A q_j)[k]
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += A(k, l) * qt[j * n + l];
      aq[k * n + j] = s;
    }
    const tol = 1e-13 * n * frobenius(a, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += qt[i * n + k] * aq[k * n + j];
      const want = i === j ? d[i] : i === j + 1 ? e[j] : j === i + 1 ? e[i] : 0;
      assert.ok(Math.abs(s - want) <= tol, `(QᵀAQ)[${i}][${j}] = ${s}, expected ${want}`);
    }
  });

  it('should give symEig with block: 32 the Jacobi reference eigenvalues and eigenvectors with A·x = λ·x (260×260)', () => {
    const n = 260;
    assert.equal(panelWidth(n, 32), 32);
    const a = matrix64(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a.data[i * n + j] = a.data[j * n + i] = rng.normal();
    const fast = symEig(a, { vectors: true, block: 32 });
    const ref = jacobiSymEig(a);
    expectArraysClose(fast.values, ref.values, 1e-10);
    const X = fast.vectors!;
    for (let c = 0; c < n; c += 37) for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a.data[i * n + k] * X.data[k * n + c];
      assert.ok(Math.abs(s - fast.values[c] * X.data[i * n + c]) < 1e-10, `column ${c} row ${i}`);
    }
  });

  it('should reject a block that is not a non-negative integer', () => {
    assert.throws(() => tridiagonalize(lowerSymmetric(4), 4, { block: -1 }), /block must be a non-negative integer but got -1/);
    assert.throws(() => tridiagonalize(lowerSymmetric(4), 4, { block: 2.5 }), /block must be a non-negative integer/);
  });
});
