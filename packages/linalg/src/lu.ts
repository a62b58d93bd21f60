/**
 * LU factorisation with partial pivoting in float64: `solve(A, B)` = A⁻¹B and `inverse(A)`.
 */
import { identity, matrix64, type Matrix64 } from './matrix.ts';

/** Solve A·X = B for square A. Throws when A is singular to working precision. */
export function solve(a: Matrix64, b: Matrix64): Matrix64 {
  const n = a.rows;
  if (a.cols !== n) throw new Error(`solve: matrix must be square, got ${a.rows}×${a.cols}`);
  if (b.rows !== n) throw new Error(`solve: right-hand side has ${b.rows} rows, expected ${n}`);
  const A = Float64Array.from(a.data), m = b.cols, X = Float64Array.from(b.data);
  let scaleMax = 0;
  for (const x of A) scaleMax = Math.max(scaleMax, Math.abs(x));
  for (let k = 0; k < n; k++) {
    let p = k, best = Math.abs(A[k * n + k]);
    for (let i = k + 1; i < n; i++) { const v = Math.abs(A[i * n + k]); if (v > best) { best = v; p = i; } }
    if (!(best > scaleMax * n * 1e-15)) throw new Error(`solve: matrix is singular to working precision (pivot ${best} at column ${k})`);
    if (p !== k) {
      for (let j = 0; j < n; j++) { const t = A[k * n + j]; A[k * n + j] = A[p * n + j]; A[p * n + j] = t; }
      for (let j = 0; j < m; j++) { const t = X[k * m + j]; X[k * m + j] = X[p * m + j]; X[p * m + j] = t; }
    }
    const akk = A[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = A[i * n + k] / akk;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) A[i * n + j] -= f * A[k * n + j];
      for (let j = 0; j < m; j++) X[i * m + j] -= f * X[k * m + j];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    const akk = A[k * n + k];
    for (let j = 0; j < m; j++) {
      let s = X[k * m + j];
      for (let i = k + 1; i < n; i++) s -= A[k * n + i] * X[i * m + j];
      X[k * m + j] = s / akk;
    }
  }
  return matrix64(n, m, X);
}

export function inverse(a: Matrix64): Matrix64 {
  return solve(a, identity(a.rows));
}
