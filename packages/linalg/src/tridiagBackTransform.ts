/**
 * Q·x for every vector x of a set, Q = H₀·H₁⋯H_{n−3} the orthogonal matrix of a Householder
 * tridiagonalisation (tridiagonalize.ts: H_k = I − τ_k·v_k·v_kᵀ, v_k[k+1] = 1, v_k[i] = a[i, k] for
 * i ≥ k+2, zero above), with the reflectors taken nb at a time in compact WY form (LAPACK dlarft +
 * dlarfb, as dormtr does):
 *
 *   H_{k0}·H_{k0+1}⋯H_{k0+nb−1} = I − V·T·Vᵀ,   T upper triangular,
 *   T[c, c] = τ_c,  T[0:c, c] = −τ_c · T[0:c, 0:c] · (V[:, 0:c]ᵀ·v_c).
 *
 * The vectors are the rows of Zᵗ (so that every product below has many rows and a small right
 * factor, which the gemm kernel packs once): Zᵗ ← Zᵗ·Qᵀ, one block at a time, last block first,
 * as three matrix products (gemm.ts): Y = Zᵗ·V, Y' = Y·Tᵀ, Zᵗ −= Y'·Vᵀ; block k0 touches columns
 * k0+1..n−1 only. With Zᵗ's rows the eigenvectors of the tridiagonal matrix, the result's rows
 * are the eigenvectors of A.
 */
import { gemm, type GemmWork } from './gemm.ts';

/** Scratch for one block: V (n×nb), Vᵀ (nb×n), Y and Y' (rows×nb each), Tᵀ and VᵀV (nb×nb each); in the gemm work's memory when there is one. */
export interface BackTransformArrays { v: Float64Array; vt: Float64Array; w: Float64Array; w2: Float64Array; t: Float64Array; g: Float64Array }

/** The lengths of the scratch arrays for n×n reflectors applied to `rows` vectors (default n), blocks of nb (in BackTransformArrays order). */
export function backTransformLengths(n: number, nb: number, rows = n): number[] {
  return [n * nb, nb * n, rows * nb, rows * nb, nb * nb, nb * nb];
}

/**
 * Zᵗ ← Zᵗ·Qᵀ (zt: rows×n, row-major, each row a vector x replaced by (Q·x)ᵀ) with Q from the
 * reflectors stored in `a` (n×n) and `tau`; products on `work`'s kernels when zt and the scratch
 * live in its memory.
 */
export function applyTridiagQ(a: Float64Array, n: number, tau: Float64Array, zt: Float64Array, rows: number, s: BackTransformArrays, work: GemmWork | null, nb: number): void {
  const count = n - 2; // reflectors 0..n−3
  if (count <= 0 || rows === 0) return;
  const { v, vt, w: y, w2: y2, t, g } = s;
  const opts = { work };
  for (let k0 = Math.floor((count - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
    const kb = Math.min(nb, count - k0), r0 = k0 + 1, m = n - r0;
    // V (m×kb) and Vᵀ (kb×m): row r is coordinate r0 + r; column c is v_{k0+c}
    for (let r = 0; r < m; r++) {
      const gr = r0 + r;
      for (let c = 0; c < kb; c++) {
        const k = k0 + c;
        const x = gr < k + 1 ? 0 : gr === k + 1 ? 1 : a[gr * n + k];
        v[r * kb + c] = x;
        vt[c * m + r] = x;
      }
    }
    // G = VᵀV, then T column by column, stored transposed (t[j, i] = T[i, j])
    gemm(kb, kb, m, 1, vt, m, v, kb, 0, g, kb, opts);
    t.fill(0, 0, kb * kb);
    for (let c = 0; c < kb; c++) {
      const tc = tau[k0 + c];
      t[c * kb + c] = tc;
      if (tc === 0) continue;
      for (let i = 0; i < c; i++) {
        let s2 = 0;
        for (let j = i; j < c; j++) s2 += t[j * kb + i] * g[j * kb + c];
        t[c * kb + i] = -tc * s2;
      }
    }
    const zr = zt.subarray(r0); // columns r0.. of every row (rows n apart)
    gemm(rows, kb, m, 1, zr, n, v, kb, 0, y, kb, opts); // Y = Zᵗ·V
    gemm(rows, kb, kb, 1, y, kb, t, kb, 0, y2, kb, opts); // Y' = Y·Tᵀ
    gemm(rows, m, kb, -1, y2, kb, vt, m, 1, zr, n, opts); // Zᵗ −= Y'·Vᵀ
  }
}
