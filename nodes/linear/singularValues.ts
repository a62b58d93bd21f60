import { defineNode } from '../../src/node.ts';
import { svd } from '@eigenflow/linalg';
import { repsOf } from './probeInternals.ts';

/**
 * Singular values of the network function W2W1 (`singular_values`) and, with the task wired,
 * its task-mode projections a_α = ũ_αᵀW2W1ṽ_α (`task_modes`, and one scalar `mode{α}` each for
 * line plots), which the aligned closed form predicts.
 *
 * ## Example
 * `"modes": {"type": "linear.singularValues", "inputs": {"weights": "train.snapshot", "task": "task.task"}, "every": 5}`
 */
export const singularValues = defineNode({
  type: 'linear.singularValues',
  doc: 'Singular values of W2W1 and its projections on the task singular vectors.',
  params: {},
  inputs: {
    weights: { type: 'linearWeights', doc: 'a snapshot', optional: true },
    qq: { type: 'matrix', precision: 'float64', doc: 'or an exact QQᵀ', optional: true },
    task: { type: 'linearTask', doc: 'the task', optional: true },
  },
  outputs: { values: { type: 'numbers', doc: 'singular values, descending' } },
  metrics: {
    singular_values: { kind: 'array', doc: 'singular values of W2W1, descending' },
    task_modes: { kind: 'series', doc: 'a_α = ũ_αᵀW2W1ṽ_α per task mode α (with task wired)' },
    'mode*': { kind: 'scalar', doc: 'a_α of task mode α (mode0, mode1, …; with task wired)' },
  },
  run({ inputs, ctx }) {
    const { fn } = repsOf('linear.singularValues', inputs, inputs.task?.sxx.rows);
    const values = Array.from(svd(fn).s);
    ctx.metric('singular_values', values);
    if (inputs.task) {
      const { U, V, s } = svd(inputs.task.syx, { vectors: true });
      const k = s.length, ni = fn.cols;
      const modes = Array.from({ length: k }, (_, a) => {
        let v = 0;
        for (let i = 0; i < fn.rows; i++) for (let j = 0; j < ni; j++) v += U!.data[i * k + a] * fn.data[i * ni + j] * V!.data[j * k + a];
        return v;
      });
      ctx.metric('task_modes', modes);
      modes.forEach((v, a) => ctx.metric(`mode${a}`, v));
    }
    return { values };
  },
});
