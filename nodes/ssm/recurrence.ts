/**
 * SSM outputs by running the recurrence x_{k+1} = A x_k + B u_k, y_k = C x_k + D u_k from
 * x_0 = 0: T sequential steps, O(n²) each for dense A and O(n) for diagonal/DPLR A (which
 * update the state as λ∘x or c·x + p(pᵀx) without ever forming A). It runs as a generator that
 * yields every ~4·10⁶ multiply-adds, so a long sequence shows progress and honours Ctrl-C.
 *
 * ## Example
 * `{"type": "ssm.recurrence", "inputs": {"system": "sys.system", "u": "input.u"}}`
 */
import { defineNode } from '../../src/node.ts';
import { recurrenceSteps } from './kernelInternals.ts';
import { sequenceOf } from './ssmInternals.ts';

export const recurrence = defineNode({
  type: 'ssm.recurrence',
  doc: 'Outputs y_0 … y_{T−1} of an SSM by its state recurrence from x_0 = 0.',
  params: {},
  inputs: {
    system: { type: 'ssm', doc: 'the state-space model' },
    u: { type: 'numbers', doc: 'input sequence' },
  },
  outputs: { y: { type: 'numbers', doc: 'outputs, same length as u' } },
  metrics: {},
  *run({ inputs }) {
    const y = yield* recurrenceSteps(inputs.system, sequenceOf('ssm.recurrence', 'u', inputs.u));
    return { y: Array.from(y) };
  },
});
