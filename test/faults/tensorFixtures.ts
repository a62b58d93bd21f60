/**
 * Node types that mishandle tensors, for the fault suite (`--nodes test/faults/tensorFixtures.ts`):
 * one disposes a tensor it was handed, one keeps a tensor per step, one never disposes its variable.
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode, type AnyNodeDef } from '../../src/node.ts';

/** Streams a small tensor per step (owned by the engine once yielded). */
export const source = defineNode({
  type: 'ft.tensorSource',
  doc: 'Streams ones([2, 2]) × step for `steps` steps.',
  params: { steps: { type: 'int', doc: 'steps', min: 1, default: 4 } },
  inputs: {},
  outputs: { x: { type: 'tensor', doc: 'a tensor per step', stream: true } },
  metrics: { step: { kind: 'scalar', doc: 'the step', when: 'step' } },
  *run({ params, ctx }) {
    for (let s = 1; s <= params.steps; s++) {
      ctx.metric('step', s, s);
      yield { step: s, total: params.steps, out: { x: tf.mul(tf.ones([2, 2]), s) } };
    }
  },
});

/** Reads its input; at step `disposeAt` it disposes it (a tensor it does not own). */
export const disposer = defineNode({
  type: 'ft.disposeInput',
  doc: 'Sums its input; disposes the input at step `disposeAt` (0: never).',
  params: { disposeAt: { type: 'int', doc: 'the step', min: 0, default: 2 } },
  inputs: { x: { type: 'tensor', doc: 'a tensor' } },
  outputs: {},
  metrics: { sum: { kind: 'scalar', doc: 'sum of x' } },
  run: ({ params, inputs, ctx }) => {
    ctx.metric('sum', tf.sum(inputs.x).dataSync()[0]!);
    if (ctx.step === params.disposeAt) inputs.x.dispose();
    return {};
  },
});

/** A second reader of the same stream (the victim of the disposal above). */
export const reader = defineNode({
  type: 'ft.readTensor',
  doc: 'Emits the mean of its input.',
  params: {},
  inputs: { x: { type: 'tensor', doc: 'a tensor' } },
  outputs: {},
  metrics: { mean: { kind: 'scalar', doc: 'mean of x' } },
  run: ({ inputs, ctx }) => { ctx.metric('mean', tf.mean(inputs.x).dataSync()[0]!); return {}; },
});

/** A generator that keeps one tensor per step and never disposes them (or a variable, with `variable`). */
export const leaker = defineNode({
  type: 'ft.leak',
  doc: 'Keeps a tensor per step (tf.keep) or makes one tf.Variable, and never disposes them.',
  params: { steps: { type: 'int', doc: 'steps', min: 1, default: 3 }, variable: { type: 'boolean', doc: 'leak a tf.Variable instead', default: false } },
  inputs: {},
  outputs: {},
  metrics: { loss: { kind: 'scalar', doc: '1/step', when: 'step' } },
  *run({ params, ctx }) {
    if (params.variable) tf.variable(tf.zeros([3]));
    for (let s = 1; s <= params.steps; s++) {
      if (!params.variable) tf.keep(tf.ones([4]));
      ctx.metric('loss', 1 / s, s);
      yield { step: s, total: params.steps };
    }
  },
});

/** The same, done right: the variable lives across steps and is disposed in `finally`. */
export const tidy = defineNode({
  type: 'ft.tidyVariable',
  doc: 'Keeps a tf.Variable across steps and disposes it in finally.',
  params: { steps: { type: 'int', doc: 'steps', min: 1, default: 3 } },
  inputs: {},
  outputs: {},
  metrics: { loss: { kind: 'scalar', doc: 'value', when: 'step' } },
  *run({ params, ctx }) {
    const v = tf.variable(tf.zeros([3]));
    try {
      for (let s = 1; s <= params.steps; s++) {
        v.assign(tf.add(v, 1));
        ctx.metric('loss', v.dataSync()[0]!, s);
        yield { step: s, total: params.steps };
      }
    } finally {
      v.dispose();
    }
  },
});

export const nodes: AnyNodeDef[] = [source, disposer, reader, leaker, tidy];
