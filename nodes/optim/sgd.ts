/**
 * SGD with optional momentum and L2 weight decay (torch.optim.SGD semantics), constant or cosine
 * learning-rate schedule.
 *
 * ## Example
 * `"optimizer": { "type": "optim.sgd", "params": { "lr": 0.1, "momentum": 0.9 } }`
 */
import { defineNode } from '../../src/node.ts';
import { scheduleParams } from './optimInternals.ts';
import type { OptimizerSpec } from './types.ts';

export const sgd = defineNode({
  type: 'optim.sgd',
  doc: 'Stochastic gradient descent with momentum and L2 weight decay; constant or cosine schedule.',
  params: {
    ...scheduleParams,
    momentum: { type: 'number', doc: 'momentum μ (0: plain SGD)', min: 0, max: 1, default: 0 },
    weightDecay: { type: 'number', doc: 'L2 coefficient', min: 0, default: 0 },
  },
  inputs: {},
  outputs: { out: { type: 'optimizer', doc: 'the optimizer description' } },
  metrics: {},
  run({ params }) {
    const out: OptimizerSpec = { ...params, kind: 'sgd', schedule: params.schedule, beta1: 0, beta2: 0, eps: 0 };
    return { out };
  },
});
