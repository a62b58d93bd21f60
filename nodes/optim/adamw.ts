/**
 * AdamW (torch.optim.AdamW semantics: decoupled weight decay θ ← θ − lr·wd·θ before the Adam
 * step) with a constant or cosine learning-rate schedule.
 *
 * ## Example
 * `"optimizer": { "type": "optim.adamw", "params": { "lr": 0.003, "weightDecay": 0.01 } }`
 */
import { defineNode } from '../../src/node.ts';
import { scheduleParams } from './optimInternals.ts';
import type { OptimizerSpec } from './types.ts';

export const adamw = defineNode({
  type: 'optim.adamw',
  doc: 'AdamW: Adam with decoupled weight decay; constant or cosine schedule.',
  params: {
    ...scheduleParams,
    beta1: { type: 'number', doc: 'first-moment decay', min: 0, max: 1, default: 0.9 },
    beta2: { type: 'number', doc: 'second-moment decay', min: 0, max: 1, default: 0.999 },
    eps: { type: 'number', doc: 'denominator epsilon', min: 0, default: 1e-8 },
    weightDecay: { type: 'number', doc: 'decoupled decay coefficient', min: 0, default: 0.01 },
  },
  inputs: {},
  outputs: { out: { type: 'optimizer', doc: 'the optimizer description' } },
  metrics: {},
  run({ params }) {
    const out: OptimizerSpec = { ...params, kind: 'adamw', schedule: params.schedule, momentum: 0 };
    return { out };
  },
});
