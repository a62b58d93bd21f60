/**
 * Optimizers on flat Float32Array parameters, with PyTorch's update rules (torch.optim.Adam,
 * AdamW, SGD), and learning-rate schedules. State lives in the object `createOptimizer` returns,
 * so each trainer run starts clean.
 */

import type { OptimizerSpec, Schedule } from './types.ts';

export type { OptimizerKind, OptimizerSpec, Schedule } from './types.ts';
export const SCHEDULES = ['constant', 'cosine'] as const satisfies readonly Schedule[];

/** The learning rate at step t (1-based) of `total`. */
export function learningRate(spec: OptimizerSpec, t: number, total: number): number {
  if (spec.warmup > 0 && t <= spec.warmup) return (spec.lr * t) / spec.warmup;
  if (spec.schedule === 'constant') return spec.lr;
  const span = Math.max(1, total - spec.warmup);
  const frac = Math.min(1, (t - spec.warmup) / span);
  const lo = spec.lr * spec.minLrFrac;
  return lo + 0.5 * (spec.lr - lo) * (1 + Math.cos(Math.PI * frac));
}

export interface Optimizer {
  /** Update `params[i]` in place from `grads[i]` at step t (1-based) of `total`; returns the lr used. */
  step(params: Float32Array[], grads: Float32Array[], t: number, total: number): number;
}

export function createOptimizer(spec: OptimizerSpec, sizes: readonly number[]): Optimizer {
  const m = sizes.map((s) => new Float64Array(s));
  const v = sizes.map((s) => new Float64Array(s));
  return {
    step(params, grads, t, total) {
      const lr = learningRate(spec, t, total);
      const { beta1: b1, beta2: b2, eps, weightDecay: wd, momentum: mu } = spec;
      for (let i = 0; i < params.length; i++) {
        const p = params[i], g = grads[i], mi = m[i], vi = v[i];
        if (spec.kind === 'sgd') {
          for (let k = 0; k < p.length; k++) {
            const gk = g[k] + wd * p[k];
            const d = mu > 0 ? (mi[k] = t === 1 ? gk : mu * mi[k] + gk) : gk;
            p[k] -= lr * d;
          }
          continue;
        }
        const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
        const decoupled = spec.kind === 'adamw';
        for (let k = 0; k < p.length; k++) {
          let pk = p[k];
          let gk = g[k];
          if (decoupled) pk -= lr * wd * pk;
          else gk += wd * pk;
          mi[k] = b1 * mi[k] + (1 - b1) * gk;
          vi[k] = b2 * vi[k] + (1 - b2) * gk * gk;
          p[k] = pk - (lr * (mi[k] / c1)) / (Math.sqrt(vi[k] / c2) + eps);
        }
      }
      return lr;
    },
  };
}

/** Schema entries shared by the optimizer nodes. */
export const scheduleParams = {
  lr: { type: 'number', doc: 'learning rate', min: 0, exclusiveMin: true },
  schedule: { type: 'string', doc: 'learning-rate schedule', oneOf: SCHEDULES, default: 'constant' },
  warmup: { type: 'int', doc: 'linear warm-up steps', min: 0, default: 0 },
  minLrFrac: { type: 'number', doc: 'cosine: final lr as a fraction of lr', min: 0, max: 1, default: 0 },
} as const;
