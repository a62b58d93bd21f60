import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { identity, matmul } from '@eigenflow/linalg';
import { gdStep, modelLoss, type LinearWeights } from './linearInternals.ts';
import type { LinearTask } from './types.ts';

/**
 * Full-batch gradient descent (learning rate lr = 1/τ) on L = (1/2P)‖f(X) − Y‖², in float64.
 * Models: `deep` Y = W2W1X, `shallow` Y = WX (W starts at the input's W2W1), `relu`/`tanh`
 * Y = W2φ(W1X). Streams a snapshot after every step (step k is at time t = k·lr, k = 0 is the
 * start) and emits `loss`; returns the final weights and the loss history. Batched over members
 * (lr may differ between them).
 *
 * ## Example
 * `"train": {"type": "linear.train", "params": {"lr": 0.01, "steps": 200}, "inputs": {"weights": "init.weights"}}`
 */
export const train = defineNode({
  type: 'linear.train',
  doc: 'Full-batch GD trainer (lr = 1/τ) for deep/shallow linear and ReLU/Tanh two-layer nets.',
  params: {
    lr: { type: 'number', doc: 'learning rate η = 1/τ', min: 0, exclusiveMin: true },
    steps: { type: 'int', doc: 'number of GD steps', min: 0 },
    model: { type: 'string', doc: 'network', oneOf: ['deep', 'shallow', 'relu', 'tanh'], default: 'deep' },
  },
  inputs: {
    weights: { type: 'linearWeights', doc: 'initial weights' },
    task: { type: 'linearTask', doc: 'the task' },
  },
  outputs: {
    snapshot: { type: 'linearWeights', doc: 'weights after each step', stream: true },
    final: { type: 'linearWeights', doc: 'weights after the last step' },
    losses: { type: 'numbers', doc: 'loss at steps 0..steps' },
  },
  metrics: {
    loss: { kind: 'scalar', doc: 'full-batch loss (1/2P)‖f(X) − Y‖² after k steps', when: 'step' },
  },
  members: 'batched',
  memberParams: ['lr'],
  *run({ params, inputs, ctx }) {
    // Batched (see src/node.ts): weights, tasks, snapshots and results one per member, in float64.
    const { count, params: each } = ctx.members!;
    const inits = inputs.weights as unknown as LinearWeights[], tasks = inputs.task as unknown as LinearTask[];
    const model = params.model;
    let ws = inits.map((init, k): LinearWeights => {
      const w: LinearWeights = model === 'shallow'
        ? { model, W1: identity(init.W1.cols), W2: matmul(init.W2, init.W1), step: 0, t: 0 }
        : { ...init, model, step: 0, t: 0 };
      requireArg(model !== 'shallow' || w.W2.rows === tasks[k].syx.rows, ctx.type, 'weights', `have the task's no = ${tasks[k].syx.rows} outputs`, `${w.W2.rows}`);
      requireArg(w.W1.cols === tasks[k].sxx.rows, ctx.type, 'weights', `take the task's ni = ${tasks[k].sxx.rows} inputs`, `W1 with ${w.W1.cols} inputs`);
      return w;
    });
    const losses = ws.map((): number[] => []);
    for (let step = 0; ; step++) {
      for (let k = 0; k < count; k++) {
        const loss = modelLoss(ws[k], tasks[k]);
        losses[k].push(loss);
        ctx.members!.metric(k, 'loss', loss, step);
      }
      yield { step, total: params.steps, out: { snapshot: ws as unknown as LinearWeights } };
      if (step === params.steps) break;
      ws = ws.map((w, k) => gdStep(w, tasks[k], each[k].lr as number));
    }
    return { final: ws as unknown as LinearWeights, losses: losses as unknown as number[] };
  },
});
