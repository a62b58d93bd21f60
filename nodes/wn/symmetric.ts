/**
 * Symmetric residual noise Wn = I + σS: the Gaussian noise of `wn.asymmetric` drawn once for the
 * upper triangle and mirrored into the lower one (zero diagonal). Emits the matrix, its singular
 * values and its eigenvalues.
 *
 * ## Example
 * `"wn": { "type": "wn.symmetric", "params": { "n": 100, "sigma": 0.03 } }`
 */
import { toTensor } from '../../src/linalg/index.ts';
import { defineNode } from '../../src/node.ts';
import { emitSpectrum, symmetric_impl } from './wnInternals.ts';

export const symmetric = defineNode({
  type: 'wn.symmetric',
  doc: 'Wn = I + σS with S symmetric, S_ij = S_ji iid standard normal for i < j, zero diagonal; emits singular values and eigenvalues.',
  params: {
    n: { type: 'int', doc: 'number of features', min: 1 },
    sigma: { type: 'number', doc: 'noise scale σ', min: 0 },
  },
  inputs: {},
  outputs: { out: { type: 'matrix', doc: 'Wn (n × n), symmetric', shape: (p) => [p.n, p.n] } },
  run({ params, ctx }) {
    const w = symmetric_impl(params.n, params.sigma, ctx.rng);
    emitSpectrum(ctx, w, true);
    return { out: toTensor(w) };
  },
});
