import { defineNode } from '../../src/node.ts';
import { matmul, transpose } from '@eigenflow/linalg';
import { psdPinv, repsOf } from './probeInternals.ts';

/**
 * Representational similarity matrices over the P samples: RSM_I = XᵀW1ᵀW1X and
 * RSM_O = Yᵀ(W2W2ᵀ)⁺Y (pseudo-inverse by eigendecomposition).
 *
 * ## Example
 * `"rsm": {"type": "linear.rsm", "inputs": {"weights": "train.final", "task": "task.task"}}`
 */
export const rsm = defineNode({
  type: 'linear.rsm',
  doc: 'Representational similarity matrices XᵀW1ᵀW1X and Yᵀ(W2W2ᵀ)⁺Y.',
  params: {},
  inputs: {
    weights: { type: 'linearWeights', doc: 'a snapshot', optional: true },
    qq: { type: 'matrix', precision: 'float64', doc: 'or an exact QQᵀ', optional: true },
    task: { type: 'linearTask', doc: 'the task (X, Y)' },
  },
  outputs: {
    input: { type: 'matrix', precision: 'float64', doc: 'RSM_I (P×P)' },
    output: { type: 'matrix', precision: 'float64', doc: 'RSM_O (P×P)' },
  },
  metrics: {},
  run({ inputs }) {
    const { X, Y } = inputs.task;
    const r = repsOf('linear.rsm', inputs, X.rows);
    return {
      input: matmul(matmul(transpose(X), r.input), X),
      output: matmul(matmul(transpose(Y), psdPinv(r.output)), Y),
    };
  },
});
