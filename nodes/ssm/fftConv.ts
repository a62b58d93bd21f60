/**
 * Causal convolution y_k = Σ_{j ≤ k} K_j u_{k−j} of an input with a kernel by zero-padded
 * float64 FFT (or the direct sum, see `method`). With the kernel of an SSM and at least
 * u.length taps this equals the SSM's recurrence output; a shorter kernel truncates the memory.
 *
 * ## Example
 * `{"type": "ssm.fftConv", "params": {"method": "fft"}, "inputs": {"kernel": "kernel.kernel", "u": "input.u"}}`
 */
import { defineNode } from '../../src/node.ts';
import { convolve } from '@eigenflow/linalg';
import { sequenceOf } from './ssmInternals.ts';

export const fftConv = defineNode({
  type: 'ssm.fftConv',
  doc: 'Causal convolution of u with a kernel (first u.length outputs) by zero-padded float64 FFT.',
  params: {
    method: { type: 'string', doc: 'fft (always), direct (O(T·taps) sum), auto (cheaper of the two)', oneOf: ['fft', 'direct', 'auto'], default: 'fft' },
  },
  inputs: {
    kernel: { type: 'numbers', doc: 'K_0 … K_L' },
    u: { type: 'numbers', doc: 'input sequence' },
  },
  outputs: { y: { type: 'numbers', doc: 'outputs, same length as u' } },
  metrics: {},
  run: ({ params, inputs, ctx }) => {
    const K = sequenceOf('ssm.fftConv', 'kernel', inputs.kernel);
    const u = sequenceOf('ssm.fftConv', 'u', inputs.u);
    if (K.length < u.length) {
      ctx.log(`kernel has ${K.length} taps for ${u.length} inputs: outputs past t = ${K.length - 1} forget older inputs (set L ≥ ${u.length - 1} for the exact SSM output)`);
    }
    return { y: Array.from(convolve(u, K, { length: u.length, method: params.method })) };
  },
});
