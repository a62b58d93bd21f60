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
import { createCsrSamplers } from '../data/dataInternals.ts';
import type { SparseFeatures } from '../data/types.ts';
import type { ResidualMLP } from '../models/types.ts';
import { createOptimizer, type OptimizerSpec } from './optimInternals.ts';
import { createResidualStepBatch } from './residualStepInternals.ts';

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
    const W2 = Float32Array.from(W2in.dataSync());
    const gW1T = new Float32Array(count * nm), gW2 = new Float32Array(count * nm);
    const toModel = (): ResidualMLP => {
      const w = new Float32Array(count * nm);
      for (let k = 0, o = 0; k < count; k++, o += nm) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[o + i * n + j] = W1T[o + j * m + i];
      return { W1: tf.tensor3d(w, [count, m, n]) as unknown as tf.Tensor2D, W2: tf.tensor3d(W2, [count, n, m]) as unknown as tf.Tensor2D, Wn: Wn.clone() };
    };
    const step = createResidualStepBatch(n, m, count, Wn.dataSync() as Float32Array);
    const block = (a: Float32Array, k: number): Float32Array => a.subarray(k * nm, (k + 1) * nm);
    const samplers = createCsrSamplers(data);
    const opts = specs.map((spec) => createOptimizer(spec, [nm, nm]));
    const { steps, batch, logEvery, snapshotEvery } = params;
    const losses = new Float64Array(count), acc = new Float64Array(count), lrs = new Float64Array(count);
    // A member whose loss is no longer finite stops (as a separate run would); the others go on.
    const alive = new Array<boolean>(count).fill(true);
    let window = 0;
    for (let t = 1; t <= steps && alive.includes(true); t++) {
      step.lossAndGrad(samplers.map((sampler, k) => (alive[k] ? sampler.sample(rng[k], batch) : null)), W1T, W2, gW1T, gW2, losses);
      for (let k = 0; k < count; k++) {
        if (!alive[k]) continue;
        if (!Number.isFinite(losses[k])) { alive[k] = false; ctx.members!.metric(k, 'loss', losses[k], t); continue; }
        lrs[k] = opts[k].step([block(W1T, k), block(W2, k)], [block(gW1T, k), block(gW2, k)], t, steps);
        acc[k] += losses[k];
      }
      window++;
      if (t % logEvery === 0 || t === steps) {
        for (let k = 0; k < count; k++) {
          if (!alive[k]) continue;
          ctx.members!.metric(k, 'loss', acc[k] / window, t);
          ctx.members!.metric(k, 'lr', lrs[k], t);
        }
        acc.fill(0); window = 0;
        const snap = snapshotEvery > 0 && (t % snapshotEvery === 0 || t === steps);
        yield { step: t, total: steps, out: snap ? { snapshot: toModel() } : undefined };
      }
    }
    return { model: toModel() };
  },
});
