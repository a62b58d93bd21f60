/**
 * Effective ranks and conditioning of a singular spectrum: the definitions every probe shares
 * (spectral probes, the CiS residual target), so a number called `erank_pr` means one thing.
 */

export interface RankStats {
  /** (Σσ)² / Σσ² — the participation-ratio effective rank (seed 002's). */
  erank_pr: number;
  /** exp(H(p)), p = σ/Σσ (Roy & Vetterli 2007). */
  erank_entropy: number;
  /** Σσ² / σ_max². */
  stable_rank: number;
  /** σ_max / σ_min over all min(rows, cols) values (Infinity if numerically singular: rank < min(rows, cols)). */
  condition: number;
  /** Number of σ > max(rows, cols)·ε·σ_max. */
  rank: number;
}

/**
 * Effective ranks and conditioning of a singular spectrum (descending or not). The numerical
 * rank counts σ > maxDim·eps·σ_max: eps is float64's by default, float32's for tensor data.
 */
export function rankStats(s: ArrayLike<number>, maxDim = s.length, eps = 2.220446049250313e-16): RankStats {
  let sum = 0, sum2 = 0, max = 0, min = Infinity;
  for (let i = 0; i < s.length; i++) { const x = s[i]; sum += x; sum2 += x * x; max = Math.max(max, x); min = Math.min(min, x); }
  if (sum === 0) return { erank_pr: 0, erank_entropy: 0, stable_rank: 0, condition: Infinity, rank: 0 };
  let h = 0;
  for (let i = 0; i < s.length; i++) { const p = s[i] / sum; if (p > 0) h -= p * Math.log(p); }
  const tol = maxDim * eps * max;
  let rank = 0;
  for (let i = 0; i < s.length; i++) if (s[i] > tol) rank++;
  return { erank_pr: (sum * sum) / sum2, erank_entropy: Math.exp(h), stable_rank: sum2 / (max * max), condition: rank === s.length && min > 0 ? max / min : Infinity, rank };
}
