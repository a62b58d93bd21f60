/**
 * Spectral statistics shared by the spectral probes: effective ranks (`rankStats`), input coercion, the
 * HTSR power-law tail fit (re-exported from powerLawInternals.ts), the α-ReQ rank-decay fit and the
 * Marchenko–Pastur edges. Pure float64 functions on plain arrays, tested against closed forms.
 */
import type { Matrix64 } from '@eigenflow/linalg';

export const FLOAT32_EPS = 1.1920928955078125e-7;
export const FLOAT64_EPS = 2.220446049250313e-16;

/**
 * Machine epsilon of the precision a matrix's values carry: float32's when every entry is a
 * float32 number (a matrix computed on tfjs and widened at the edge — its rounding noise is
 * float32-sized), float64's otherwise. Used for the numerical-rank threshold.
 */
export function epsOf(m: Matrix64): number {
  const d = m.data;
  for (let i = 0; i < d.length; i++) if (Math.fround(d[i]) !== d[i]) return FLOAT64_EPS;
  return FLOAT32_EPS;
}

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
export function rankStats(s: ArrayLike<number>, maxDim = s.length, eps = FLOAT64_EPS): RankStats {
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

/** Metrics of `rankStats` as the spectral probes emit them. */
export const RANK_METRICS = {
  erank_pr: { kind: 'scalar', doc: 'participation-ratio effective rank (Σσ)²/Σσ²' },
  erank_entropy: { kind: 'scalar', doc: 'entropy effective rank exp(H(σ/Σσ))' },
  stable_rank: { kind: 'scalar', doc: 'stable rank Σσ²/σ_max²' },
  condition: { kind: 'scalar', doc: 'condition number σ_max/σ_min (Infinity when singular)' },
  rank: { kind: 'scalar', doc: 'numerical rank: σ > max(m, n)·ε·σ_max, ε of the precision the values carry' },
} as const;

/** The HTSR tail fit lives in powerLawInternals.ts (WeightWatcher's conventions by default). */
export { fitPowerLaw, type PowerLawFit, type PowerLawOptions, type KsConvention } from './powerLawInternals.ts';

export interface DecayFit {
  /** Decay exponent: λ_i ≈ c·i^(−alpha). */
  alpha: number;
  /** Weighted R² of the log-log fit. */
  r2: number;
  /** Ranks actually used (1-based, inclusive). */
  lo: number;
  hi: number;
}

/**
 * α-ReQ fit (Agrawal et al. 2022): normalise the eigenvalues to sum 1, sort descending, and fit
 * ln λ_i = c − α ln i over ranks lo..hi (1-based) by weighted least squares. Weights 1/i
 * (`logUniform`) make every octave of ranks count equally; `uniform` is ordinary least squares.
 */
export function fitDecay(values: ArrayLike<number>, lo = 11, hi = 100, weighting: 'logUniform' | 'uniform' = 'logUniform'): DecayFit {
  const v = Array.from(values).sort((a, b) => b - a);
  const total = v.reduce((acc, x) => acc + Math.max(x, 0), 0);
  let last = Math.min(hi, v.length);
  while (last >= lo && !(v[last - 1] > 0)) last--;
  if (last - lo + 1 < 2 || total <= 0) return { alpha: NaN, r2: NaN, lo, hi: last };
  let sw = 0, sx = 0, sy = 0;
  for (let i = lo; i <= last; i++) {
    const w = weighting === 'logUniform' ? 1 / i : 1, x = Math.log(i), y = Math.log(v[i - 1] / total);
    sw += w; sx += w * x; sy += w * y;
  }
  const mx = sx / sw, my = sy / sw;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = lo; i <= last; i++) {
    const w = weighting === 'logUniform' ? 1 / i : 1, dx = Math.log(i) - mx, dy = Math.log(v[i - 1] / total) - my;
    sxx += w * dx * dx; sxy += w * dx * dy; syy += w * dy * dy;
  }
  const slope = sxy / sxx;
  return { alpha: -slope, r2: syy > 0 ? (sxy * sxy) / (sxx * syy) : 1, lo, hi: last };
}

/**
 * Marchenko–Pastur support of the eigenvalues of XᵀX/n for an n×p matrix X with i.i.d. entries
 * of variance σ²: [σ²(1−√γ)², σ²(1+√γ)²], γ = p/n (the nonzero eigenvalues when γ > 1).
 */
export function mpEdges(n: number, p: number, sigma2: number): { lower: number; upper: number; gamma: number } {
  const gamma = p / n, r = Math.sqrt(gamma);
  return { lower: sigma2 * (1 - r) ** 2, upper: sigma2 * (1 + r) ** 2, gamma };
}

/**
 * Density of the nonzero eigenvalues of XᵀX/n (normalised to 1 over the min(n, p) of them):
 * √((b−x)(x−a)) / (2π σ² min(γ, 1) x) on [a, b].
 */
export function mpDensity(x: number, gamma: number, sigma2 = 1): number {
  const { lower, upper } = mpEdges(1, gamma, sigma2);
  if (x <= lower || x >= upper) return 0;
  return Math.sqrt((upper - x) * (x - lower)) / (2 * Math.PI * sigma2 * Math.min(gamma, 1) * x);
}

/** A copy with column means removed. */
export function centerColumns(a: Matrix64): Matrix64 {
  const data = Float64Array.from(a.data), mean = new Float64Array(a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) mean[j] += data[i * a.cols + j] / a.rows;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) data[i * a.cols + j] -= mean[j];
  return { rows: a.rows, cols: a.cols, data };
}
