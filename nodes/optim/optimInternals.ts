/**
 * Optimizers on flat Float32Array parameters, with PyTorch's update rules (torch.optim.Adam,
 * AdamW, SGD), and learning-rate schedules. State lives in the object `createOptimizer` returns,
 * so each trainer run starts clean.
 */

import type { OptimizerSpec, Schedule } from './types.ts';
import { ADAM_WASM_BASE64 } from './adamKernelBinary.ts';

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
  return spec.kind === 'sgd' ? createSgd(spec, sizes) : createAdam(spec, sizes);
}

/** SGD with momentum (torch.optim.SGD: the first step's buffer is the gradient itself) and L2 decay. */
function createSgd(spec: OptimizerSpec, sizes: readonly number[]): Optimizer {
  const buf = sizes.map((s) => new Float64Array(s));
  return {
    step(params, grads, t, total) {
      const lr = learningRate(spec, t, total);
      const { weightDecay: wd, momentum: mu } = spec;
      for (let i = 0; i < params.length; i++) {
        const p = params[i], g = grads[i], b = buf[i];
        for (let k = 0; k < p.length; k++) {
          const gk = g[k] + wd * p[k];
          const d = mu > 0 ? (b[k] = t === 1 ? gk : mu * b[k] + gk) : gk;
          p[k] -= lr * d;
        }
      }
      return lr;
    },
  };
}

/** The compiled Adam kernel (kernels/adam.wat; immutable, instantiated per optimizer). */
const ADAM = new WebAssembly.Module(Buffer.from(ADAM_WASM_BASE64, 'base64'));

type AdamKernel = (p: number, g: number, m: number, v: number, len: number, shrink: number, l2: number,
  b1: number, ob1: number, b2: number, ob2: number, lr: number, c1: number, c2: number, eps: number) => void;

/**
 * Adam, or AdamW (decoupled decay), on a WebAssembly kernel whose memory keeps the float64
 * moments of every parameter block; each step copies a block and its gradient in and the block out.
 */
function createAdam(spec: OptimizerSpec, sizes: readonly number[]): Optimizer {
  const at = (bytes: number) => (bytes + 15) & ~15;
  let end = 0;
  const blocks = sizes.map((s) => {
    const m = end, v = at(m + 8 * s), p = at(v + 8 * s), g = at(p + 4 * s);
    end = at(g + 4 * s);
    return { m, v, p, g, size: s };
  });
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(end / 65536)) });
  const adam = (new WebAssembly.Instance(ADAM, { env: { mem: memory } }).exports as unknown as { adam: AdamKernel }).adam;
  const f32 = new Float32Array(memory.buffer);
  return {
    step(params, grads, t, total) {
      const lr = learningRate(spec, t, total);
      const { beta1: b1, beta2: b2, eps, weightDecay: wd } = spec;
      // AdamW decays the weight itself (decoupled); Adam adds the decay to the gradient.
      const shrink = spec.kind === 'adamw' ? 1 - lr * wd : 1, l2 = spec.kind === 'adamw' ? 0 : wd;
      for (let i = 0; i < params.length; i++) {
        const b = blocks[i];
        f32.set(params[i], b.p / 4); f32.set(grads[i], b.g / 4);
        adam(b.p, b.g, b.m, b.v, b.size, shrink, l2, b1, 1 - b1, b2, 1 - b2, lr, 1 - b1 ** t, 1 - b2 ** t, eps);
        params[i].set(f32.subarray(b.p / 4, b.p / 4 + b.size));
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
