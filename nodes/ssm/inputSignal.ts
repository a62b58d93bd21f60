/**
 * An input sequence u_0 … u_{T−1} for an SSM: Gaussian noise, a unit impulse at t = 0 (the
 * output is then the kernel itself), or a unit step. With `T = 0` the length is taken from the
 * optional input `like` (wire the kernel there to use every tap: T = L + 1).
 *
 * ## Example
 * `{"type": "ssm.inputSignal", "params": {"T": 0, "shape": "normal"}, "inputs": {"like": "kernel.kernel"}}`
 */
import { argError } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';

export const inputSignal = defineNode({
  type: 'ssm.inputSignal',
  doc: 'Input sequence of length T (or of the `like` input when T = 0): normal (iid N(0, 1) from the node stream), impulse, or step.',
  params: {
    T: { type: 'int', doc: 'sequence length; 0 = the length of input `like`', min: 0, max: 1e8, default: 0 },
    shape: { type: 'string', doc: 'normal | impulse | step', oneOf: ['normal', 'impulse', 'step'], default: 'normal' },
  },
  inputs: { like: { type: 'numbers', doc: 'a sequence whose length is used when T = 0', optional: true } },
  outputs: { u: { type: 'numbers', doc: 'u_0 … u_{T−1}' } },
  cost: (p) => ({ bytes: 16 * p.T }),
  run: ({ params, inputs, ctx }) => {
    const like = inputs.like as ArrayLike<number> | undefined;
    const T = params.T || (like?.length ?? 0);
    if (T === 0) {
      throw like ? argError(ctx.type, 'like', 'be non-empty when T = 0 (T = 0 takes its length; or set T ≥ 1)', 'an empty sequence')
        : argError(ctx.type, 'T', 'be ≥ 1 when input like is not wired (T = 0 means "the length of input like"; set T ≥ 1 or wire like, e.g. to kernel.kernel)', 0);
    }
    const u = new Float64Array(T);
    if (params.shape === 'normal') ctx.rng.fillNormal(u);
    else if (params.shape === 'impulse') u[0] = 1;
    else u.fill(1);
    return { u: Array.from(u) };
  },
});
