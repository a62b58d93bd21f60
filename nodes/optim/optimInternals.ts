/**
 * Optimizers on flat Float32Array parameters, with PyTorch's update rules (torch.optim.Adam,
 * AdamW, SGD), and learning-rate schedules. State lives in the object `createOptimizer` returns,
 * so each trainer run starts clean.
 */

import type { OptimizerSpec, Schedule } from './types.ts';

export type { OptimizerKind, OptimizerSpec, Schedule } from './types.ts';
/**
 * `constant`: lr (after any warm-up); `cosine`: lr decays to minLrFrac·lr along a half cosine
 * (after any warm-up); `warmup-cosine`: the same as cosine, named for graphs that always warm up
 * (it requires warmup ≥ 1).
 */
export const SCHEDULES = ['constant', 'cosine', 'warmup-cosine'] as const satisfies readonly Schedule[];

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
        // AdamW decays the weight itself (decoupled); Adam adds the decay to the gradient. The
        // loop stays free of branches and of work for a zero decay (the common case).
        const shrink = spec.kind === 'adamw' ? 1 - lr * wd : 1, l2 = spec.kind === 'adamw' ? 0 : wd;
        for (let k = 0; k < p.length; k++) {
          const pk = shrink * p[k], gk = g[k] + l2 * p[k];
          const mk = b1 * mi[k] + (1 - b1) * gk, vk = b2 * vi[k] + (1 - b2) * gk * gk;
          mi[k] = mk; vi[k] = vk;
          p[k] = pk - (lr * (mk / c1)) / (Math.sqrt(vk / c2) + eps);
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
