/**
 * Initialisations: exact λ-balanced weights and the usual Gaussian schemes.
 *
 * Exact construction: W1 = R·S1·Vᵀ (nh×ni), W2 = U·S2·Rᵀ (no×nh) with R, U, V orthogonal and
 * S1, S2 rectangular-diagonal. Then B = W2ᵀW2 − W1W1ᵀ = R(S2ᵀS2 − S1S1ᵀ)Rᵀ, so B = λI needs
 * s2ⱼ² − s1ⱼ² = λ for every hidden unit j < nh, where s1ⱼ = 0 for j ≥ ni and s2ⱼ = 0 for j ≥ no:
 *   j < min(ni, no): s1ⱼ = c, s2ⱼ = d with cd = aⱼ (the chosen singular value of W2W1);
 *   ni ≤ j < no: s2ⱼ = √λ (needs λ ≥ 0);  no ≤ j < ni: s1ⱼ = √−λ (needs λ ≤ 0);
 *   j ≥ max(ni, no): needs λ = 0.
 * Equivalently (and for any weights, since rank W2ᵀW2 ≤ no and rank W1W1ᵀ ≤ ni): λ > 0 requires
 * nh ≤ no, λ < 0 requires nh ≤ ni; λ = 0 is possible for all shapes.
 */
import { matmul, matrix64, transpose, type Matrix64, diag } from '@eigenflow/linalg';
import { balancedFactors } from './alignedInternals.ts';

/** Why (ni, nh, no, λ) admits no λ-balanced weights, or null when it does. */
export function balanceInfeasibility(ni: number, nh: number, no: number, lambda: number): string | null {
  if (lambda > 0 && nh > no) {
    return `λ-balanced weights with λ = ${lambda} > 0 need nh ≤ no (W2ᵀW2 = λI + W1W1ᵀ has full rank nh but rank W2ᵀW2 ≤ no), got nh=${nh}, no=${no}`;
  }
  if (lambda < 0 && nh > ni) {
    return `λ-balanced weights with λ = ${lambda} < 0 need nh ≤ ni (W1W1ᵀ = |λ|I + W2ᵀW2 has full rank nh but rank W1W1ᵀ ≤ ni), got nh=${nh}, ni=${ni}`;
  }
  return null;
}

/**
 * W1, W2 with W2ᵀW2 − W1W1ᵀ = λI and W2W1 = U·diag(a)·Vᵀ (first min(ni, no, nh) columns).
 * U: no×no, V: ni×ni, R: nh×nh orthogonal; a: products (≥ 0), length ≥ min(ni, no, nh).
 */
export function balancedWeights(lambda: number, a: readonly number[], U: Matrix64, V: Matrix64, R: Matrix64): { W1: Matrix64; W2: Matrix64 } {
  const no = U.rows, ni = V.rows, nh = R.rows;
  const why = balanceInfeasibility(ni, nh, no, lambda);
  if (why) throw new Error(why);
  const s1 = new Float64Array(nh), s2 = new Float64Array(nh);
  const k = Math.min(ni, no, nh);
  for (let j = 0; j < nh; j++) {
    if (j < k) { const f = balancedFactors(a[j] ?? 0, lambda); s1[j] = f.c; s2[j] = f.d; }
    else if (j < ni && j >= no) s1[j] = Math.sqrt(-lambda);
    else if (j < no && j >= ni) s2[j] = Math.sqrt(lambda);
  }
  const S1 = diag(s1.subarray(0, Math.min(nh, ni)), nh, ni);
  const S2 = diag(s2.subarray(0, Math.min(nh, no)), no, nh);
  return { W1: matmul(matmul(R, S1), transpose(V)), W2: matmul(matmul(U, S2), transpose(R)) };
}

export type GaussianScheme = 'lecun' | 'glorot' | 'he' | 'scaled' | 'gaussian';

/** Per-entry standard deviation of a fanIn → fanOut layer under a scheme. */
export function schemeStd(scheme: GaussianScheme, fanIn: number, fanOut: number, opts: { alpha?: number; sigma?: number }): number {
  switch (scheme) {
    case 'lecun': return Math.sqrt(1 / fanIn);
    case 'glorot': return Math.sqrt(2 / (fanIn + fanOut));
    case 'he': return Math.sqrt(2 / fanIn);
    case 'scaled': return (opts.alpha ?? 1) / Math.sqrt(fanIn);
    case 'gaussian': return opts.sigma ?? 1;
  }
}

export function gaussianMatrix(rows: number, cols: number, std: number, rng: { normal(): number }): Matrix64 {
  const m = matrix64(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = std * rng.normal();
  return m;
}
