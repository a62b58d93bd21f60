import { defineNode } from '../../src/node.ts';
import { matmul, transpose, svd, diag } from '@eigenflow/linalg';
import { cosine, repsOf } from './probeInternals.ts';

/**
 * Task-specific score (thesis eq. 4.33–4.34, output form corrected to W2W2ᵀ):
 * TSC_in = max(cos(W1ᵀW1, ṼS̃Ṽᵀ), cos(W1ᵀW1, ṼS̃²Ṽᵀ)), TSC_out = max(cos(W2W2ᵀ, ŨS̃Ũᵀ),
 * cos(W2W2ᵀ, ŨS̃²Ũᵀ)), with Σyx = ŨS̃Ṽᵀ and cos the Frobenius cosine similarity.
 *
 * ## Example
 * `"tsc": {"type": "linear.taskScore", "inputs": {"weights": "train.snapshot", "task": "task.task"}, "every": 10}`
 */
export const taskScore = defineNode({
  type: 'linear.taskScore',
  doc: 'Task-specific score (cosine similarity) of the input and output representations.',
  params: {},
  inputs: {
    weights: { type: 'linearWeights', doc: 'a snapshot', optional: true },
    qq: { type: 'matrix', precision: 'float64', doc: 'or an exact QQᵀ', optional: true },
    task: { type: 'linearTask', doc: 'the task' },
  },
  outputs: { score: { type: 'numbers', doc: '[TSC_in, TSC_out]' } },
  metrics: {
    tsc_input: { kind: 'scalar', doc: 'task-specific score of the input representation W1ᵀW1' },
    tsc_output: { kind: 'scalar', doc: 'task-specific score of the output representation W2W2ᵀ' },
  },
  run({ inputs, ctx }) {
    const r = repsOf('linear.taskScore', inputs, inputs.task.sxx.rows);
    const { s, U, V } = svd(inputs.task.syx, { vectors: true });
    const sq = Array.from(s, (x) => x * x);
    const around = (M: typeof U, d: number[]) => matmul(matmul(M!, diag(d)), transpose(M!));
    const tin = Math.max(cosine(r.input, around(V, Array.from(s))), cosine(r.input, around(V, sq)));
    const tout = Math.max(cosine(r.output, around(U, Array.from(s))), cosine(r.output, around(U, sq)));
    ctx.metric('tsc_input', tin);
    ctx.metric('tsc_output', tout);
    return { score: [tin, tout] };
  },
});
