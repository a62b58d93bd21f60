import { defineNode } from '../../src/node.ts';
import { svd } from '@eigenflow/linalg';
import { argError } from '../../src/check.ts';
import { epsOf, fitDecay, fitPowerLaw, rankStats } from './spectralInternals.ts';

/** Pseudo-condition κ⁺ (over the nonzero σ), numerical rank r, and α̂ = 2 ln κ⁺ / ln r. */
export function conditionStats(s: Float64Array, maxDim: number, eps?: number) {
  const st = rankStats(s, maxDim, eps);
  const kappa = st.rank > 0 ? s[0] / s[st.rank - 1] : Infinity;
  const alphaEnd = st.rank > 1 ? (2 * Math.log(kappa)) / Math.log(st.rank) : NaN;
  // rank-decay exponent of λ = σ² fitted over all nonzero ranks (OLS in log-log)
  const alphaFit = st.rank > 2 ? fitDecay(Array.from(s.subarray(0, st.rank), (v) => v * v), 1, st.rank, 'uniform').alpha : NaN;
  return { kappa, rank: st.rank, fullColumnRank: st.rank === s.length && s.length === Math.min(maxDim, s.length), alphaEnd, alphaFit };
}

/**
 * Seed 004's toy model Y = X·W, checked on one sample (or one training snapshot).
 *
 * The seed bounds κ(Y) ≤ κ(X)κ(W) and turns it into α_Y ≤ 2 log_r(C_data) + α_W log_r(r_W)
 * via κ(A) = r^(α/2). That identity holds only for the endpoint exponent α̂ = 2 ln κ / ln r (it
 * is its definition), so the α-form of the bound is exact for α̂ and a heuristic for fitted
 * exponents. Both are evaluated: `*_end` uses α̂, `*_fit` the rank-decay exponent fitted by OLS
 * over all nonzero ranks of the eigenvalues of AᵀA. κ is the pseudo-condition σ_max/σ_min⁺ over
 * the numerical rank, which makes the κ bound hold whenever X has full column rank (n ≥ d),
 * including an expanding W (d < m); `x_full_rank` reports that hypothesis. The numerical rank
 * uses float32's ε for matrices whose entries are all float32 numbers (computed on tfjs),
 * float64's otherwise.
 *
 * Metrics: kappa_x|w|y, kappa_xw, kappa_ok (κ_Y ≤ κ_Xκ_W·(1+1e-9)), alpha_w_end, alpha_y_end, bound_end,
 * ok_end, alpha_w_fit, alpha_y_fit, bound_fit, ok_fit, alpha_w_htsr, rank_w, rank_y, x_full_rank.
 *
 * ## Example
 * `"bound": {"type": "spectral.productBound", "inputs": {"x": "model.x", "w": "model.w", "y": "model.y"}}`
 */
