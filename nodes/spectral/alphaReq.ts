import { argError } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { svd } from '@eigenflow/linalg';
import { centerColumns, fitDecay } from './spectralInternals.ts';

/**
 * α-ReQ of a feature matrix (Agrawal et al. 2022): eigenvalues of the centred feature
 * covariance (rows are samples; λ = σ(X_c)²/(n−1), from the SVD of the centred features),
 * normalised to sum 1, fitted as λ_i ∝ i^(−α) over ranks lo..hi by weighted least squares in
 * log-log. The range is capped at the numerical rank of the centred features (singular values
 * above σ_max·max(n, d)·ε₆₄, as numpy's `matrix_rank`): with n ≤ hi samples the centred matrix
 * has rank n − 1 and its last eigenvalue is round-off (~1e-33), which must not enter a log-log fit.
 *
 * Metrics: `alpha`, `r2`, `lo_used`, `hi_used` (the ranks fitted), `rank` (numerical rank), and
 * `eigenvalues` (normalised) when `emitSpectrum`.
 *
 * ## Example
 * `"req": {"type": "spectral.alphaReq", "inputs": {"features": "train.hidden"}, "every": 50}`
 */
export const alphaReq = defineNode({
  type: 'spectral.alphaReq',
  doc: 'α-ReQ: power-law decay exponent of the centred feature covariance spectrum (WLS in log-log over ranks lo..hi), with R².',
  params: {
    lo: { type: 'int', doc: 'first rank of the fit (1-based)', default: 11, min: 1 },
    hi: { type: 'int', doc: 'last rank of the fit (1-based, inclusive)', default: 100, min: 2 },
    weighting: { type: 'string', doc: 'logUniform: weights 1/i (each octave counts equally); uniform: OLS', default: 'logUniform', oneOf: ['logUniform', 'uniform'] },
    emitSpectrum: { type: 'boolean', doc: 'also emit the normalised eigenvalues as metric `eigenvalues`', default: false },
  },
  check: (p) => (p.hi <= p.lo ? [`hi must be greater than lo (got lo=${p.lo}, hi=${p.hi})`] : []),
  inputs: { features: { type: 'matrix', precision: 'float64', doc: 'n×d features (rows = samples)' } },
  outputs: { alpha: { type: 'number', doc: 'decay exponent (NaN if fewer than 2 ranks in range)' } },
  metrics: {
    alpha: { kind: 'scalar', doc: 'rank-decay exponent α of the covariance eigenvalues, λ_i ∝ i^(−α)' },
    r2: { kind: 'scalar', doc: 'weighted R² of the log-log fit' },
    lo_used: { kind: 'scalar', doc: 'first rank used in the fit' },
    hi_used: { kind: 'scalar', doc: 'last rank actually used in the fit (≤ hi, and ≤ the numerical rank)' },
    rank: { kind: 'scalar', doc: 'numerical rank of the centred features (numpy matrix_rank rule)' },
    eigenvalues: { kind: 'array', doc: 'covariance eigenvalues normalised to sum 1, descending (when emitSpectrum)' },
  },
  run({ params, inputs, ctx }) {
    const x = inputs.features;
    if (x.rows < 2) throw argError(ctx.type, 'features', 'have at least 2 rows (samples)', `${x.rows}`);
    const { s } = svd(centerColumns(x));
    const lam = s.map((v) => (v * v) / (x.rows - 1));
    const tol = (s[0] ?? 0) * Math.max(x.rows, x.cols) * 2.220446049250313e-16;
    let rank = 0;
    while (rank < s.length && s[rank] > tol) rank++;
    const fit = fitDecay(lam.slice(0, rank), params.lo, params.hi, params.weighting);
    ctx.metric('alpha', fit.alpha);
    ctx.metric('r2', fit.r2);
    ctx.metric('lo_used', fit.lo);
    ctx.metric('hi_used', fit.hi);
    ctx.metric('rank', rank);
    if (params.emitSpectrum) {
      const total = lam.reduce((a, b) => a + b, 0);
      ctx.metric('eigenvalues', lam.map((v) => v / total));
    }
    return { alpha: fit.alpha };
  },
});
