/**
 * Trains a residual MLP (y = W2·relu(W1 x) + Wn x, Wn fixed) to output relu(x) on fresh sparse
 * batches, with the hand-written sparse step of `residualStepInternals.ts` and an optimizer from
 * `optim.adam` / `optim.adamw` / `optim.sgd`. Emits `loss` (mean training MSE over each window of
 * `logEvery` steps) and `lr`, streams model snapshots every `snapshotEvery` steps, and returns the
 * final model on `model`.
 *
 * ## Example
 * `"train": { "type": "optim.trainResidualMLP", "params": { "steps": 10000, "batch": 2048 },
 *   "inputs": { "model": "model.out", "data": "data.out", "optimizer": "optimizer.out" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { sampleCsr } from '../data/dataInternals.ts';
import type {} from '../data/types.ts';
import type { ResidualMLP } from '../models/types.ts';
import { createOptimizer } from './optimInternals.ts';
import { createResidualStep } from './residualStepInternals.ts';

export const trainResidualMLP = defineNode({
  type: 'optim.trainResidualMLP',
  doc: 'Trains W1, W2 of a residual MLP on fresh sparse batches to output relu(x); streams loss and snapshots, returns the final model.',
  params: {
    steps: { type: 'int', doc: 'training steps', min: 1 },
    batch: { type: 'int', doc: 'batch size', min: 1, default: 2048 },
    logEvery: { type: 'int', doc: 'steps per loss point (the mean over the window)', min: 1, default: 10 },
    snapshotEvery: { type: 'int', doc: 'steps between model snapshots on the stream (0: none)', min: 0, default: 1000 },
  },
  inputs: {
    model: { type: 'residualMLP', doc: 'the initial model' },
    data: { type: 'sparseFeatures', doc: 'the input distribution' },
    optimizer: { type: 'optimizer', doc: 'optimizer description' },
  },
  outputs: {
    snapshot: { type: 'residualMLP', doc: 'the model every snapshotEvery steps', stream: true },
    model: { type: 'residualMLP', doc: 'the trained model' },
  },
  metrics: {
    loss: { kind: 'scalar', doc: 'mean training MSE over the last logEvery steps (the raw loss of the step that diverged, if one did)', when: 'step' },
    lr: { kind: 'scalar', doc: 'learning rate of the last step of the window', when: 'step' },
  },
  *run({ params, inputs, ctx }) {
    const { W1, W2: W2in, Wn } = inputs.model;
    const [m, n] = W1.shape;
    requireArg(inputs.data.n === n, ctx.type, 'data', `have the model's n = ${n} features`, `n = ${inputs.data.n}`);
    const W1T = new Float32Array(n * m);
    const w1 = W1.dataSync();
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W1T[j * m + i] = w1[i * n + j];
    const W2 = Float32Array.from(W2in.dataSync());
    const gW1T = new Float32Array(n * m), gW2 = new Float32Array(n * m);
    const toModel = (): ResidualMLP => {
      const w = new Float32Array(m * n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[i * n + j] = W1T[j * m + i];
      return { W1: tf.tensor2d(w, [m, n]), W2: tf.tensor2d(W2, [n, m]), Wn: Wn.clone() };
    };
    const step = createResidualStep(n, m, Wn.dataSync() as Float32Array);
    const opt = createOptimizer(inputs.optimizer, [n * m, n * m]);
    const { steps, batch, logEvery, snapshotEvery } = params;
    try {
      let acc = 0, count = 0;
      for (let t = 1; t <= steps; t++) {
        const loss = step.lossAndGrad(sampleCsr(inputs.data, ctx.rng, batch), W1T, W2, gW1T, gW2);
        if (!Number.isFinite(loss)) { ctx.metric('loss', loss, t); break; }
        const lr = opt.step([W1T, W2], [gW1T, gW2], t, steps);
        acc += loss; count++;
        if (t % logEvery === 0 || t === steps) {
          ctx.metric('loss', acc / count, t);
          ctx.metric('lr', lr, t);
          acc = 0; count = 0;
          const snap = snapshotEvery > 0 && (t % snapshotEvery === 0 || t === steps);
          yield { step: t, total: steps, out: snap ? { snapshot: toModel() } : undefined };
        }
      }
      return { model: toModel() };
    } finally {
      step.dispose();
    }
  },
});
