import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';

/**
 * Steps to convergence of a loss history: the first step k with
 * L_k − L_final ≤ tol·(L_0 − L_final) (`steps_to_converge`, thesis Fig. 4.4), and the final loss.
 *
 * ## Example
 * `"conv": {"type": "linear.convergence", "params": {"tol": 0.001}, "inputs": {"losses": "train.losses"}}`
 */
export const convergence = defineNode({
  type: 'linear.convergence',
  doc: 'First step at which a loss history is within tol of its final value (relative to its drop).',
  params: { tol: { type: 'number', doc: 'fraction of the total drop still allowed', default: 1e-3, min: 0, exclusiveMin: true } },
  inputs: { losses: { type: 'numbers', doc: 'loss at steps 0..n (e.g. train.losses)' } },
  outputs: { steps: { type: 'number', doc: 'steps to convergence' } },
  metrics: {
    steps_to_converge: { kind: 'scalar', doc: 'first step k with L_k − L_final ≤ tol·(L_0 − L_final) (−1 if none)', unit: 'steps' },
    final_loss: { kind: 'scalar', doc: 'last loss of the history' },
  },
  run({ params, inputs, ctx }) {
    const L = inputs.losses;
    requireArg(L.length > 0, ctx.type, 'losses', 'be a non-empty loss history', 'an empty one');
    const end = L[L.length - 1], drop = L[0] - end;
    const steps = L.findIndex((x) => x - end <= params.tol * drop);
    ctx.metric('steps_to_converge', steps, null);
    ctx.metric('final_loss', end, null);
    return { steps };
  },
});
