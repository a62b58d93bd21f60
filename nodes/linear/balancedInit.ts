import { argError, requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { svd, completeBasis, randomOrthogonal } from '@eigenflow/linalg';
import { balanceInfeasibility, balancedWeights } from './initInternals.ts';
import { lambdaStar, weights } from './linearInternals.ts';
import { riccatiSolution } from './riccatiInternals.ts';

/**
 * Exact λ-balanced weights W1 (nh×ni), W2 (no×nh): W2ᵀW2 − W1W1ᵀ = λI to rounding. Aligned:
 * W2W1 shares the task's singular vectors, every singular value equal to `scale`. Random: Haar
 * singular vectors and singular values scale·U(0.5, 1.5); with a task wired in, a start that has
 * no component along a growing mode of the task (a saddle of the flow) is re-drawn.
 * Shapes: λ > 0 needs nh ≤ no, λ < 0 needs nh ≤ ni (rank of W2ᵀW2 resp. W1W1ᵀ).
 *
 * ## Example
 * `"init": {"type": "linear.balancedInit", "params": {"ni": 5, "nh": 5, "no": 5, "lambda": 3, "scale": 0.3}, "inputs": {"task": "task.task"}}`
 */
export const balancedInit = defineNode({
  type: 'linear.balancedInit',
  doc: 'Exact λ-balanced two-layer weights, aligned to a task or random.',
  params: {
    ni: { type: 'int', doc: 'input dimension', min: 1 },
    nh: { type: 'int', doc: 'hidden dimension', min: 1 },
    no: { type: 'int', doc: 'output dimension', min: 1 },
    lambda: { type: 'number', doc: 'balance coefficient λ' },
    scale: { type: 'number', doc: 'size of the singular values of W2W1 at the start', default: 0.1, min: 0 },
    aligned: { type: 'boolean', doc: 'align W2W1 to the task singular vectors (needs the task input)', default: false },
    seed: { type: 'int', doc: 'extra seed mixed into the node stream', default: 0 },
  },
  inputs: { task: { type: 'linearTask', doc: 'task to align to / check against', optional: true } },
  outputs: { weights: { type: 'linearWeights', doc: 'the initial weights (step 0)' } },
  metrics: {
    lambda_star: { kind: 'scalar', doc: 'λ* = Tr(B)/nh, the λ of the closest λI to B = W2ᵀW2 − W1W1ᵀ' },
    balance_distance: { kind: 'scalar', doc: '‖B − λ*I‖_F' },
  },
  check: (p) => { const why = balanceInfeasibility(p.ni, p.nh, p.no, p.lambda); return why ? [why] : []; },
  run({ params, inputs, ctx }) {
    const { ni, nh, no, lambda } = params;
    const task = inputs.task;
    if (task && (task.syx.rows !== no || task.syx.cols !== ni)) {
      throw argError(ctx.type, 'task', `map ni = ${ni} inputs to no = ${no} outputs (params ni, no)`, `${task.syx.cols}→${task.syx.rows}`);
    }
    const rng = ctx.rng.fork(`seed:${params.seed}`);
    const k = Math.min(ni, no, nh);
    let W;
    if (params.aligned) {
      requireArg(task !== undefined, ctx.type, 'task', 'be wired when aligned = true (aligned=true needs the task input)', 'nothing');
      const { U, V } = svd(task.syx, { vectors: true });
      W = balancedWeights(lambda, Array(k).fill(params.scale), completeBasis(U!), completeBasis(V!), randomOrthogonal(nh, rng));
    } else {
      const a = Array.from({ length: k }, () => params.scale * (0.5 + rng.uniform()));
      for (let attempt = 0; ; attempt++) {
        W = balancedWeights(lambda, a, randomOrthogonal(no, rng), randomOrthogonal(ni, rng), randomOrthogonal(nh, rng));
        if (!task || attempt >= 20 || riccatiSolution(task.syx, W.W1, W.W2, lambda).dormant === 0) break;
      }
    }
    const ls = lambdaStar(W);
    ctx.metric('lambda_star', ls.lambda);
    ctx.metric('balance_distance', ls.distance);
    return { weights: weights('deep', W.W1, W.W2) };
  },
});
