/**
 * An input sequence u_0 … u_{T−1} for an SSM: Gaussian noise, a unit impulse at t = 0 (the
 * output is then the kernel itself), or a unit step.
 *
 * ## Example
 * `{"type": "ssm.inputSignal", "params": {"T": 64, "shape": "normal"}}`
 */
import { defineNode } from '../../src/node.ts';

export const inputSignal = defineNode({
  type: 'ssm.inputSignal',
  doc: 'Input sequence of length T: normal (iid N(0, 1) from the node stream), impulse, or step.',
  params: {
    T: { type: 'int', doc: 'sequence length', min: 1, max: 1e8, default: 4 },
    shape: { type: 'string', doc: 'normal | impulse | step', oneOf: ['normal', 'impulse', 'step'], default: 'normal' },
  },
  inputs: {},
  outputs: { u: { type: 'numbers', doc: 'u_0 … u_{T−1}' } },
  run: ({ params, ctx }) => {
    const u = new Float64Array(params.T);
    if (params.shape === 'normal') ctx.rng.fillNormal(u);
    else if (params.shape === 'impulse') u[0] = 1;
    else u.fill(1);
    return { u: Array.from(u) };
  },
});
