/**
 * This project's node types. `eigenflow run GRAPH --nodes ./src/nodes.ts` loads them (any module
 * exporting `nodes`), and the declaration below tells the graph builder about them, so
 * `graph().node('s', 'study.shrink', …)` is type-checked like a built-in type.
 */
import { defineNode, tf, type NodeTypesOf } from 'eigenflow';

/**
 * Shrinks a matrix towards zero, x ↦ x / (1 + λ), and reports the Frobenius norms before and
 * after. Replace it with your own computation: parameters, ports and metrics are declared, `run`
 * computes (tensors it creates are cleaned up by the engine).
 */
export const shrink = defineNode({
  type: 'study.shrink',
  doc: 'x / (1 + λ), with the Frobenius norms of x and of the result.',
  params: {
    lambda: { type: 'number', doc: 'shrinkage λ ≥ 0', default: 1, min: 0 },
  },
  inputs: { x: { type: 'matrix', doc: 'the matrix to shrink' } },
  outputs: { out: { type: 'matrix', doc: 'x / (1 + λ)' } },
  metrics: {
    norm_in: { kind: 'scalar', doc: '‖x‖_F' },
    norm_out: { kind: 'scalar', doc: '‖x / (1 + λ)‖_F' },
  },
  run: ({ params, inputs, ctx }) => {
    const out = tf.div(inputs.x, 1 + params.lambda);
    ctx.metric('norm_in', tf.norm(inputs.x));
    ctx.metric('norm_out', tf.norm(out));
    return { out };
  },
});

export const nodes = [shrink];

declare module 'eigenflow' {
  interface NodeTypes extends NodeTypesOf<typeof nodes> {}
}
