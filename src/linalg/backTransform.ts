/**
 * Blocked back-transformation of the SVD's vectors (LAPACK's dormbr through dlarft + dlarfb):
 * U = Q_L·U_B and V = Q_R·V_B, where Q_L = H₀H₁…H_{n−1} and Q_R = G₀G₁…G_{n−3} are the
 * Householder reflectors the bidiagonalisation stored (bidiag.ts) and U_B, V_B are the bidiagonal
 * matrix's singular vectors.
 *
 * The reflectors are taken in blocks of nb from the last one back. A block H_k…H_{k+nb−1} is
 * I − Y·T·Yᵀ (compact WY form: Y the block's reflector vectors, unit lower trapezoidal; T upper
 * triangular nb×nb, dlarft), so applying it to C is two matrix products, C ← C − Y·(T·(Yᵀ·C)),
 * instead of nb passes over C with one reflector each.
 */
import type { Products } from './dcProducts.ts';

/** Reflectors per block: 64 measured 5–15% faster than 32 at 1024² (bench/svdVectors.ts --phases, alternated runs). */
export const WY_BLOCK = 64;

/**
 * Where the reflector vectors are, as bidiag.ts stores them in the m×n row-major `a`:
 * 'columns': vector k is column k below row k (the left reflectors, acting on rows k..);
 * 'rows': vector k is row k right of column k+1 (the right reflectors, acting on rows k+1.. of V).
 */
export interface StoredReflectors { a: Float64Array; ld: number; by: 'columns' | 'rows'; tau: Float64Array }

/**
 * Apply Q = H₀…H_{count−1} to C (rows×cols, row-major, in place); reflector k acts on rows
 * first+k.. of C with vector y_k = (1, stored entries), taken from `r` (first = 0 for 'columns',
 * 1 for 'rows').
 */
export function applyReflectors(c: Float64Array, rows: number, cols: number, count: number, r: StoredReflectors, products: Products, nb = WY_BLOCK): void {
  const first = r.by === 'columns' ? 0 : 1, { a, ld } = r;
  for (let end = count; end > 0; end -= nb) {
    const k0 = Math.max(0, end - nb), b = end - k0;
    const r0 = first + k0, len = rows - r0; // the block touches rows r0..rows−1
    if (len <= 0) continue;
    // Y (len × b) and Yᵀ (b × len), row-major: column p is zero above row p, 1 on it, then y_{k0+p}
    const y = products.scratch(0, len * b), yt = products.scratch(1, b * len);
    if (r.by === 'columns') { // row i of Y is a[k0 + i, k0 .. k0+b) (entries right of the diagonal masked)
      for (let i = 0; i < len; i++) {
        const o = (k0 + i) * ld + k0, lim = Math.min(i, b);
        for (let p = 0; p < lim; p++) y[i * b + p] = a[o + p];
        if (i < b) y[i * b + i] = 1;
      }
      for (let p = 0; p < b; p++) for (let i = p; i < len; i++) yt[p * len + i] = y[i * b + p];
    } else { // row p of Yᵀ is a[k0 + p, k0+1+p ..]
      for (let p = 0; p < b; p++) {
        const o = (k0 + p) * ld + k0 + 1;
        yt[p * len + p] = 1;
        for (let i = p + 1; i < len; i++) yt[p * len + i] = a[o + i];
      }
      for (let i = 0; i < len; i++) for (let p = 0, lim = Math.min(i + 1, b); p < lim; p++) y[i * b + p] = yt[p * len + i];
    }
    // T from the Gram matrix G = Yᵀ·Y (a product), then W = Yᵀ·C_sub, W₂ = T·W, C_sub ← C_sub − Y·W₂
    const g = products.scratch(3, b * b), t = products.scratch(4, b * b);
    products.mul(b, b, len, 1, yt, y, 0, g);
    triangularFactor(g, b, r.tau.subarray(k0, end), t);
    const sub = c.subarray(r0 * cols, rows * cols);
    const w = products.scratch(2, b * cols), w2 = products.scratch(5, b * cols);
    products.mul(b, cols, len, 1, yt, sub, 0, w);
    products.mul(b, cols, b, 1, t, w, 0, w2);
    products.mul(len, cols, b, -1, y, w2, 1, sub);
  }
}

/**
 * dlarft (forward, columnwise): T (b×b, upper triangular, written into `t`, which must be zero)
 * with H₀…H_{b−1} = I − Y·T·Yᵀ, from the Gram matrix G = YᵀY (b×b, row-major):
 * T[i][i] = τᵢ, T[0:i, i] = −τᵢ·T[0:i, 0:i]·G[0:i, i].
 */
export function triangularFactor(g: Float64Array, b: number, tau: Float64Array, t: Float64Array): Float64Array {
  for (let i = 0; i < b; i++) {
    const ti = tau[i];
    t[i * b + i] = ti;
    if (ti === 0) continue; // H_i = I: column i of T stays zero above the diagonal
    for (let p = 0; p < i; p++) {
      let s = 0;
      for (let q = p; q < i; q++) s += t[p * b + q] * g[q * b + i];
      t[p * b + i] = -ti * s;
    }
  }
  return t;
}
