import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { identity, matmul } from '@eigenflow/linalg';
import { gdStep, modelLoss, type LinearModel, type LinearWeights } from './linearInternals.ts';

/**
 * Full-batch gradient descent (learning rate lr = 1/τ) on L = (1/2P)‖f(X) − Y‖², in float64.
 * Models: `deep` Y = W2W1X, `shallow` Y = WX (W starts at the input's W2W1), `relu`/`tanh`
 * Y = W2φ(W1X). Streams a snapshot after every step (step k is at time t = k·lr, k = 0 is the
 * start) and emits `loss`; returns the final weights and the loss history.
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
  *run({ params, inputs, ctx }) {
    const model = params.model as LinearModel;
    const init = inputs.weights;
    let w: LinearWeights = model === 'shallow'
      ? { model, W1: identity(init.W1.cols), W2: matmul(init.W2, init.W1), step: 0, t: 0 }
      : { ...init, model, step: 0, t: 0 };
    requireArg(model !== 'shallow' || w.W2.rows === inputs.task.syx.rows, ctx.type, 'weights', `have the task's no = ${inputs.task.syx.rows} outputs`, `${w.W2.rows}`);
    requireArg(w.W1.cols === inputs.task.sxx.rows, ctx.type, 'weights', `take the task's ni = ${inputs.task.sxx.rows} inputs`, `W1 with ${w.W1.cols} inputs`);
    const losses: number[] = [];
    for (let k = 0; ; k++) {
      const loss = modelLoss(w, inputs.task);
      losses.push(loss);
      ctx.metric('loss', loss, k);
      yield { step: k, total: params.steps, out: { snapshot: w } };
      if (k === params.steps) break;
      w = gdStep(w, inputs.task, params.lr);
    }
    return { final: w, losses };
  },
});
