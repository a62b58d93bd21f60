import { defineNode } from '../../src/node.ts';
import { linearFlow } from './flowInternals.ts';
import { linearLoss, networkFunction, weights } from './linearInternals.ts';

/**
 * The deep-linear gradient flow τẆ1 = W2ᵀ(Σyx − W2W1Σxx), τẆ2 = (Σyx − W2W1Σxx)W1ᵀ integrated
 * numerically (adaptive Dormand–Prince 5(4), rtol 1e-10) and sampled on the trainer's time axis
 * t = k·lr, k = 0..steps: the reference both GD and the closed forms approximate.
 *
 * ## Example
 * `"flow": {"type": "linear.gradientFlow", "params": {"lr": 0.01, "steps": 200}, "inputs": {"weights": "init.weights", "task": "task.task"}}`
 */
export const gradientFlow = defineNode({
  type: 'linear.gradientFlow',
  doc: 'Numerically integrated gradient flow of a deep linear net, on the GD time axis.',
  params: {
    lr: { type: 'number', doc: 'learning rate of the matching GD run (t = step·lr)', min: 0, exclusiveMin: true },
    steps: { type: 'int', doc: 'number of steps', min: 0 },
    rtol: { type: 'number', doc: 'relative tolerance of the integrator', default: 1e-10, min: 0, exclusiveMin: true },
  },
  inputs: {
    weights: { type: 'linearWeights', doc: 'initial weights' },
    task: { type: 'linearTask', doc: 'the task' },
  },
  outputs: {
    snapshot: { type: 'linearWeights', doc: 'weights at t = k·lr', stream: true },
    losses: { type: 'numbers', doc: 'loss at steps 0..steps' },
  },
  metrics: {
    loss: { kind: 'scalar', doc: 'loss of the integrated flow at t = k·lr', when: 'step' },
  },
  *run({ params, inputs, ctx }) {
    const times = Array.from({ length: params.steps + 1 }, (_, k) => k * params.lr);
    const states = linearFlow(inputs.weights.W1, inputs.weights.W2, inputs.task.syx, inputs.task.sxx, times, { rtol: params.rtol, atol: params.rtol * 1e-2 });
    const losses: number[] = [];
    for (let k = 0; k <= params.steps; k++) {
      const w = { ...weights('deep', states[k].W1, states[k].W2), step: k, t: times[k] };
      const loss = linearLoss(networkFunction(w), inputs.task);
      losses.push(loss);
      ctx.metric('loss', loss, k);
      yield { step: k, total: params.steps, out: { snapshot: w } };
    }
    return { losses };
  },
});
