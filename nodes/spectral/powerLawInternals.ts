/**
 * The HTSR power-law tail fit, with WeightWatcher's conventions by default.
 *
 * Source of each convention (WeightWatcher, github.com/CalculatedContent/WeightWatcher):
 * - eigenvalues ≤ 1e-5 are dropped before fitting: `fit_powerlaw` fits `evals[evals > thresh]`
 *   with `thresh = EVALS_THRESH = 1e-5` (weightwatcher.py, constants.py);
 * - candidate x_min: every sorted value but the largest (`WWFit.xmins = data[:-1]`,
 *   WW_powerlaw.py), so the smallest tail is 2 eigenvalues; duplicates are not skipped;
 * - α = 1 + n / (Σ ln x − n ln x_min) (`WWFit.fit_power_law`);
 * - KS distance D = max_j |1 − (x_j/x_min)^(1−α) − j/n|, j = 0…n−1 — one-sided, as powerlaw 1.5's
 *   `cumulative_distribution_function` (empirical CDF `arange(n)/n`); D = 1 when α ≤ 1;
 * - x_min = the first candidate with the smallest D (`np.argmin(self.Ds)`);
 * - σ(α) = (α − 1)/√n (`WWFit.fit_power_law`).
 *
 * `ks: 'two-sided'` uses the supremum distance between the fitted CDF and the empirical step
 * function, checking both sides of each step: max_j max(|F_j − j/n|, |F_j − (j+1)/n|).
 */
export type KsConvention = 'one-sided' | 'two-sided';

export interface PowerLawOptions {
  /** Smallest tail (number of eigenvalues ≥ x_min) a candidate x_min may leave. WeightWatcher: 2. */
  minTail?: number;
  ks?: KsConvention;
  /** Values ≤ thresh are dropped before fitting. WeightWatcher: 1e-5. */
  thresh?: number;
}

export interface PowerLawFit {
  alpha: number;
  xmin: number;
  /** Largest value fitted. */
  xmax: number;
  /** Number of eigenvalues ≥ x_min used in the fit. */
  tail: number;
  /** Kolmogorov–Smirnov distance (in the chosen convention) between the tail and the fitted power law. */
  ks: number;
  /** Standard error of the MLE, (α − 1)/√tail. */
  sigma: number;
  /** Number of values fitted (after dropping those ≤ thresh). */
  fitted: number;
}

export const WW_EVALS_THRESH = 1e-5;
export const WW_MIN_TAIL = 2;

/**
 * Continuous power law p(x) ∝ x^(−α) on x ≥ x_min (Clauset, Shalizi & Newman 2009): for each
 * candidate x_min, α by maximum likelihood and the KS distance of the tail to the fit; keep the
 * x_min with the smallest distance. A number as second argument is `minTail` (older callers).
 */
export function fitPowerLaw(values: ArrayLike<number>, options: PowerLawOptions | number = {}): PowerLawFit {
  const o = typeof options === 'number' ? { minTail: options } : options;
  const minTail = Math.max(2, o.minTail ?? WW_MIN_TAIL), twoSided = o.ks === 'two-sided', thresh = o.thresh ?? WW_EVALS_THRESH;
  const x = Array.from(values).filter((v) => v > thresh && Number.isFinite(v)).sort((a, b) => a - b);
  const N = x.length;
  const none: PowerLawFit = { alpha: NaN, xmin: NaN, xmax: NaN, tail: 0, ks: NaN, sigma: NaN, fitted: N };
  if (N < minTail) return none;
  // suffix sums of ln x: S[i] = Σ_{j ≥ i} ln x_j
  const S = new Float64Array(N + 1);
  for (let i = N - 1; i >= 0; i--) S[i] = S[i + 1] + Math.log(x[i]);
  let best = none, bestD = Infinity;
  for (let i = 0; i <= N - minTail; i++) {
    const n = N - i, lx = Math.log(x[i]);
    const alpha = 1 + n / (S[i] - n * lx);
    let D = 1;
    if (alpha > 1 && Number.isFinite(alpha)) {
      D = 0;
      for (let j = 0; j < n; j++) {
        const F = 1 - Math.exp((1 - alpha) * (Math.log(x[i + j]) - lx));
        const d = twoSided ? Math.max(Math.abs(F - j / n), Math.abs(F - (j + 1) / n)) : Math.abs(F - j / n);
        if (d > D) D = d;
      }
    }
    if (D < bestD) {
      bestD = D;
      best = { alpha, xmin: x[i], xmax: x[N - 1], tail: n, ks: D, sigma: (alpha - 1) / Math.sqrt(n), fitted: N };
    }
  }
  return Number.isFinite(best.alpha) ? best : none;
}
