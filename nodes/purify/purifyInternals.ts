/**
 * Linear self-supervised purification: the encoder W minimising
 *
 *   ‖X − WX‖²_F + λ‖W‖²_F
 *
 * for a data matrix X = UΣVᵀ (features × samples) is Ŵ = U diag(σ_i²/(σ_i² + λ)) Uᵀ: in the
 * rotated coordinates W̃ = UᵀWU the objective splits into Σ_i σ_i²(1 − w̃_ii)² + λw̃_ii² plus
 * (σ_j² + λ)w̃_ij² off the diagonal. The shrinkage s_i(λ) = σ_i²/(σ_i² + λ) falls from 1 to 0
 * as λ grows and rises with σ, so "keep the top k (s ≥ t_keep), attenuate the rest
 * (s ≤ t_att)" holds exactly for
 *
 *   max_{j > k} σ_j²(1 − t_att)/t_att  ≤  λ  ≤  min_{i ≤ k} σ_i²(1 − t_keep)/t_keep,
 *
 * i.e. the binding components are σ_k (smallest kept) and σ_{k+1} (largest attenuated).
 */
import { matrix64, matmul, svd, transpose, type Matrix64 } from '@eigenflow/linalg';

export function shrinkage(sigmas: ArrayLike<number>, lambda: number): Float64Array {
  return Float64Array.from(sigmas, (s) => (s * s === 0 && lambda === 0 ? 1 : (s * s) / (s * s + lambda)));
}

export interface LambdaRange {
  /** Smallest λ that attenuates every component after the top k (0 when none is attenuated). */
  lo: number;
  /** Largest λ that keeps every top-k component (∞ when none is kept). */
  hi: number;
  feasible: boolean;
}

/** The closed interval of λ keeping the k largest σ (shrinkage ≥ keepAbove) and attenuating the rest (≤ attenuateBelow). */
export function lambdaRange(sigmas: ArrayLike<number>, k: number, keepAbove: number, attenuateBelow: number): LambdaRange {
  const s = Array.from(sigmas).map(Math.abs).sort((a, b) => b - a);
  let hi = Infinity, lo = 0;
  for (let i = 0; i < s.length; i++) {
    const sq = s[i] * s[i];
    if (i < k) hi = Math.min(hi, sq * (1 / keepAbove - 1));
    else lo = Math.max(lo, sq * (1 / attenuateBelow - 1));
  }
  return { lo, hi, feasible: lo <= hi };
}

/** Ŵ = U diag(σ²/(σ² + λ)) Uᵀ from the thin SVD of X; also returns σ and the shrinkage. */
export function ridgeEncoder(X: Matrix64, lambda: number): { W: Matrix64; sigmas: Float64Array; shrink: Float64Array } {
  const { s, U } = svd(X, { vectors: true });
  const shrink = shrinkage(s, lambda);
  const m = X.rows, r = s.length;
  const US = matrix64(m, r);
  for (let i = 0; i < m; i++) for (let j = 0; j < r; j++) US.data[i * r + j] = U!.data[i * r + j] * shrink[j];
  return { W: matmul(US, transpose(U!)), sigmas: s, shrink };
}

/** The two terms of the purification objective for a given W. */
export function purificationLoss(X: Matrix64, W: Matrix64): { reconstruction: number; regularization: number } {
  const WX = matmul(W, X);
  let rec = 0, reg = 0;
  for (let i = 0; i < WX.data.length; i++) rec += (X.data[i] - WX.data[i]) ** 2;
  for (const w of W.data) reg += w * w;
  return { reconstruction: rec, regularization: reg };
}
