/**
 * Causal ridge self-attention three ways on the same Q, K, V: token t answers q_t from tokens
 * 1..t, out_t = S_tᵀ A_t⁻¹ q_t with A_t = λI + Σ_{i≤t} kᵢkᵢᵀ and S_t = Σ_{i≤t} kᵢvᵢᵀ.
 *
 * - `solve`: recompute-and-solve, A_t and S_t as prefix sums and a fresh solve per token
 *   (O(d³) per token, all tokens batched), float32 tensors, differentiable;
 * - `shermanMorrison`: the running inverse P_t = A_t⁻¹ updated by a rank-one Sherman–Morrison step
 *   (O(d²) per token, sequential), float32 tensors;
 * - the float64 reference: a fresh LU solve per token on the CPU.
 *
 * Emits how far each float32 method is from the reference and from the other, the tolerance
 * derived from the conditioning, and the drift of each float32 method along the sequence.
 *
 * ## Example
 * `"causal": { "type": "attention.causalRidge", "params": { "lambda": 1, "method": "shermanMorrison" }, "inputs": { "q": "qkv.q", "k": "qkv.k", "v": "qkv.v" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import { qkv64, relMaxDiff, solveTolerance } from './attentionInternals.ts';
import { causalRidge64, maxEigenvalue } from './ridge64Internals.ts';
import { causalRidgeShermanMorrison, causalRidgeSolve } from './ridgeTensorInternals.ts';

const METHODS = ['solve', 'shermanMorrison'] as const;

export const causalRidge = defineNode({
  type: 'attention.causalRidge',
  doc: 'Causal ridge self-attention by recompute-and-solve (O(d³)/token), Sherman–Morrison (O(d²)/token) and a float64 reference; their agreement and drift along the sequence.',
  params: {
    lambda: { type: 'number', doc: 'ridge λ (> 0)', min: 0, exclusiveMin: true, default: 1 },
    method: { type: 'string', doc: 'which float32 result goes to `out`', oneOf: METHODS, default: 'shermanMorrison' },
    driftPoints: { type: 'int', doc: 'tokens (log-spaced) at which the drift series is sampled', min: 1, default: 32 },
  },
  inputs: {
    q: { type: 'matrix', precision: 'float32', doc: 'queries, n × d' },
    k: { type: 'matrix', precision: 'float32', doc: 'keys, n × d' },
    v: { type: 'matrix', precision: 'float32', doc: 'values, n × dv' },
  },
  outputs: {
    out: { type: 'matrix', precision: 'float32', doc: 'outputs of the chosen method, n × dv' },
  },
  metrics: {
    sm_vs_solve: { kind: 'scalar', doc: 'max |out_SM − out_solve| / max |out_solve| (both float32)' },
    sm_vs_f64: { kind: 'scalar', doc: 'max |out_SM − out₆₄| / max |out₆₄|' },
    solve_vs_f64: { kind: 'scalar', doc: 'max |out_solve − out₆₄| / max |out₆₄|' },
    condition_bound: { kind: 'scalar', doc: 'λ_max(A_n)/λ, an upper bound on the condition number κ(A_t) of every token' },
    tolerance: { kind: 'scalar', doc: 'the float32 tolerance 10·(d + n)·κ_bound·2⁻²⁴ the relative errors should stay under' },
    sm_drift: { kind: 'scalar', doc: 'Sherman–Morrison float32: max |out − out₆₄| / max |out₆₄| over the tokens since the previous mark (step = token t, log-spaced)' },
    solve_drift: { kind: 'scalar', doc: 'recompute-and-solve float32: the same measure, same windows (step = token t)' },
  },
  run({ params, inputs, ctx }) {
    const x = qkv64(inputs.q, inputs.k, inputs.v, 'attention.causalRidge');
    const { n, d, dv } = x;
    const lam = tf.scalar(params.lambda);
    const solved = causalRidgeSolve(inputs.q.reshape([1, n, d]), inputs.k.reshape([1, n, d]), inputs.v.reshape([1, n, dv]), lam).reshape([n, dv]) as tf.Tensor2D;
    const sm = causalRidgeShermanMorrison(inputs.q, inputs.k, inputs.v, params.lambda);
    const ref = causalRidge64(x, params.lambda);
    const a = solved.dataSync(), b = sm.dataSync();
    // κ(A_t) ≤ λ_max(A_n)/λ for every t: λ_min(A_t) ≥ λ and A_t ⪯ A_n.
    const kappa = maxEigenvalue(x.K, n, d, params.lambda) / params.lambda;
    ctx.metric('sm_vs_solve', relMaxDiff(b, a));
    ctx.metric('sm_vs_f64', relMaxDiff(b, ref));
    ctx.metric('solve_vs_f64', relMaxDiff(a, ref));
    ctx.metric('condition_bound', kappa);
    ctx.metric('tolerance', solveTolerance(d, n, kappa));
    // Error per window of tokens between log-spaced marks, relative to the reference's scale in
    // that window: drift shows as a rising curve, an early ill-conditioned token as a bump.
    const marks = new Set<number>([n]);
    for (let i = 0; i < params.driftPoints; i++) marks.add(Math.round(Math.exp((Math.log(n) * (i + 1)) / params.driftPoints)));
    let eSm = 0, eSolve = 0, scale = 0;
    for (let t = 1; t <= n; t++) {
      for (let c = 0; c < dv; c++) {
        const j = (t - 1) * dv + c;
        eSm = Math.max(eSm, Math.abs(b[j] - ref[j]));
        eSolve = Math.max(eSolve, Math.abs(a[j] - ref[j]));
        scale = Math.max(scale, Math.abs(ref[j]));
      }
      if (marks.has(t)) {
        ctx.metric('sm_drift', eSm / (scale || 1), t);
        ctx.metric('solve_drift', eSolve / (scale || 1), t);
        eSm = eSolve = scale = 0;
      }
    }
    if (params.method === 'solve') { sm.dispose(); return { out: solved }; }
    solved.dispose();
    return { out: sm };
  },
});
