/**
 * `cis.evalLoss` for a trainer's `snapshot` stream: the same losses (`eval_loss`,
 * `eval_loss_over_p`, `feature_loss`) on fresh inputs, computed in one call per snapshot so it can
 * be lifted onto the stream. `cis.evalLoss` is a generator (it yields between chunks so a long
 * final evaluation honours Ctrl-C and shows progress), and generators cannot follow a stream; keep
 * `samples` here modest (20,000 takes well under a second at n = 100), since one call cannot be
 * interrupted.
 *
 * ## Example
 * `"evalDuring": { "type": "cis.snapshotLoss", "params": { "samples": 20000 }, "inputs": { "model": "train.snapshot", "data": "data.out" } }`
 */
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import type {} from '../data/types.ts';
import type {} from '../models/types.ts';
import { featureLosses } from './cisInternals.ts';

export const snapshotLoss = defineNode({
  type: 'cis.snapshotLoss',
  doc: 'cis.evalLoss in one call, for a trainer snapshot stream: MSE of y = W2·relu(W1 x) + Wn x against relu(x) on fresh samples per snapshot.',
  params: {
    samples: { type: 'int', doc: 'fresh inputs to average over at each snapshot', min: 1, default: 20000 },
    chunk: { type: 'int', doc: 'inputs per evaluation chunk', min: 1, default: 10000 },
  },
  inputs: {
    model: { type: 'residualMLP', doc: 'the model to evaluate (usually a trainer\'s snapshot stream)' },
    data: { type: 'sparseFeatures', doc: 'the input distribution' },
  },
  outputs: { out: { type: 'number', doc: 'the eval loss' } },
  metrics: {
    eval_loss: { kind: 'scalar', doc: 'MSE of the model against relu(x), averaged over samples and features' },
    eval_loss_over_p: { kind: 'scalar', doc: 'eval_loss divided by the feature probability p' },
    feature_loss: { kind: 'series', doc: 'MSE of each output feature (index = feature)' },
  },
  run({ params, inputs, ctx }) {
    const { model, data } = inputs;
    requireArg(model.W1.shape[1] === data.n, ctx.type, 'data', `have the model's n = ${model.W1.shape[1]} features`, `n = ${data.n}`);
    const perFeature = featureLosses(model, data, ctx.rng, params.samples, params.chunk);
    const loss = perFeature.reduce((a, b) => a + b, 0) / data.n;
    ctx.metric('eval_loss', loss);
    ctx.metric('eval_loss_over_p', loss / data.p);
    ctx.metric('feature_loss', perFeature);
    return { out: loss };
  },
});
