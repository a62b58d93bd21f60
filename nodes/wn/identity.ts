/**
 * Wn = I: the clean residual stream. Emits the matrix and its spectrum (all ones).
 *
 * ## Example
 * `"wn": { "type": "wn.identity", "params": { "n": 100 } }`
 */
import { defineNode } from '../../src/node.ts';
import { emitSpectrum, SPECTRUM_METRICS, identityWn } from './wnInternals.ts';

export const identity = defineNode({
  type: 'wn.identity',
  doc: 'The n × n identity as residual matrix Wn; emits its singular values and eigenvalues.',
  params: { n: { type: 'int', doc: 'number of features', min: 1 } },
  inputs: {},
  metrics: SPECTRUM_METRICS,
  outputs: { out: { type: 'matrix', precision: 'float64', doc: 'Wn = I (n × n)', shape: (p) => [p.n, p.n] } },
  run({ params, ctx }) {
    const w = identityWn(params.n);
    emitSpectrum(ctx, w, true);
    return { out: w };
  },
});
