import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { emitTaskMetrics, functionVelocity } from './continualInternals.ts';
import { requireBalanced, requireWhitened } from './exactInternals.ts';
import { linearLoss, stackQ } from './linearInternals.ts';
import { psdFactor, qqtBlocks, riccatiFromFactor } from './riccatiInternals.ts';

/**
 * Exact QQᵀ(t) (Q = [W1ᵀ; W2]) of a λ-balanced start, aligned or not, any shapes, from the
 * matrix Riccati equation τ·d(QQᵀ)/dt = F·QQᵀ + QQᵀ·F − (QQᵀ)², F = [[−λ/2·I, Σyxᵀ], [Σyx, λ/2·I]],
 * evaluated without overflow at any t or |λ| (see riccatiInternals.ts). Streams QQᵀ on the
 * trainer's time axis t = k·lr and emits `loss`. With `tasks` wired in, trains through the
 * sequence (stepsPerTask each; the start of each task is the end of the previous one, still
 * λ-balanced) and emits task{i}_loss, task{i}_loss_rate and task{i}_forgetting.
 *
 * ## Example
 * `"exact": {"type": "linear.riccatiExact", "params": {"lr": 0.01, "steps": 200}, "inputs": {"weights": "init.weights", "task": "task.task"}}`
 */
export const riccatiExact = defineNode({
  type: 'linear.riccatiExact',
  doc: 'Closed-form QQᵀ(t) of a λ-balanced (unaligned) two-layer linear net, optionally over a task sequence.',
  params: {
    lr: { type: 'number', doc: 'learning rate of the matching GD run (t = step·lr)', min: 0, exclusiveMin: true },
    steps: { type: 'int', doc: 'number of steps (per task when tasks are given)', min: 0 },
  },
  inputs: {
    weights: { type: 'linearWeights', doc: 'initial λ-balanced weights' },
    task: { type: 'linearTask', doc: 'the task (whitened); ignored when tasks is wired', optional: true },
    tasks: { type: 'linearTasks', doc: 'a task sequence for continual learning', optional: true },
  },
  outputs: {
    qq: { type: 'matrix', precision: 'float64', doc: 'QQᵀ(t) = [[W1ᵀW1, W1ᵀW2ᵀ], [W2W1, W2W2ᵀ]]', stream: true },
    losses: { type: 'numbers', doc: 'current-task loss at every step' },
  },
  metrics: {
    loss: { kind: 'scalar', doc: 'loss of the current task under the exact solution', when: 'step' },
    'task*_loss': { kind: 'scalar', doc: 'loss of task i (i = 0, 1, …) at this step', when: 'step' },
    'task*_loss_rate': { kind: 'scalar', doc: 'dL_i/dt of task i under the gradient flow of the current task, Tr(dŴ/dt·(Ŵ − Σᵢ)ᵀ)', when: 'step' },
    'task*_forgetting': { kind: 'scalar', doc: 'L_i(t) − L_i(end of its training) for tasks trained before the current one', when: 'step' },
  },
  *run({ params, inputs, ctx }) {
    const tasks = inputs.tasks ?? (inputs.task ? [inputs.task] : []);
    requireArg(tasks.length > 0, ctx.type, 'task or tasks', 'be wired', 'neither');
    tasks.forEach((t) => requireWhitened('linear.riccatiExact', t));
    const lambda = requireBalanced('linear.riccatiExact', inputs.weights);
    const ni = inputs.weights.W1.cols, nh = inputs.weights.W1.rows;
    let Q0 = stackQ(inputs.weights);
    const baseline: (number | null)[] = tasks.map(() => null);
    const losses: number[] = [];
    const S = params.steps, total = S * tasks.length;
    let k = 0;
    for (let j = 0; j < tasks.length; j++) {
      const sol = riccatiFromFactor(tasks[j].syx, Q0, lambda);
      if (sol.dormant) ctx.log(`task ${j}: the start has no component along ${sol.dormant} growing mode(s); they stay unlearned`);
      let P = sol.at(0);
      for (let i = j === 0 ? 0 : 1; i <= S; i++, k++) {
        P = sol.at(i * params.lr);
        const { input, fn, output } = qqtBlocks(P, ni);
        const loss = linearLoss(fn, tasks[j]);
        losses.push(loss);
        ctx.metric('loss', loss, k);
        if (inputs.tasks) {
          const all = emitTaskMetrics(ctx, k, tasks, fn, functionVelocity(fn, input, output, tasks[j].syx), baseline, j);
          if (i === S) all.forEach((l, t) => { if (t <= j) baseline[t] = l; });
        }
        yield { step: k, total, out: { qq: P } };
      }
      Q0 = psdFactor(P, nh);
    }
    return { losses };
  },
});
