import { defineNode } from '../../src/node.ts';
import { matrix64, svd, frobNorm, sub } from '@eigenflow/linalg';
import { alignedLambda, alignedSigmoid, largeLambda, shallowExp } from './alignedInternals.ts';
import { lambdaStar, linearLoss, networkFunction } from './linearInternals.ts';
import { requireWhitened } from './exactInternals.ts';

/**
 * Exact learning curves of an aligned start, mode by mode, on the trainer's time axis t = k·lr:
 * `lambda` a(t) of λ-balanced weights (ȧ = √(λ² + 4a²)(s − a)), `sigmoid` the λ = 0 curve
 * s/(1 − e^{−2st}(1 − s/a₀)), `shallow` s + (a₀ − s)e^{−t}, `largeLambda` s + (a₀ − s)e^{−|λ|t}.
 * a₀ are the task-mode projections ũᵀW2W1(0)ṽ; λ = Tr(B)/nh of the start. Emits `loss`,
 * `singular_values` (the a_α(t)) and `mode{α}` (each a_α); streams the network function W2W1(t).
 *
 * ## Example
 * `"exact": {"type": "linear.alignedExact", "params": {"lr": 0.01, "steps": 200}, "inputs": {"weights": "init.weights", "task": "task.task"}}`
 */
export const alignedExact = defineNode({
  type: 'linear.alignedExact',
  doc: 'Closed-form a_α(t) of an aligned start: λ-balanced, λ=0 sigmoid, shallow, large-|λ|.',
  params: {
    lr: { type: 'number', doc: 'learning rate of the matching GD run (t = step·lr)', min: 0, exclusiveMin: true },
    steps: { type: 'int', doc: 'number of steps', min: 0 },
    solution: { type: 'string', doc: 'which closed form', oneOf: ['lambda', 'sigmoid', 'shallow', 'largeLambda'], default: 'lambda' },
  },
  inputs: {
    weights: { type: 'linearWeights', doc: 'initial weights (aligned to the task)' },
    task: { type: 'linearTask', doc: 'the task (whitened)' },
  },
  outputs: {
    fn: { type: 'matrix', precision: 'float64', doc: 'W2W1(t)', stream: true },
    losses: { type: 'numbers', doc: 'loss at steps 0..steps' },
  },
  metrics: {
    loss: { kind: 'scalar', doc: 'loss of the closed-form network function', when: 'step' },
    singular_values: { kind: 'series', doc: 'task-mode strengths a_α(t), in task-mode order', when: 'step' },
    'mode*': { kind: 'scalar', doc: 'a_α(t) of task mode α (mode0, mode1, …)', when: 'step' },
  },
  *run({ params, inputs, ctx }) {
    const { task, weights } = inputs;
    requireWhitened('linear.alignedExact', task);
    const { s, U, V } = svd(task.syx, { vectors: true });
    const W0 = networkFunction(weights), nh = weights.W1.rows;
    const kk = s.length, ni = V!.rows, no = U!.rows;
    const col = (M: typeof U, a: number, i: number) => M!.data[i * kk + a];
    const a0 = Array.from({ length: kk }, (_, a) => {
      let v = 0;
      for (let i = 0; i < no; i++) for (let j = 0; j < ni; j++) v += col(U, a, i) * W0.data[i * ni + j] * col(V, a, j);
      return v;
    });
    const lambda = lambdaStar(weights).lambda;
    const recon = (a: number[]) => {
      const W = matrix64(no, ni);
      for (let al = 0; al < kk; al++) for (let i = 0; i < no; i++) for (let j = 0; j < ni; j++) W.data[i * ni + j] += a[al] * col(U, al, i) * col(V, al, j);
      return W;
    };
    const resid = frobNorm(sub(W0, recon(a0))) / Math.max(frobNorm(W0), 1e-300);
    if (resid > 1e-6) ctx.log(`start is not aligned to the task (relative residual ${resid.toExponential(2)}); the aligned closed form ignores the unaligned part`);
    const curve = (al: number, t: number): number => {
      if (al >= nh && params.solution !== 'shallow') return a0[al];
      switch (params.solution) {
        case 'sigmoid': return alignedSigmoid(s[al], a0[al], t);
        case 'shallow': return shallowExp(s[al], a0[al], t);
        case 'largeLambda': return largeLambda(s[al], lambda, a0[al], t);
        default: return alignedLambda(s[al], lambda, a0[al], t);
      }
    };
    const losses: number[] = [];
    for (let k = 0; k <= params.steps; k++) {
      const a = a0.map((_, al) => curve(al, k * params.lr));
      const fn = recon(a);
      const loss = linearLoss(fn, task);
      losses.push(loss);
      ctx.metric('loss', loss, k);
      ctx.metric('singular_values', a, k);
      a.forEach((v, al) => ctx.metric(`mode${al}`, v, k));
      yield { step: k, total: params.steps, out: { fn } };
    }
    return { losses };
  },
});
