/**
 * The naive loss of computing relu on n sparse features with m neurons: m features get a neuron each
 * (exact), the other n − m are left out and cost p·E[relu(u)²] each; for values uniform in [−1, 1]
 * this is (n − m)/n · p/6. Emits `naive_loss` and `naive_loss_over_p` (L/p).
 *
 * ## Example
 * `"naive": { "type": "cis.naiveLoss", "params": { "m": "$m" }, "inputs": { "data": "data.out" } }`
 */
import { defineNode } from '../../src/node.ts';
import type {} from '../data/types.ts';
import { naiveLoss as naive } from './cisInternals.ts';

export const naiveLoss = defineNode({
  type: 'cis.naiveLoss',
  doc: 'The dedicated-neuron baseline loss (n − m)/n · p · E[relu(u)²] (= (n − m)/n · p/6 for u uniform in [−1, 1]).',
  params: { m: { type: 'int', doc: 'number of hidden neurons', min: 0 } },
  inputs: { data: { type: 'sparseFeatures', doc: 'the input distribution' } },
  outputs: { out: { type: 'number', doc: 'the naive loss' } },
  metrics: {
    naive_loss: { kind: 'scalar', doc: 'loss of giving m features a neuron each and dropping the rest' },
    naive_loss_over_p: { kind: 'scalar', doc: 'naive_loss divided by the feature probability p' },
  },
  run({ params, inputs, ctx }) {
    const value = naive(inputs.data, params.m);
    ctx.metric('naive_loss', value);
    ctx.metric('naive_loss_over_p', value / inputs.data.p);
    return { out: value };
  },
});
