/**
 * Low-rank residual matrix Wn = I + αUUᵀ: U is n × r with orthonormal columns (QR of a Gaussian
 * matrix), and the diagonal is reset to 1 afterwards, as in the seed. Emits the matrix, its
 * singular values and its eigenvalues.
 *
 * ## Example
 * `"wn": { "type": "wn.lowRank", "params": { "n": 100, "rank": 5, "alpha": 0.5 } }`
 */
import { defineNode } from '../../src/node.ts';
import { emitSpectrum, SPECTRUM_METRICS, lowRankWn } from './wnInternals.ts';

export const lowRank = defineNode({
  type: 'wn.lowRank',
  doc: 'Wn = I + αUUᵀ, U (n × rank) with orthonormal columns, diagonal reset to 1; emits singular values and eigenvalues.',
  params: {
    n: { type: 'int', doc: 'number of features', min: 1 },
    rank: { type: 'int', doc: 'rank r of the inflation UUᵀ', min: 1 },
    alpha: { type: 'number', doc: 'inflation coefficient α' },
  },
  inputs: {},
  metrics: SPECTRUM_METRICS,
  outputs: { out: { type: 'matrix', precision: 'float64', doc: 'Wn (n × n), symmetric', shape: (p) => [p.n, p.n] } },
  check: (p) => (p.rank <= p.n ? [] : [`rank must be at most n (got rank=${p.rank}, n=${p.n})`]),
  run({ params, ctx }) {
    const w = lowRankWn(params.n, params.rank, params.alpha, ctx.rng);
    emitSpectrum(ctx, w, true);
    return { out: w };
  },
});
