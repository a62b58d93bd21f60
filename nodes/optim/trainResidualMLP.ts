/**
 * Trains a residual MLP (y = W2·relu(W1 x) + Wn x, Wn fixed) to output relu(x) on fresh sparse
 * batches, with the hand-written sparse step of `residualStepInternals.ts` and an optimizer from
 * `optim.adam` / `optim.adamw` / `optim.sgd`. Emits `loss` (mean training MSE over each window of
 * `logEvery` steps) and `lr`, streams model snapshots every `snapshotEvery` steps, and returns the
 * final model on `model`. Batched over members: each member samples from its own stream and takes
 * its own step, all inside one node call (no tfjs op per step).
 *
 * ## Example
 * `"train": { "type": "optim.trainResidualMLP", "params": { "steps": 10000, "batch": 2048 },
 *   "inputs": { "model": "model.out", "data": "data.out", "optimizer": "optimizer.out" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import type { SparseFeatures } from '../data/types.ts';
import type { ResidualMLP } from '../models/types.ts';
import type { OptimizerSpec } from './optimInternals.ts';
import { memberThreads, startTraining } from './residualTrainingInternals.ts';

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
  members: 'batched',
  *run({ params, inputs, ctx }) {
    // Batched (see src/node.ts): model tensors are [count, …]; data and optimizer one per member.
    const { count, rng } = ctx.members!;
    const data = inputs.data as unknown as SparseFeatures[], specs = inputs.optimizer as unknown as OptimizerSpec[];
    const { W1, W2: W2in, Wn } = inputs.model;
    const [, m, n] = W1.shape as unknown as [number, number, number];
    for (const d of data) requireArg(d.n === n, ctx.type, 'data', `have the model's n = ${n} features`, `n = ${d.n}`);
    const nm = n * m;
    const W1T = new Float32Array(count * nm);
    const w1 = W1.dataSync();
    for (let k = 0, o = 0; k < count; k++, o += nm) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) W1T[o + j * m + i] = w1[o + i * n + j];
    const { steps, batch, logEvery, snapshotEvery } = params;
    const training = startTraining({
      n, m, count, steps, batch, threads: memberThreads(count, steps), W1T, W2: W2in.dataSync() as Float32Array,
      Wn: Wn.dataSync() as Float32Array, data, specs, rng,
    });
    const { acc, lrs, divergedAt, divergedLoss } = training.shared;
    const toModel = (): ResidualMLP => {
      const { W1T: w1t, W2 } = training.shared;
      const w = new Float32Array(count * nm);
      for (let k = 0, o = 0; k < count; k++, o += nm) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[o + i * n + j] = w1t[o + j * m + i];
      return { W1: tf.tensor3d(w, [count, m, n]) as unknown as tf.Tensor2D, W2: tf.tensor3d(W2.slice(), [count, n, m]) as unknown as tf.Tensor2D, Wn: Wn.clone() };
    };
    try {
      // One logging window at a time (on every thread at once); a member whose loss is no longer
      // finite stops there, as a separate run would, and the others go on.
      for (let t0 = 1; t0 <= steps; ) {
        const t1 = Math.min(steps, Math.ceil(t0 / logEvery) * logEvery);
        training.run(t0, t1);
        for (let k = 0; k < count; k++) {
          if (divergedAt[k] >= t0) ctx.members!.metric(k, 'loss', divergedLoss[k], divergedAt[k]);
          else if (!divergedAt[k]) {
            ctx.members!.metric(k, 'loss', acc[k] / (t1 - t0 + 1), t1);
            ctx.members!.metric(k, 'lr', lrs[k], t1);
          }
        }
        acc.fill(0);
        if (!divergedAt.includes(0)) break;
        const snap = snapshotEvery > 0 && (t1 % snapshotEvery === 0 || t1 === steps);
        yield { step: t1, total: steps, out: snap ? { snapshot: toModel() } : undefined };
        t0 = t1 + 1;
      }
    } finally {
      training.close();
    }
    return { model: toModel() };
  },
});
