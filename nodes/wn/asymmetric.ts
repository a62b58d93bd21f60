/**
 * Asymmetric residual noise Wn = I + σB, B iid N(0, 1) with zero diagonal. Emits the matrix and its
 * singular values.
 *
 * ## Example
 * `"wn": { "type": "wn.asymmetric", "params": { "n": 100, "sigma": 0.03 } }`
 */
import { toTensor } from '../../src/linalg/index.ts';
import { defineNode } from '../../src/node.ts';
import { asymmetric_impl, emitSpectrum } from './wnInternals.ts';

export const asymmetric = defineNode({
  type: 'wn.asymmetric',
  doc: 'Wn = I + σB with B iid standard normal off the diagonal (zero diagonal); emits its singular values.',
  params: {
    n: { type: 'int', doc: 'number of features', min: 1 },
    sigma: { type: 'number', doc: 'noise scale σ', min: 0 },
  },
  inputs: {},
  outputs: { out: { type: 'matrix', doc: 'Wn (n × n)', shape: (p) => [p.n, p.n] } },
  run({ params, ctx }) {
    const w = asymmetric_impl(params.n, params.sigma, ctx.rng);
    emitSpectrum(ctx, w, false);
    return { out: toTensor(w) };
  },
});
