import { defineNode } from '../../src/node.ts';
import { analyzeLayer, esdFigure, layerMatrices } from './layerAnalysisInternals.ts';
import { layerOptions, reportParams, safeName } from './reportParamsInternals.ts';

/**
 * One row of the WeightWatcher-style report for one weight matrix, as metrics — made to be
 * lifted onto a trainer's weight stream (`"every": k`), so α, weighted α, norms, MP soft rank,
 * spikes and the randomization distance of a live layer are series against step. Same
 * conventions as `spectral.weightsReport` (docs/weights.md).
 *
 * ## Example
 * `"w1_report": {"type": "spectral.layerReport", "inputs": {"w": "train.w1"}, "params": {"name": "w1"}, "every": 50}`
 */
export const layerReport = defineNode({
  type: 'spectral.layerReport',
  doc: 'One layer of the HTSR report (α, x_min, KS, weighted α, norms, MP soft rank, spikes, randomization distance) as metrics; lift onto a weight stream.',
  params: {
    ...reportParams,
    name: { type: 'string', doc: 'layer name for figure files and log lines', default: 'w' },
    figures: { type: 'boolean', doc: 'write the ESD figure esd/<name>-<step>.svg on each call', default: false },
  },
  inputs: { w: { type: 'matrix', precision: 'float64', doc: 'the weight matrix' } },
  outputs: { alpha: { type: 'number', doc: 'fitted power-law exponent α' } },
  metrics: {
    alpha: { kind: 'scalar', doc: 'power-law exponent of the ESD tail (MLE)' },
    xmin: { kind: 'scalar', doc: 'x_min of the fit' },
    tail: { kind: 'scalar', doc: 'eigenvalues ≥ x_min' },
    ks: { kind: 'scalar', doc: 'KS distance of the fit' },
    sigma_alpha: { kind: 'scalar', doc: 'standard error (α−1)/√tail' },
    alpha_weighted: { kind: 'scalar', doc: 'α·log₁₀ λ_max' },
    log_norm: { kind: 'scalar', doc: 'log₁₀ Σλ = log₁₀ ‖W‖_F²' },
    log_spectral_norm: { kind: 'scalar', doc: 'log₁₀ λ_max = log₁₀ ‖W‖₂²' },
    log_alpha_norm: { kind: 'scalar', doc: 'log₁₀ Σλ^α' },
    stable_rank: { kind: 'scalar', doc: 'Σλ / λ_max' },
    mp_softrank: { kind: 'scalar', doc: 'fitted MP bulk edge / λ_max' },
    num_spikes: { kind: 'scalar', doc: 'eigenvalues above the MP bulk edge (with Tracy–Widom allowance)' },
    rand_distance: { kind: 'scalar', doc: 'Jensen–Shannon distance to the ESD of the element-permuted W' },
  },
  artifacts: { 'esd/*.svg': { doc: 'log-log ESD, randomized ESD, fitted power law and x_min, per call' } },
  cost: () => ({ bytes: 16 << 20 }),
  run({ params, inputs, ctx }) {
    const w = inputs.w;
    const lm = layerMatrices([w.rows, w.cols], w.data)!;
    const res = analyzeLayer(params.name, [w.rows, w.cols], lm, layerOptions(params), ctx.rng.fork(`step ${ctx.step ?? 0}`));
    const r = res.row;
    for (const k of ['alpha', 'xmin', 'tail', 'ks', 'sigma_alpha', 'alpha_weighted', 'log_norm', 'log_spectral_norm', 'log_alpha_norm', 'stable_rank', 'mp_softrank', 'num_spikes'] as const) ctx.metric(k, r[k]);
    if (params.randomize) ctx.metric('rand_distance', r.rand_distance);
    if (params.figures) ctx.artifact(`esd/${safeName(params.name)}-${ctx.step ?? 0}.svg`, esdFigure(res, params.evalsThresh));
    return { alpha: r.alpha };
  },
});
