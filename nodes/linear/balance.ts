import { defineNode } from '../../src/node.ts';
import { frobNorm, sub } from '@eigenflow/linalg';
import { lambdaStar } from './linearInternals.ts';

/**
 * The balance computation B = W2ᵀW2 − W1W1ᵀ of a snapshot, λ* = Tr(B)/nh (the λ of the closest
 * λI, thesis Thm 4.5.1 with the 1/nh the printed statement drops), ‖B − λ*I‖_F, and with the
 * start wired in, the drift ‖B(t) − B(0)‖_F and |λ*(t) − λ*(0)|.
 *
 * ## Example
 * `"balance": {"type": "linear.balance", "inputs": {"weights": "train.snapshot", "init": "init.weights"}, "every": 10}`
 */
export const balance = defineNode({
  type: 'linear.balance',
  doc: 'Balance probe: B = W2ᵀW2 − W1W1ᵀ, λ* = Tr(B)/nh, distance to λ*I and drift from the start.',
  params: {},
  inputs: {
    weights: { type: 'linearWeights', doc: 'a snapshot' },
    init: { type: 'linearWeights', doc: 'the start, for drift', optional: true },
  },
  outputs: { B: { type: 'matrix', precision: 'float64', doc: 'the balance computation' } },
  metrics: {
    lambda_star: { kind: 'scalar', doc: 'λ* = Tr(B)/nh, the λ of the closest λI to B = W2ᵀW2 − W1W1ᵀ' },
    balance_distance: { kind: 'scalar', doc: '‖B − λ*I‖_F' },
    balance_drift: { kind: 'scalar', doc: '‖B(t) − B(0)‖_F (with init wired)' },
    lambda_drift: { kind: 'scalar', doc: '|λ*(t) − λ*(0)| (with init wired)' },
  },
  run({ inputs, ctx }) {
    const now = lambdaStar(inputs.weights);
    ctx.metric('lambda_star', now.lambda);
    ctx.metric('balance_distance', now.distance);
    if (inputs.init) {
      const start = lambdaStar(inputs.init);
      ctx.metric('balance_drift', frobNorm(sub(now.B, start.B)));
      ctx.metric('lambda_drift', Math.abs(now.lambda - start.lambda));
    }
    return { B: now.B };
  },
});
