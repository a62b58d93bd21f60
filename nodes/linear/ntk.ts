import { defineNode } from '../../src/node.ts';
import { identity, matmul, transpose, add, frobNorm, sub } from '@eigenflow/linalg';
import { kron, repsOf, type Reps } from './probeInternals.ts';

/**
 * Neural tangent kernel of a two-layer linear net on the task inputs,
 * NTK = I_no ⊗ XᵀW1ᵀW1X + W2W2ᵀ ⊗ XᵀX ((no·P) square), and its relative distance from the
 * start ‖K(t) − K(0)‖_F/‖K(0)‖_F: small in the lazy regime, O(1) in the rich regime.
 *
 * ## Example
 * `"ntk": {"type": "linear.ntk", "inputs": {"weights": "train.snapshot", "init": "init.weights", "task": "task.task"}, "every": 20}`
 */
export const ntk = defineNode({
  type: 'linear.ntk',
  doc: 'NTK I⊗XᵀW1ᵀW1X + W2W2ᵀ⊗XᵀX and its relative distance from initialisation.',
  params: {},
  inputs: {
    weights: { type: 'linearWeights', doc: 'a snapshot', optional: true },
    qq: { type: 'matrix', precision: 'float64', doc: 'or an exact QQᵀ', optional: true },
    init: { type: 'linearWeights', doc: 'the start, for the distance', optional: true },
    task: { type: 'linearTask', doc: 'the task (inputs X)' },
  },
  outputs: { K: { type: 'matrix', precision: 'float64', doc: 'the NTK' } },
  metrics: {
    ntk_norm: { kind: 'scalar', doc: '‖NTK‖_F' },
    ntk_distance: { kind: 'scalar', doc: '‖K(t) − K(0)‖_F/‖K(0)‖_F (with init wired)' },
  },
  run({ inputs, ctx }) {
    const X = inputs.task.X, XtX = matmul(transpose(X), X);
    const kernel = (r: Reps) => add(kron(identity(r.output.rows), matmul(matmul(transpose(X), r.input), X)), kron(r.output, XtX));
    const K = kernel(repsOf('linear.ntk', inputs, X.rows));
    ctx.metric('ntk_norm', frobNorm(K));
    if (inputs.init) {
      const K0 = kernel(repsOf('linear.ntk', { weights: inputs.init }, X.rows));
      ctx.metric('ntk_distance', frobNorm(sub(K, K0)) / Math.max(frobNorm(K0), 1e-300));
    }
    return { K };
  },
});
