/**
 * One optimizer node for graphs that choose the optimizer by a parameter
 * (`--set optimizer=adamw --set schedule=cosine`): `kind` picks Adam, AdamW or SGD with the same
 * update rules as `optim.adam`, `optim.adamw` and `optim.sgd`. Parameters the chosen kind does not
 * use are ignored (β₁, β₂, ε by SGD; momentum by Adam and AdamW).
 *
 * ## Example
 * `"optimizer": { "type": "optim.optimizer", "params": { "kind": "$optimizer", "lr": "$lr", "schedule": "$schedule", "weightDecay": "$weightDecay", "warmup": "$warmup" } }`
 */
import { defineNode } from '../../src/node.ts';
import { scheduleParams, type OptimizerKind, type OptimizerSpec } from './optimInternals.ts';

const KINDS = ['adam', 'adamw', 'sgd'] as const satisfies readonly OptimizerKind[];

export const optimizer = defineNode({
  type: 'optim.optimizer',
  doc: 'Optimizer chosen by kind: adam (L2 in the gradient), adamw (decoupled decay) or sgd (momentum, L2); constant, cosine or warmup-cosine schedule.',
  params: {
    kind: { type: 'string', doc: 'which optimizer', oneOf: KINDS, default: 'adam' },
    ...scheduleParams,
    beta1: { type: 'number', doc: 'first-moment decay (adam, adamw)', min: 0, max: 1, default: 0.9 },
    beta2: { type: 'number', doc: 'second-moment decay (adam, adamw)', min: 0, max: 1, default: 0.999 },
    eps: { type: 'number', doc: 'denominator epsilon (adam, adamw)', min: 0, default: 1e-8 },
    weightDecay: { type: 'number', doc: 'weight decay: L2 for adam and sgd, decoupled for adamw', min: 0, default: 0 },
    momentum: { type: 'number', doc: 'momentum μ (sgd)', min: 0, max: 1, default: 0 },
  },
  inputs: {},
  outputs: { out: { type: 'optimizer', doc: 'the optimizer description' } },
  metrics: {},
  check: (p) => (p.schedule === 'warmup-cosine' && p.warmup < 1 ? ['schedule "warmup-cosine" needs warmup ≥ 1 (got warmup=0)'] : []),
  run({ params }) {
    const kind = params.kind;
    const adamLike = kind !== 'sgd';
    const out: OptimizerSpec = {
      kind, lr: params.lr, schedule: params.schedule, warmup: params.warmup, minLrFrac: params.minLrFrac,
      beta1: adamLike ? params.beta1 : 0, beta2: adamLike ? params.beta2 : 0, eps: adamLike ? params.eps : 0,
      weightDecay: params.weightDecay, momentum: adamLike ? 0 : params.momentum,
    };
    return { out };
  },
});
