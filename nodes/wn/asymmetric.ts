/**
 * Asymmetric residual noise Wn = I + σB, B iid N(0, 1) with zero diagonal. Emits the matrix and its
 * singular values.
 *
 * ## Example
 * `"wn": { "type": "wn.asymmetric", "params": { "n": 100, "sigma": 0.03 } }`
 */
import { defineNode } from '../../src/node.ts';
import { asymmetricWn, emitSpectrum, SPECTRUM_METRICS } from './wnInternals.ts';

export const asymmetric = defineNode({
  type: 'wn.asymmetric',
  doc: 'Wn = I + σB with B iid standard normal off the diagonal (zero diagonal); emits its singular values.',
  params: {
    n: { type: 'int', doc: 'number of features', min: 1 },
    sigma: { type: 'number', doc: 'noise scale σ', min: 0 },
  },
  inputs: {},
  metrics: { singular_values: SPECTRUM_METRICS.singular_values },
  outputs: { out: { type: 'matrix', precision: 'float64', doc: 'Wn (n × n)', shape: (p) => [p.n, p.n] } },
  run({ params, ctx }) {
    const w = asymmetricWn(params.n, params.sigma, ctx.rng);
    emitSpectrum(ctx, w, false);
    return { out: w };
  },
});
