import { defineNode } from '../../src/node.ts';
import { svd } from '@eigenflow/linalg';
import { fitPowerLaw } from './spectralInternals.ts';

/**
 * Heavy-Tailed Self-Regularisation exponent of a weight matrix (Martin & Mahoney): the
 * empirical spectral density of WᵀW (its eigenvalues λ = σ², from the SVD of W in float64) is
 * fitted by a power law p(λ) ∝ λ^(−α) above x_min, with WeightWatcher's conventions by
 * default (see powerLawInternals.ts and docs/weights.md): eigenvalues ≤ 1e-5 dropped, x_min by the
 * one-sided Kolmogorov–Smirnov distance of powerlaw 1.5, tails down to 2 eigenvalues, α by
 * maximum likelihood, α = 1 + n / Σ ln(λ/x_min). `ks: "two-sided"` uses the two-sided distance.
 *
 * Metrics: `alpha`, `xmin`, `tail` (eigenvalues ≥ x_min), `ks`, and `esd` when `emitEsd`.
 *
 * ## Example
 * `"htsr_w1": {"type": "spectral.htsr", "inputs": {"w": "train.w1"}, "every": 50}`
 */
export const htsr = defineNode({
  type: 'spectral.htsr',
  doc: 'HTSR power-law exponent of the ESD of WᵀW: alpha (MLE), xmin (min KS), tail size, ks distance.',
  params: {
    minTail: { type: 'int', doc: 'smallest tail (number of eigenvalues ≥ x_min) a candidate x_min may leave (WeightWatcher: 2)', default: 2, min: 2 },
    ks: { type: 'string', doc: 'KS distance choosing x_min: one-sided max|F(x_j) − j/n| (WeightWatcher, powerlaw 1.5) or two-sided', default: 'one-sided', oneOf: ['one-sided', 'two-sided'] },
    evalsThresh: { type: 'number', doc: 'eigenvalues ≤ this are dropped before fitting (WeightWatcher: 1e-5)', default: 1e-5, min: 0 },
    emitEsd: { type: 'boolean', doc: 'also emit the eigenvalues of WᵀW as metric `esd`', default: false },
  },
  inputs: { w: { type: 'matrix', precision: 'float64', doc: 'weight matrix' } },
  outputs: { alpha: { type: 'number', doc: 'fitted power-law exponent (NaN if too few eigenvalues)' } },
  metrics: {
    alpha: { kind: 'scalar', doc: 'power-law exponent of the ESD tail (MLE)' },
    xmin: { kind: 'scalar', doc: 'lower end x_min of the fitted tail (minimum KS distance)' },
    tail: { kind: 'scalar', doc: 'eigenvalues ≥ x_min in the fit', unit: 'eigenvalues' },
    ks: { kind: 'scalar', doc: 'Kolmogorov–Smirnov distance of the fit' },
    esd: { kind: 'array', doc: 'eigenvalues of WᵀW, descending (when emitEsd)' },
  },
  run({ params, inputs, ctx }) {
    const w = inputs.w;
    const { s } = svd(w);
    const lam = s.map((x) => x * x);
    const fit = fitPowerLaw(lam, { minTail: params.minTail, ks: params.ks, thresh: params.evalsThresh });
    ctx.metric('alpha', fit.alpha);
    ctx.metric('xmin', fit.xmin);
    ctx.metric('tail', fit.tail);
    ctx.metric('ks', fit.ks);
    if (params.emitEsd) ctx.metric('esd', lam);
    return { alpha: fit.alpha };
  },
});
