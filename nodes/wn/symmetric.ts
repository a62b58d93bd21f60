/**
 * Symmetric residual noise Wn = I + σS: the Gaussian noise of `wn.asymmetric` drawn once for the
 * upper triangle and mirrored into the lower one (zero diagonal). Emits the matrix, its singular
 * values and its eigenvalues.
 *
 * ## Example
 * `"wn": { "type": "wn.symmetric", "params": { "n": 100, "sigma": 0.03 } }`
 */
import { defineNode } from '../../src/node.ts';
import { emitSpectrum, SPECTRUM_METRICS, symmetricWn } from './wnInternals.ts';

export const symmetric = defineNode({
  type: 'wn.symmetric',
  doc: 'Wn = I + σS with S symmetric, S_ij = S_ji iid standard normal for i < j, zero diagonal; emits singular values and eigenvalues.',
  params: {
    n: { type: 'int', doc: 'number of features', min: 1 },
    sigma: { type: 'number', doc: 'noise scale σ', min: 0 },
  },
  inputs: {},
  metrics: SPECTRUM_METRICS,
  outputs: { out: { type: 'matrix', precision: 'float64', doc: 'Wn (n × n), symmetric', shape: (p) => [p.n, p.n] } },
  run({ params, ctx }) {
    const w = symmetricWn(params.n, params.sigma, ctx.rng);
    emitSpectrum(ctx, w, true);
    return { out: w };
  },
});
