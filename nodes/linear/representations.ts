import { defineNode } from '../../src/node.ts';
import { frobNorm } from '@eigenflow/linalg';
import { repsOf } from './probeInternals.ts';

/**
 * Input and output representations W1ᵀW1 (ni×ni) and W2W2ᵀ (no×no) — the diagonal blocks of
 * QQᵀ — from a trainer snapshot or an exact QQᵀ stream. Emits their Frobenius norms, and the
 * matrices themselves (row-major arrays `input_rep`, `output_rep`) for heatmap plots.
 *
 * ## Example
 * `"reps": {"type": "linear.representations", "inputs": {"qq": "exact.qq", "task": "task.task"}, "every": 20}`
 */
export const representations = defineNode({
  type: 'linear.representations',
  doc: 'Input/output representations W1ᵀW1 and W2W2ᵀ (the QQᵀ blocks).',
  params: {},
  inputs: {
    weights: { type: 'linearWeights', doc: 'a snapshot', optional: true },
    qq: { type: 'matrix', precision: 'float64', doc: 'or an exact QQᵀ', optional: true },
    task: { type: 'linearTask', doc: 'the task (gives ni to split QQᵀ)', optional: true },
  },
  outputs: {
    input: { type: 'matrix', precision: 'float64', doc: 'W1ᵀW1' },
    output: { type: 'matrix', precision: 'float64', doc: 'W2W2ᵀ' },
  },
  metrics: {
    input_norm: { kind: 'scalar', doc: '‖W1ᵀW1‖_F' },
    output_norm: { kind: 'scalar', doc: '‖W2W2ᵀ‖_F' },
    input_rep: { kind: 'matrix', doc: 'W1ᵀW1, row-major (ni × ni)' },
    output_rep: { kind: 'matrix', doc: 'W2W2ᵀ, row-major (no × no)' },
  },
  run({ inputs, ctx }) {
    const r = repsOf('linear.representations', inputs, inputs.task?.sxx.rows);
    ctx.metric('input_norm', frobNorm(r.input));
    ctx.metric('output_norm', frobNorm(r.output));
    ctx.metric('input_rep', r.input.data);
    ctx.metric('output_rep', r.output.data);
    return { input: r.input, output: r.output };
  },
});
