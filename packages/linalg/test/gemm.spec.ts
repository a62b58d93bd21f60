/**
 * The gemm kernel (C ← β·C + α·A·B, row-major, leading dimensions) against its TypeScript
 * statement `gemmJs` (same operations in the same order: equal to the bit) and against a plain
 * triple loop (to rounding), on odd shapes that exercise every edge of the kernel: rows and
 * columns not multiples of four, more than one block of 256 terms and of 64 columns, padded
 * leading dimensions, threads.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gemm, gemmArrays, gemmJs, GEMM_KC } from '../src/gemm.ts';
import { kernelsAvailable } from '../src/wasmKernel.ts';

/** Deterministic entries in (−1, 1) (a small LCG; the test does not depend on a seed's luck: any values work). */
function fill(len: number, seed: number): Float64Array {
  const x = new Float64Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; x[i] = s / 2 ** 31 - 1; }
  return x;
}

/** C[i,j] += α Σ_p A[i,p] B[p,j] in the plainest order, with the sum of |products| for the error bound. */
function naive(m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, c: Float64Array, ldc: number): Float64Array {
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, t = 0;
    for (let p = 0; p < k; p++) { const x = a[i * lda + p] * b[p * ldb + j]; s += x; t += Math.abs(x); }
    c[i * ldc + j] += alpha * s;
    mag[i * n + j] = Math.abs(alpha) * t + Math.abs(c[i * ldc + j]);
  }
  return mag;
}

const SHAPES: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [4, 4, 4], [7, 9, 11], [5, 67, 3], [13, 130, 257], [66, 71, 600], [130, 3, 90]];

describe('gemm', () => {
  it('should have SIMD kernels in this runtime (Node ≥ 20)', () => assert.ok(kernelsAvailable()));

  for (const [m, n, k] of SHAPES) {
    it(`should equal its TypeScript statement bit for bit and a triple loop to rounding (${m}×${k} · ${k}×${n}, padded rows)`, () => {
      const lda = k + 3, ldb = n + 1, ldc = n + 2, alpha = -0.75;
      const a = fill(m * lda, 1 + m), b = fill(k * ldb, 2 + n), c0 = fill(m * ldc, 3 + k);
      const viaKernel = Float64Array.from(c0), viaJs = Float64Array.from(c0), viaLoop = Float64Array.from(c0);
      const mem = gemmArrays([m * lda, k * ldb, m * ldc], 1)!;
      try {
        const [A, B, C] = mem.arrays;
        A.set(a); B.set(b); C.set(c0);
        gemm(m, n, k, alpha, A, lda, B, ldb, 1, C, ldc, { work: mem.work });
        viaKernel.set(C);
      } finally { mem.close(); }
      gemmJs(m, n, k, alpha, a, lda, b, ldb, viaJs, ldc);
      const mag = naive(m, n, k, alpha, a, lda, b, ldb, viaLoop, ldc);
      assert.deepEqual(viaKernel, viaJs);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        const err = Math.abs(viaKernel[i * ldc + j] - viaLoop[i * ldc + j]);
        assert.ok(err <= 2 * (k + 2) * 2 ** -52 * mag[i * n + j], `entry (${i}, ${j}): error ${err}`);
      }
      // the padding between rows is never written
      for (let i = 0; i < m; i++) for (let j = n; j < ldc && i * ldc + j < c0.length; j++) assert.equal(viaKernel[i * ldc + j], c0[i * ldc + j]);
    });
  }

  it('should give the same bits on two threads as on one, in place and through copies', () => {
    const m = 203, n = 150, k = GEMM_KC + 45;
    const a = fill(m * k, 11), b = fill(k * n, 12), c0 = fill(m * n, 13);
    const one = Float64Array.from(c0), two = Float64Array.from(c0), copied = Float64Array.from(c0);
    gemmJs(m, n, k, 1.5, a, k, b, n, one, n);
    const mem = gemmArrays([m * k, k * n, m * n], 2)!;
    try {
      const [A, B, C] = mem.arrays;
      A.set(a); B.set(b); C.set(c0);
      gemm(m, n, k, 1.5, A, k, B, n, 1, C, n, { work: mem.work });
      two.set(C);
    } finally { mem.close(); }
    gemm(m, n, k, 1.5, a, k, b, n, 1, copied, n, { threads: 2 });
    assert.deepEqual(two, one);
    assert.deepEqual(copied, one);
  });

  it('should scale C by β first, and with β = 0 ignore what C held (NaN included)', () => {
    const m = 37, n = 41, k = 43;
    const a = fill(m * k, 5), b = fill(k * n, 6);
    const c = new Float64Array(m * n).fill(NaN), ref = new Float64Array(m * n);
    gemm(m, n, k, 2, a, k, b, n, 0, c, n);
    gemmJs(m, n, k, 2, a, k, b, n, ref, n);
    assert.deepEqual(c, ref);
    const c2 = fill(m * n, 7), ref2 = c2.map((x) => -0.5 * x);
    gemm(m, n, k, 1, a, k, b, n, -0.5, c2, n, { wasm: false });
    gemmJs(m, n, k, 1, a, k, b, n, ref2, n);
    assert.deepEqual(c2, ref2);
  });

  it('should name the argument that does not fit', () => {
    const f = (len: number) => new Float64Array(len);
    assert.throws(() => gemm(3, 4, 3, 1, f(9), 3, f(11), 4, 1, f(12), 4), /^Error: gemm: B needs 12 entries \(3×4, ldb 4\) but has 11$/);
    assert.throws(() => gemm(3, 4, 3, 1, f(9), 2, f(12), 4, 1, f(12), 4), /^Error: gemm: lda must be an integer ≥ max\(1, 3\) but got 2$/);
    assert.throws(() => gemm(-1, 4, 3, 1, f(9), 3, f(12), 4, 1, f(12), 4), /^Error: gemm: m must be a non-negative integer but got -1$/);
    assert.throws(() => gemm(4, 4, 3, 1, f(12), 3, f(12), 4, 1, f(12), 4), /^Error: gemm: C needs 16 entries \(4×4, ldc 4\) but has 12$/);
  });
});
