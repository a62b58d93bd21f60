import { defineNode } from '../../src/node.ts';
import { svd } from '@eigenflow/linalg';
import { centerColumns, epsOf, RANK_METRICS, rankStats } from './spectralInternals.ts';

/**
 * Singular values of a matrix-valued port (a rank-2 tensor or a float64 matrix), in float64,
 * with the three named effective ranks and the condition number.
 *
 * Metrics: `singular_values` (descending, the first `top` if set), `sigma_max`, `erank_pr`
 * = (Σσ)²/Σσ², `erank_entropy` = exp(H(σ/Σσ)), `stable_rank` = Σσ²/σ_max², `condition`
 * = σ_max/σ_min (Infinity when singular), `rank` (σ > max(m,n)·ε·σ_max, with float32's ε when
 * every entry is a float32 number, as for a matrix computed on tfjs).
 *
 * ## Example
 * `"probe": {"type": "spectral.singularValues", "inputs": {"x": "train.w1"}, "every": 100}`
 */
export const singularValues = defineNode({
  type: 'spectral.singularValues',
  doc: 'Singular values (float64, descending) of a matrix, with erank_pr, erank_entropy, stable_rank, condition and rank.',
  params: {
    center: { type: 'boolean', doc: 'subtract each column\'s mean first (features as rows = samples)', default: false },
    top: { type: 'int', doc: 'emit only the largest `top` values in the singular_values metric (0 = all)', default: 0, min: 0 },
  },
  inputs: { x: { type: 'matrix', precision: 'float64', doc: 'the matrix' } },
  outputs: {
    s: { type: 'numbers', doc: 'singular values, descending' },
    erank: { type: 'number', doc: 'erank_pr' },
  },
  metrics: {
    singular_values: { kind: 'array', doc: 'singular values, descending (the first `top` when set)' },
    sigma_max: { kind: 'scalar', doc: 'largest singular value' },
    ...RANK_METRICS,
  },
  run({ params, inputs, ctx }) {
    const a = inputs.x;
    const m = params.center ? centerColumns(a) : a;
    const { s } = svd(m);
    const st = rankStats(s, Math.max(a.rows, a.cols), epsOf(a));
    ctx.metric('singular_values', params.top > 0 ? s.subarray(0, params.top) : s);
    ctx.metric('sigma_max', s[0] ?? 0);
    ctx.metric('erank_pr', st.erank_pr);
    ctx.metric('erank_entropy', st.erank_entropy);
    ctx.metric('stable_rank', st.stable_rank);
    ctx.metric('condition', st.condition);
    ctx.metric('rank', st.rank);
    return { s: Array.from(s), erank: st.erank_pr };
  },
});
