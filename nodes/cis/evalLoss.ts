/**
 * Loss of a residual MLP on fresh inputs (default 100,000, evaluated in chunks): emits `eval_loss`
 * (MSE averaged over samples and features), `eval_loss_over_p` (L/p) and `feature_loss` (the MSE of
 * each feature, length n). Wire `model` to a trainer's `model` (the final value): it then runs as a
 * generator, one step per chunk, so a long evaluation shows progress and honours Ctrl-C between
 * chunks. Wired to a trainer's `snapshot` stream it evaluates every snapshot, each to the end
 * within that training step (keep `samples` modest there).
 *
 * ## Example
 * `"eval": { "type": "cis.evalLoss", "inputs": { "model": "train.model", "data": "data.out" } }`
 */
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import type {} from '../data/types.ts';
import type {} from '../models/types.ts';
import { featureLossChunks } from './cisInternals.ts';

export const evalLoss = defineNode({
  type: 'cis.evalLoss',
  doc: 'MSE of y = W2·relu(W1 x) + Wn x against relu(x) on fresh samples; emits eval_loss, eval_loss_over_p and per-feature feature_loss.',
  params: {
    samples: { type: 'int', doc: 'fresh inputs to average over (100,000 keeps the Monte Carlo error of eval_loss well under 1%)', min: 1, default: 100000 },
    chunk: { type: 'int', doc: 'inputs per evaluation chunk', min: 1, default: 10000 },
  },
  inputs: {
    model: { type: 'residualMLP', doc: 'the model to evaluate' },
    data: { type: 'sparseFeatures', doc: 'the input distribution' },
  },
  outputs: { out: { type: 'number', doc: 'the eval loss' } },
  metrics: {
    eval_loss: { kind: 'scalar', doc: 'MSE of the model against relu(x), averaged over samples and features' },
    eval_loss_over_p: { kind: 'scalar', doc: 'eval_loss divided by the feature probability p' },
    feature_loss: { kind: 'series', doc: 'MSE of each output feature (index = feature)' },
  },
  // A generator so that a long evaluation yields to the event loop between chunks (Ctrl-C, progress).
  *run({ params, inputs, ctx }) {
    const { model, data } = inputs;
    requireArg(model.W1.shape[1] === data.n, ctx.type, 'data', `have the model's n = ${model.W1.shape[1]} features`, `n = ${data.n}`);
    const perFeature = yield* featureLossChunks(model, data, ctx.rng, params.samples, params.chunk);
    const loss = perFeature.reduce((a, b) => a + b, 0) / data.n;
    ctx.metric('eval_loss', loss);
    ctx.metric('eval_loss_over_p', loss / data.p);
    ctx.metric('feature_loss', perFeature);
    return { out: loss };
  },
});
