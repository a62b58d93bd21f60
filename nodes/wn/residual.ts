/**
 * One residual-matrix node for graphs that choose Wn by a parameter (`--set wn=symmetric`): `kind`
 * picks identity, asymmetric noise (σ), symmetric noise (σ) or low rank (rank, α), built by the
 * same functions as `wn.identity`, `wn.asymmetric`, `wn.symmetric` and `wn.lowrank`. Parameters
 * the chosen kind does not use are ignored. `noiseDiagonal` keeps or zeroes the noise on the
 * diagonal. Emits the matrix and its spectrum.
 *
 * ## Example
 * `"wn": { "type": "wn.residual", "params": { "kind": "$wn", "n": "$n", "sigma": "$sigma", "rank": "$rank", "alpha": "$alpha" } }`
 */
import { toTensor } from '../../src/linalg/index.ts';
import { defineNode } from '../../src/node.ts';
import { build_impl, emitSpectrum, NOISE_DIAGONALS, WN_KINDS } from './wnInternals.ts';

export const residual = defineNode({
  type: 'wn.residual',
  doc: 'Residual matrix Wn chosen by kind: identity, asymmetric (I + σB), symmetric (I + σS) or lowrank (I + αUUᵀ); emits its spectrum.',
  params: {
    kind: { type: 'string', doc: 'which Wn', oneOf: WN_KINDS },
    n: { type: 'int', doc: 'number of features', min: 1 },
    sigma: { type: 'number', doc: 'noise scale σ (asymmetric, symmetric)', min: 0, default: 0 },
    rank: { type: 'int', doc: 'rank r (lowrank)', min: 1, default: 1 },
    alpha: { type: 'number', doc: 'inflation α (lowrank)', default: 0 },
    noiseDiagonal: { type: 'string', doc: 'zero: Wn_ii = 1 exactly; keep: the noise (or αUUᵀ) diagonal is added too, as in the public toy-CiS code', oneOf: NOISE_DIAGONALS, default: 'zero' },
  },
  inputs: {},
  outputs: { out: { type: 'matrix', doc: 'Wn (n × n)', shape: (p) => [p.n, p.n] } },
  check: (p) => (p.kind !== 'lowrank' || p.rank <= p.n ? [] : [`rank must be at most n for kind "lowrank" (got rank=${p.rank}, n=${p.n})`]),
  run({ params, ctx }) {
    const kind = params.kind as (typeof WN_KINDS)[number];
    const w = build_impl(kind, params, ctx.rng);
    emitSpectrum(ctx, w, kind !== 'asymmetric');
    return { out: toTensor(w) };
  },
});
