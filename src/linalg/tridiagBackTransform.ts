/**
 * Z ← Q·Z for the orthogonal Q = H₀·H₁⋯H_{n−3} of a Householder tridiagonalisation (tridiag.ts:
 * H_k = I − τ_k·v_k·v_kᵀ, v_k[k+1] = 1, v_k[i] = a[i, k] for i ≥ k+2, zero above), with the
 * reflectors taken nb at a time in compact WY form (LAPACK dlarft + dlarfb, as dormtr does):
 *
 *   H_{k0}·H_{k0+1}⋯H_{k0+nb−1} = I − V·T·Vᵀ,   T upper triangular,
 *   T[c, c] = τ_c,  T[0:c, c] = −τ_c · T[0:c, 0:c] · (V[:, 0:c]ᵀ·v_c),
 *
 * so each block is three matrix products (gemm.ts): W = Vᵀ·Z, W' = T·W, Z −= V·W'. The blocks are
 * applied last first (Z ← H₀(H₁(⋯(H_{n−3}·Z)))); block k0 touches rows k0+1..n−1 only.
 * With Z = the eigenvectors of the tridiagonal matrix, the result is the eigenvectors of A.
 */
import { gemm, type GemmWork } from './gemm.ts';

/** Reflectors per block (LAPACK's default for dormtr is 32 as well). */
export const BACK_TRANSFORM_BLOCK = 32;

/** Scratch for one block: V (n×nb), Vᵀ (nb×n), W and W' (nb×n each), T and VᵀV (nb×nb each); in the gemm work's memory when there is one. */
export interface BackTransformArrays { v: Float64Array; vt: Float64Array; w: Float64Array; w2: Float64Array; t: Float64Array; g: Float64Array }

/** The lengths of the scratch arrays for an n×n problem with blocks of nb (in BackTransformArrays order). */
export function backTransformLengths(n: number, nb = BACK_TRANSFORM_BLOCK): number[] {
  return [n * nb, nb * n, nb * n, nb * n, nb * nb, nb * nb];
}

/**
 * Z ← Q·Z (z: n×cols, row-major, rows `cols` apart) with Q from the reflectors stored in `a`
 * (n×n) and `tau`; products on `work`'s kernels when z and the scratch live in its memory.
 */
export function applyTridiagQ(a: Float64Array, n: number, tau: Float64Array, z: Float64Array, cols: number, s: BackTransformArrays, work: GemmWork | null, nb = BACK_TRANSFORM_BLOCK): void {
  const count = n - 2; // reflectors 0..n−3
  if (count <= 0 || cols === 0) return;
  const { v, vt, w, w2, t, g } = s;
  const opts = { work };
  for (let k0 = Math.floor((count - 1) / nb) * nb; k0 >= 0; k0 -= nb) {
    const kb = Math.min(nb, count - k0), r0 = k0 + 1, m = n - r0;
    // V (m×kb) and Vᵀ (kb×m): row r is global row r0 + r; column c is v_{k0+c}
    for (let r = 0; r < m; r++) {
      const gr = r0 + r;
      for (let c = 0; c < kb; c++) {
        const k = k0 + c;
        const x = gr < k + 1 ? 0 : gr === k + 1 ? 1 : a[gr * n + k];
        v[r * kb + c] = x;
        vt[c * m + r] = x;
      }
    }
    // G = VᵀV, then T column by column
    gemm(kb, kb, m, 1, vt, m, v, kb, 0, g, kb, opts);
    t.fill(0, 0, kb * kb);
    for (let c = 0; c < kb; c++) {
      const tc = tau[k0 + c];
      t[c * kb + c] = tc;
      if (tc === 0) continue;
      for (let i = 0; i < c; i++) {
        let s2 = 0;
        for (let j = i; j < c; j++) s2 += t[i * kb + j] * g[j * kb + c];
        t[i * kb + c] = -tc * s2;
      }
    }
    const zr = z.subarray(r0 * cols);
    gemm(kb, cols, m, 1, vt, m, zr, cols, 0, w, cols, opts); // W = VᵀZ
    gemm(kb, cols, kb, 1, t, kb, w, cols, 0, w2, cols, opts); // W' = T·W
    gemm(m, cols, kb, -1, v, kb, w2, cols, 1, zr, cols, opts); // Z −= V·W'
  }
}
