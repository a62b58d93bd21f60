/**
 * One residual-matrix node for graphs that choose Wn by a parameter (`--set wn=symmetric`): `kind`
 * picks identity, asymmetric noise (σ), symmetric noise (σ) or low rank (rank, α), built by the
 * same functions as `wn.identity`, `wn.asymmetric`, `wn.symmetric` and `wn.lowRank`. Parameters
 * the chosen kind does not use are ignored. Emits the matrix and its spectrum.
 *
 * ## Example
 * `"wn": { "type": "wn.residual", "params": { "kind": "$wn", "n": "$n", "sigma": "$sigma", "rank": "$rank", "alpha": "$alpha" } }`
 */
import { defineNode } from '../../src/node.ts';
import { buildWn, emitSpectrum, SPECTRUM_METRICS, WN_KINDS } from './wnInternals.ts';

export const residual = defineNode({
  type: 'wn.residual',
  doc: 'Residual matrix Wn chosen by kind: identity, asymmetric (I + σB), symmetric (I + σS) or lowRank (I + αUUᵀ); emits its spectrum.',
  params: {
    kind: { type: 'string', doc: 'which Wn', oneOf: WN_KINDS },
    n: { type: 'int', doc: 'number of features', min: 1 },
    sigma: { type: 'number', doc: 'noise scale σ (asymmetric, symmetric)', min: 0, default: 0 },
    rank: { type: 'int', doc: 'rank r (lowRank)', min: 1, default: 1 },
    alpha: { type: 'number', doc: 'inflation α (lowRank)', default: 0 },
  },
  inputs: {},
  metrics: SPECTRUM_METRICS,
  outputs: { out: { type: 'matrix', precision: 'float64', doc: 'Wn (n × n)', shape: (p) => [p.n, p.n] } },
  check: (p) => (p.kind !== 'lowRank' || p.rank <= p.n ? [] : [`rank must be at most n for kind "lowRank" (got rank=${p.rank}, n=${p.n})`]),
  run({ params, ctx }) {
    const kind = params.kind as (typeof WN_KINDS)[number];
    const w = buildWn(kind, params, ctx.rng);
    emitSpectrum(ctx, w, kind !== 'asymmetric');
    return { out: w };
  },
});
