/**
 * Wn = I: the clean residual stream. Emits the matrix and its spectrum (all ones).
 *
 * ## Example
 * `"wn": { "type": "wn.identity", "params": { "n": 100 } }`
 */
import { toTensor } from '../../src/linalg/index.ts';
import { defineNode } from '../../src/node.ts';
import { emitSpectrum, identity_impl } from './wnInternals.ts';

export const identity = defineNode({
  type: 'wn.identity',
  doc: 'The n × n identity as residual matrix Wn; emits its singular values and eigenvalues.',
  params: { n: { type: 'int', doc: 'number of features', min: 1 } },
  inputs: {},
  outputs: { out: { type: 'matrix', doc: 'Wn = I (n × n)', shape: (p) => [p.n, p.n] } },
  run({ params, ctx }) {
    const w = identity_impl(params.n);
    emitSpectrum(ctx, w, true);
    return { out: toTensor(w) };
  },
});
