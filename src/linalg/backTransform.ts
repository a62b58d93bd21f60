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

/** Reflectors per block. */
export const WY_BLOCK = 32;

/**
 * Apply Q = H₀…H_{count−1} to C (rows×cols, row-major, in place), reflector k acting on rows
 * first+k.. with vector y_k = (1, vec(k, 1), vec(k, 2), …) and factor tau[k]; `vec(k, i)` is entry
 * i (i ≥ 1) of y_k below its leading 1, for i < rows − first − k.
 */
export function applyReflectors(c: Float64Array, rows: number, cols: number, first: number, count: number, tau: Float64Array, vec: (k: number, i: number) => number, products: Products, nb = WY_BLOCK): void {
  for (let end = count; end > 0; end -= nb) {
    const k0 = Math.max(0, end - nb), b = end - k0;
    const r0 = first + k0, len = rows - r0; // the block touches rows r0..rows−1
    if (len <= 0) continue;
    // Y (len × b, row-major) and Yᵀ (b × len)
    const y = products.scratch(0, len * b), yt = products.scratch(1, b * len);
    for (let p = 0; p < b; p++) {
      const k = k0 + p;
      // column p: zeros above its own row (p), 1 on it, the stored vector below
      y[p * b + p] = 1; yt[p * len + p] = 1;
      for (let i = p + 1; i < len; i++) { const x = vec(k, i - p); y[i * b + p] = x; yt[p * len + i] = x; }
    }
    const t = triangularFactor(yt, len, b, tau.subarray(k0, end));
    // W = Yᵀ·C_sub (b × cols), W ← T·W, C_sub ← C_sub − Y·W
    const sub = c.subarray(r0 * cols, rows * cols);
    const w = products.scratch(2, b * cols);
    products.mul(b, cols, len, 1, yt, sub, 0, w);
    for (let i = 0; i < b; i++) { // row i of T·W, T upper triangular: rows below i are not read again
      const wi = i * cols;
      for (let j = 0; j < cols; j++) w[wi + j] *= t[i * b + i];
      for (let p = i + 1; p < b; p++) {
        const tp = t[i * b + p];
        if (tp === 0) continue;
        const wp = p * cols;
        for (let j = 0; j < cols; j++) w[wi + j] += tp * w[wp + j];
      }
    }
    products.mul(len, cols, b, -1, y, w, 1, sub);
  }
}

/**
 * dlarft (forward, columnwise): T with H₀…H_{b−1} = I − Y·T·Yᵀ, from Yᵀ (b × len, row-major):
 * T[i][i] = τᵢ, T[0:i, i] = −τᵢ·T[0:i, 0:i]·(Y[:, 0:i]ᵀ·yᵢ).
 */
export function triangularFactor(yt: Float64Array, len: number, b: number, tau: Float64Array): Float64Array {
  const t = new Float64Array(b * b);
  const g = new Float64Array(b);
  for (let i = 0; i < b; i++) {
    const ti = tau[i];
    t[i * b + i] = ti;
    if (ti === 0) continue; // H_i = I: column i of T stays zero above the diagonal
    for (let p = 0; p < i; p++) { // g_p = y_pᵀ·y_i (y_i is zero above row i)
      let s = 0;
      const op = p * len, oi = i * len;
      for (let r = i; r < len; r++) s += yt[op + r] * yt[oi + r];
      g[p] = s;
    }
    for (let p = 0; p < i; p++) {
      let s = 0;
      for (let q = p; q < i; q++) s += t[p * b + q] * g[q];
      t[p * b + i] = -ti * s;
    }
  }
  return t;
}
