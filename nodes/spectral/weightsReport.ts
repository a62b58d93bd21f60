import { defineNode } from '../../src/node.ts';
import { globToRegExp, readTensor } from '../io/tensorFormatsInternals.ts';
import { analyzeLayer, esdFigure, layerMatrices, rowsToCsv, rowsToTable, scaleMatrices } from './layerAnalysisInternals.ts';
import type { LayerRow } from './types.ts';
import { layerOptions, reportParams, uniqueSafeNames } from './reportParamsInternals.ts';

/**
 * WeightWatcher-style per-layer report of a checkpoint: for every selected 2-D weight and conv
 * kernel (split per spatial position, eigenvalues pooled), the ESD of WᵀW (squared singular
 * values, W oriented N×M with N ≥ M, no 1/N), its power-law fit (α, x_min, tail, KS, σ(α)), norm
 * metrics (weighted α, log Frobenius, log spectral, log α-norm, stable rank), a fitted
 * Marchenko–Pastur bulk (soft rank, spikes), the randomization test (element-permuted W: its ESD
 * and the Jensen–Shannon distance), and warnings. Tensors are read one at a time.
 *
 * Writes `layers.csv`, `layers.json` and `esd/<layer>.svg`; logs a readable table. Conventions and
 * their sources: docs/weights.md.
 *
 * ## Example
 * `"report": {"type": "spectral.weightsReport", "inputs": {"checkpoint": "ckpt.checkpoint"}}`
 */
export const weightsReport = defineNode({
  type: 'spectral.weightsReport',
  doc: 'Per-layer HTSR report of a checkpoint (WeightWatcher conventions): α, x_min, KS, weighted α, norms, MP soft rank, spikes, randomization distance, warnings; table + ESD figures.',
  params: {
    ...reportParams,
    include: { type: 'string', doc: 'only tensors whose names match these globs (comma-separated)', default: '*' },
    minEvals: { type: 'int', doc: 'skip layers with fewer eigenvalues than this (WeightWatcher min_evals: 10)', default: 10, min: 1 },
    convNormalize: { type: 'boolean', doc: "scale conv kernels (rank 4) by √½ before the SVD, halving their eigenvalues, as WeightWatcher's analyze() does by default (conv2d_norm); false analyses the kernel as stored", default: true },
  },
  inputs: { checkpoint: { type: 'checkpoint', doc: 'an opened checkpoint (io.checkpoint)' } },
  outputs: { rows: { type: 'layerRows', doc: 'the report rows (as layers.json)' } },
  metrics: {
    'alpha_*': { kind: 'scalar', doc: 'α of layer * (characters other than [A-Za-z0-9_.-] replaced by _; a name that then collides with another gets _2, _3, …)' },
    'ks_*': { kind: 'scalar', doc: 'KS distance of the fit of layer *' },
    'rand_distance_*': { kind: 'scalar', doc: 'Jensen–Shannon distance between the ESDs of layer * and of its element-permuted copy' },
    mean_alpha: { kind: 'scalar', doc: 'mean α over analysed layers' },
    mean_alpha_weighted: { kind: 'scalar', doc: 'mean weighted α (α·log₁₀ λ_max) over analysed layers' },
    layers: { kind: 'scalar', doc: 'number of layers analysed' },
  },
  artifacts: {
    'layers.csv': { doc: 'one row per layer: name, shape, alpha, xmin, tail, ks, sigma_alpha, alpha_weighted, norms, MP fit, spikes, rand_distance, warning' },
    'layers.json': { doc: 'the same rows as a JSON array of objects' },
    'esd/*.svg': { doc: 'per layer: log-log ESD and the randomized ESD, fitted power law, x_min' },
  },
  cost: () => ({ bytes: 64 << 20 }),
  // A generator: one step per selected tensor, so a many-layer checkpoint shows progress and
  // honours Ctrl-C between layers (one layer's decomposition cannot be split; docs/architecture.md).
  *run({ params, inputs, ctx }) {
    const ck = inputs.checkpoint, opts = layerOptions(params), rows: LayerRow[] = [];
    const re = globToRegExp(params.include);
    const skipped: string[] = [], figures: [string, string][] = [];
    const selected = ck.tensors.filter((t) => re.test(t.name));
    const keys = uniqueSafeNames(selected.map((t) => t.name));
    for (const [i, t] of selected.entries()) {
      if (i > 0) yield { step: i, total: selected.length };
      if (!(t.shape.length === 2 || t.shape.length === 4) || !t.dtype) { skipped.push(`${t.name} [${t.shape.join('×')}] ${t.storedDtype}`); continue; }
      const { data } = readTensor(t, `${ctx.type}.inputs.checkpoint`);
      const lm = layerMatrices(t.shape, data)!;
      if (params.convNormalize && t.shape.length === 4) scaleMatrices(lm.mats, Math.SQRT1_2);
      if (lm.M * lm.rf < params.minEvals) { skipped.push(`${t.name} [${t.shape.join('×')}] (${lm.M * lm.rf} eigenvalues < minEvals)`); continue; }
      const res = analyzeLayer(t.name, t.shape, lm, opts, ctx.rng.fork(t.name));
      rows.push(res.row);
      const key = keys.get(t.name)!;
      ctx.metric(`alpha_${key}`, res.row.alpha);
      ctx.metric(`ks_${key}`, res.row.ks);
      if (opts.randomize) ctx.metric(`rand_distance_${key}`, res.row.rand_distance);
      if (params.figures) figures.push([`esd/${key}.svg`, esdFigure(res, opts.evalsThresh)]);
    }
    if (rows.length === 0) {
      throw new Error(`Error in ${ctx.type}.params.include: no 2-D weight or conv kernel with ≥ ${params.minEvals} eigenvalues matches '${params.include}' in ${ck.path}${skipped.length ? `; skipped: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}` : ''}`);
    }
    const mean = (k: 'alpha' | 'alpha_weighted'): number => rows.reduce((a, r) => a + r[k], 0) / rows.length;
    ctx.metric('mean_alpha', mean('alpha'));
    ctx.metric('mean_alpha_weighted', mean('alpha_weighted'));
    ctx.metric('layers', rows.length);
    // files are written only once every layer has been read and analysed: a bad tensor leaves nothing half-written
    for (const [path, svg] of figures) ctx.artifact(path, svg);
    ctx.artifact('layers.csv', rowsToCsv(rows));
    ctx.artifact('layers.json', JSON.stringify(rows, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
    for (const line of rowsToTable(rows)) ctx.log(line);
    if (skipped.length) ctx.log(`skipped ${skipped.length}: ${skipped.slice(0, 6).join(', ')}${skipped.length > 6 ? ', …' : ''}`);
    return { rows };
  },
});
