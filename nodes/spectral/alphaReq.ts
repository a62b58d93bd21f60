import { defineNode } from '../../src/node.ts';
import { svd } from '../../src/linalg/index.ts';
import { centerColumns, fitDecay } from './spectralInternals.ts';

/**
 * α-ReQ of a feature matrix (Agrawal et al. 2022): eigenvalues of the centred feature
 * covariance (rows are samples; λ = σ(X_c)²/(n−1), from the SVD of the centred features),
 * normalised to sum 1, fitted as λ_i ∝ i^(−α) over ranks lo..hi by weighted least squares in
 * log-log. Ranks beyond the number of positive eigenvalues are dropped (`hi_used`).
 *
 * Metrics: `alpha`, `r2`, `hi_used`, and `eigenvalues` (normalised) when `emitSpectrum`.
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
    hi_used: { kind: 'scalar', doc: 'last rank actually used in the fit (≤ hi)' },
    eigenvalues: { kind: 'array', doc: 'covariance eigenvalues normalised to sum 1, descending (when emitSpectrum)' },
  },
  run({ params, inputs, ctx }) {
    const x = inputs.features;
    if (x.rows < 2) throw new Error(`Error in ${ctx.type}: features need at least 2 rows (samples) but got ${x.rows}`);
    const { s } = svd(centerColumns(x));
    const lam = s.map((v) => (v * v) / (x.rows - 1));
    const fit = fitDecay(lam, params.lo, params.hi, params.weighting as 'logUniform' | 'uniform');
    ctx.metric('alpha', fit.alpha);
    ctx.metric('r2', fit.r2);
    ctx.metric('hi_used', fit.hi);
    if (params.emitSpectrum) {
      const total = lam.reduce((a, b) => a + b, 0);
      ctx.metric('eigenvalues', lam.map((v) => v / total));
    }
    return { alpha: fit.alpha };
  },
});
