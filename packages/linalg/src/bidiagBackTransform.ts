/**
 * Blocked back-transformation of the SVD's vectors (LAPACK's dormbr through dlarft + dlarfb):
 * U = Q_L·U_B and V = Q_R·V_B, where Q_L = H₀H₁…H_{n−1} and Q_R = G₀G₁…G_{n−3} are the
 * Householder reflectors the bidiagonalisation stored (bidiagonalize.ts) and U_B, V_B are the bidiagonal
 * matrix's singular vectors.
 *
 * The reflectors are taken in blocks of nb from the last one back. A block H_k…H_{k+nb−1} is
 * I − Y·T·Yᵀ (compact WY form: Y the block's reflector vectors, unit lower trapezoidal; T upper
 * triangular nb×nb, dlarft). The vectors are held as the rows of X (X = Uᵀ), so a block is
 * applied as three matrix products, P = X·Y, P' = P·Tᵀ, X ← X − P'·Yᵀ, instead of nb passes over
 * X with one reflector each. Held as rows, every product has one row per vector and a small right
 * factor that the kernel packs once (as in tridiagBackTransform.ts).
 */
import type { Products } from './divideConquerProducts.ts';


/**
 * Where the reflector vectors are, as bidiagonalize.ts stores them in the m×n row-major `a`:
 * 'columns': vector k is column k below row k (the left reflectors, acting on rows k..);
 * 'rows': vector k is row k right of column k+1 (the right reflectors, acting on rows k+1.. of V).
 */
export interface StoredReflectors { a: Float64Array; ld: number; by: 'columns' | 'rows'; tau: Float64Array }

/**
 * Apply Q = H₀…H_{count−1} to each of the nv vectors held as the rows of X (nv × len, row-major,
 * in place): x ← Q·x. Reflector k acts on entries first+k.. with vector y_k = (1, stored entries),
 * taken from `r` (first = 0 for 'columns', 1 for 'rows').
 */
export function applyReflectors(x: Float64Array, nv: number, len: number, count: number, r: StoredReflectors, products: Products, nb: number): void {
  const first = r.by === 'columns' ? 0 : 1, { a, ld } = r;
  for (let end = count; end > 0; end -= nb) {
    const k0 = Math.max(0, end - nb), b = end - k0;
    const r0 = first + k0, l = len - r0; // the block touches entries r0..len−1
    if (l <= 0) continue;
    // Y (l × b) and Yᵀ (b × l), row-major: column p is zero above row p, 1 on it, then y_{k0+p}
    const y = products.scratch(0, l * b), yt = products.scratch(1, b * l);
    if (r.by === 'columns') { // row i of Y is a[k0 + i, k0 .. k0+b) (entries right of the diagonal masked)
      for (let i = 0; i < l; i++) {
        const o = (k0 + i) * ld + k0, lim = Math.min(i, b);
        for (let p = 0; p < lim; p++) y[i * b + p] = a[o + p];
        if (i < b) y[i * b + i] = 1;
      }
      for (let p = 0; p < b; p++) for (let i = p; i < l; i++) yt[p * l + i] = y[i * b + p];
    } else { // row p of Yᵀ is a[k0 + p, k0+1+p ..]
      for (let p = 0; p < b; p++) {
        const o = (k0 + p) * ld + k0 + 1;
        yt[p * l + p] = 1;
        for (let i = p + 1; i < l; i++) yt[p * l + i] = a[o + i];
      }
      for (let i = 0; i < l; i++) for (let p = 0, lim = Math.min(i + 1, b); p < lim; p++) y[i * b + p] = yt[p * l + i];
    }
    // T from the Gram matrix G = Yᵀ·Y (a product), and Tᵀ
    const g = products.scratch(3, b * b), t = products.scratch(4, b * b), tt = products.scratch(6, b * b);
    products.mul(b, b, l, 1, yt, y, 0, g);
    triangularFactor(g, b, r.tau.subarray(k0, end), t);
    for (let i = 0; i < b; i++) for (let j = i; j < b; j++) tt[j * b + i] = t[i * b + j];
    // X_sub = X[:, r0:] (nv × l, rows len apart): P = X_sub·Y, P' = P·Tᵀ, X_sub −= P'·Yᵀ
    const sub = x.subarray(r0);
    const p1 = products.scratch(2, nv * b), p2 = products.scratch(5, nv * b);
    products.mul(nv, b, l, 1, sub, y, 0, p1, len, b, b);
    products.mul(nv, b, b, 1, p1, tt, 0, p2);
    products.mul(nv, l, b, -1, p2, yt, 1, sub, b, l, len);
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
