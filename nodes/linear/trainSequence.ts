import { defineNode } from '../../src/node.ts';
import { matmul, transpose } from '@eigenflow/linalg';
import { emitTaskMetrics, functionVelocity } from './continualInternals.ts';
import { gdStep, lambdaStar, modelLoss, networkFunction, type LinearWeights } from './linearInternals.ts';

/**
 * Continual learning: full-batch GD on each task of a sequence in turn, stepsPerTask steps each.
 * Emits `loss` (current task), `task{i}_loss`, `task{i}_loss_rate` (flow rate Tr(dŴ/dt(Ŵ − Σᵢ)ᵀ),
 * linear models) and `task{i}_forgetting` = L_i(t) − L_i(start of the current task) for earlier
 * tasks, plus `lambda_star` = Tr(W2ᵀW2 − W1W1ᵀ)/nh (conserved by flow for linear and ReLU nets).
 *
 * ## Example
 * `"train": {"type": "linear.trainSequence", "params": {"lr": 0.01, "stepsPerTask": 300}, "inputs": {"weights": "init.weights", "tasks": "tasks.tasks"}}`
 */
export const trainSequence = defineNode({
  type: 'linear.trainSequence',
  doc: 'GD over a sequence of tasks with per-task loss, forgetting, rate of loss and λ*.',
  params: {
    lr: { type: 'number', doc: 'learning rate η = 1/τ', min: 0, exclusiveMin: true },
    stepsPerTask: { type: 'int', doc: 'GD steps on each task', min: 1 },
    model: { type: 'string', doc: 'network', oneOf: ['deep', 'relu', 'tanh'], default: 'deep' },
  },
  inputs: {
    weights: { type: 'linearWeights', doc: 'initial weights' },
    tasks: { type: 'linearTasks', doc: 'tasks in training order' },
  },
  outputs: {
    snapshot: { type: 'linearWeights', doc: 'weights after each step', stream: true },
    final: { type: 'linearWeights', doc: 'weights after the last step' },
    losses: { type: 'numbers', doc: 'current-task loss at every step' },
  },
  metrics: {
    loss: { kind: 'scalar', doc: 'loss of the task being trained', when: 'step' },
    lambda_star: { kind: 'scalar', doc: 'λ* = Tr(W2ᵀW2 − W1W1ᵀ)/nh', when: 'step' },
    'task*_loss': { kind: 'scalar', doc: 'loss of task i (i = 0, 1, …) at this step', when: 'step' },
    'task*_loss_rate': { kind: 'scalar', doc: 'dL_i/dt of task i under the gradient flow of the current task, Tr(dŴ/dt·(Ŵ − Σᵢ)ᵀ)', when: 'step' },
    'task*_forgetting': { kind: 'scalar', doc: 'L_i(t) − L_i(end of its training) for tasks trained before the current one', when: 'step' },
  },
  *run({ params, inputs, ctx }) {
    const model = params.model;
    const tasks = inputs.tasks;
    let w: LinearWeights = { ...inputs.weights, model, step: 0, t: 0 };
    const baseline: (number | null)[] = tasks.map(() => null);
    const total = params.stepsPerTask * tasks.length;
    const losses: number[] = [];
    for (let k = 0; ; k++) {
      const cur = Math.min(Math.floor(Math.max(k - 1, 0) / params.stepsPerTask), tasks.length - 1);
      const task = tasks[cur];
      ctx.metric('lambda_star', lambdaStar(w).lambda, k);
      const loss = modelLoss(w, task);
      losses.push(loss);
      ctx.metric('loss', loss, k);
      if (model === 'deep') {
        const fn = networkFunction(w);
        const v = functionVelocity(fn, matmul(transpose(w.W1), w.W1), matmul(w.W2, transpose(w.W2)), task.syx);
        const all = emitTaskMetrics(ctx, k, tasks, fn, v, baseline, cur);
        // At a task switch, remember every trained task's loss: forgetting is measured from here.
        if (k % params.stepsPerTask === 0 && k < total) for (let i = 0; i <= cur; i++) baseline[i] = all[i];
      }
      yield { step: k, total, out: { snapshot: w } };
      if (k === total) break;
      w = gdStep(w, tasks[Math.floor(k / params.stepsPerTask)], params.lr);
    }
    return { final: w, losses };
  },
});