export const productBound = defineNode({
  type: 'spectral.productBound',
  doc: 'Seed 004: κ(XW) ≤ κ(X)κ(W) and α_Y ≤ 2 log_r κ(X) + α_W log_r r_W, with endpoint and fitted exponents, plus HTSR α of W.',
  params: {
    minTail: { type: 'int', doc: 'minTail of the HTSR fit of W', default: 10, min: 2 },
  },
  inputs: {
    x: { type: 'matrix', precision: 'float64', doc: 'data / input features, n×d' },
    w: { type: 'matrix', precision: 'float64', doc: 'weights, d×m' },
    y: { type: 'matrix', precision: 'float64', doc: 'output features Y = X·W, n×m' },
  },
  outputs: { margin: { type: 'number', doc: 'bound_end − alpha_y_end (≥ 0 when the bound holds)' } },
  metrics: {
    kappa_x: { kind: 'scalar', doc: 'pseudo-condition κ⁺ of X (σ_max over the smallest nonzero σ)' },
    kappa_w: { kind: 'scalar', doc: 'pseudo-condition κ⁺ of W' },
    kappa_y: { kind: 'scalar', doc: 'pseudo-condition κ⁺ of Y' },
    kappa_xw: { kind: 'scalar', doc: 'the bound κ(X)·κ(W)' },
    kappa_ok: { kind: 'scalar', doc: '1 when κ(Y) ≤ κ(X)κ(W)·(1 + 1e-9), else 0' },
    rank_w: { kind: 'scalar', doc: 'numerical rank of W' },
    rank_y: { kind: 'scalar', doc: 'numerical rank of Y' },
    x_full_rank: { kind: 'scalar', doc: '1 when X has full column rank and n ≥ d (the hypothesis of the κ bound), else 0' },
    alpha_w_end: { kind: 'scalar', doc: 'endpoint exponent α̂ = 2 ln κ / ln r of W' },
    alpha_y_end: { kind: 'scalar', doc: 'endpoint exponent α̂ of Y' },
    bound_end: { kind: 'scalar', doc: 'the bound 2 log_r κ(X) + α_W log_r r_W with endpoint exponents' },
    ok_end: { kind: 'scalar', doc: '1 when alpha_y_end ≤ bound_end, else 0' },
    alpha_w_fit: { kind: 'scalar', doc: 'rank-decay exponent of W fitted by OLS over all nonzero ranks' },
    alpha_y_fit: { kind: 'scalar', doc: 'fitted rank-decay exponent of Y' },
    bound_fit: { kind: 'scalar', doc: 'the bound with fitted exponents' },
    ok_fit: { kind: 'scalar', doc: '1 when alpha_y_fit ≤ bound_fit, else 0' },
    alpha_w_htsr: { kind: 'scalar', doc: 'HTSR power-law exponent of WᵀW' },
  },
  run({ params, inputs, ctx }) {
    const { x, w, y } = inputs;
    if (x.cols !== w.rows || y.rows !== x.rows || y.cols !== w.cols) {
      throw argError(ctx.type, 'x, w, y', 'have shapes with y = x·w', `x ${x.rows}×${x.cols}, w ${w.rows}×${w.cols}, y ${y.rows}×${y.cols}`);
    }
    const sw = svd(w).s;
    // matrices computed in float32 carry float32 noise: their numerical rank uses float32's ε
    const X = conditionStats(svd(x).s, Math.max(x.rows, x.cols), epsOf(x));
    const W = conditionStats(sw, Math.max(w.rows, w.cols), epsOf(w));
    const Y = conditionStats(svd(y).s, Math.max(y.rows, y.cols), epsOf(y));
    const lr = Math.log(Y.rank);
    const rhs = (aw: number) => (2 * Math.log(X.kappa)) / lr + (aw * Math.log(W.rank)) / lr;
    const boundEnd = rhs(W.alphaEnd), boundFit = rhs(W.alphaFit);
    const slack = 1e-9;
    ctx.metric('kappa_x', X.kappa); ctx.metric('kappa_w', W.kappa); ctx.metric('kappa_y', Y.kappa);
    ctx.metric('kappa_xw', X.kappa * W.kappa);
    ctx.metric('kappa_ok', Y.kappa <= X.kappa * W.kappa * (1 + slack) ? 1 : 0);
    ctx.metric('rank_w', W.rank); ctx.metric('rank_y', Y.rank); ctx.metric('x_full_rank', X.fullColumnRank && x.rows >= x.cols ? 1 : 0);
    ctx.metric('alpha_w_end', W.alphaEnd); ctx.metric('alpha_y_end', Y.alphaEnd);
    ctx.metric('bound_end', boundEnd); ctx.metric('ok_end', Y.alphaEnd <= boundEnd + slack ? 1 : 0);
    ctx.metric('alpha_w_fit', W.alphaFit); ctx.metric('alpha_y_fit', Y.alphaFit);
    ctx.metric('bound_fit', boundFit); ctx.metric('ok_fit', Y.alphaFit <= boundFit + slack ? 1 : 0);
    ctx.metric('alpha_w_htsr', fitPowerLaw(sw.map((v) => v * v), params.minTail).alpha);
    return { margin: boundEnd - Y.alphaEnd };
  },
});
