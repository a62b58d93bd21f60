/**
 * Adam (torch.optim.Adam semantics: weight decay is an L2 term added to the gradient) with a
 * constant or cosine learning-rate schedule. Emits an optimizer description for a trainer.
 *
 * ## Example
 * `"optimizer": { "type": "optim.adam", "params": { "lr": "$lr", "schedule": "cosine" } }`
 */
import { defineNode } from '../../src/node.ts';
import { scheduleParams } from './optimInternals.ts';
import type { OptimizerSpec } from './types.ts';

export const adam = defineNode({
  type: 'optim.adam',
  doc: 'Adam with bias correction; weight decay as L2 added to the gradient; constant or cosine schedule.',
  params: {
    ...scheduleParams,
    beta1: { type: 'number', doc: 'first-moment decay', min: 0, max: 1, default: 0.9 },
    beta2: { type: 'number', doc: 'second-moment decay', min: 0, max: 1, default: 0.999 },
    eps: { type: 'number', doc: 'denominator epsilon', min: 0, default: 1e-8 },
    weightDecay: { type: 'number', doc: 'L2 coefficient', min: 0, default: 0 },
  },
  inputs: {},
  outputs: { out: { type: 'optimizer', doc: 'the optimizer description' } },
  metrics: {},
  run({ params }) {
    const out: OptimizerSpec = { ...params, kind: 'adam', schedule: params.schedule, momentum: 0 };
    return { out };
  },
});
