/**
 * Gradients of ridge attention with respect to λ, the keys, the values and the queries, checked
 * against float64 references. The scalar differentiated is L = Σ G ⊙ out(Q, K, V, λ) for a fixed
 * random G (n × dv), so every output entry contributes.
 *
 * Two gradients are checked: tfjs autodiff through the float32 tensor implementation (what
 * training uses), and the closed form in float64 (see `ridgeGradients64`). The references are
 * central finite differences of the float64 forward pass for K, V and Q, and, for λ, ∂L/∂λ from
 * the eigendecomposition of KᵀK (`lambdaGradient64`): ∂L/∂λ is a sum over every token that can
 * cancel to a small fraction of its terms, where finite differences lose their accuracy and a
 * float32 result is accurate only relative to the terms — its tolerance is scaled by that
 * cancellation (`checkLambdaGradient`).
 *
 * ## Example
 * `"grads": { "type": "attention.gradCheck", "params": { "lambda": 1 }, "inputs": { "q": "qkv.q", "k": "qkv.k", "v": "qkv.v" } }`
 */
import { defineNode } from '../../src/node.ts';
import { qkv64, relNormDiff } from './attentionInternals.ts';
import { autodiffTolerance, checkLambdaGradient, ridgeAutodiff } from './gradCheckInternals.ts';
import { conditionAt, ridgeAttention64, ridgeGradients64 } from './ridge64Internals.ts';

const MATRICES = ['k', 'v', 'q'] as const;

export const gradCheck = defineNode({
  type: 'attention.gradCheck',
  doc: 'Gradients of Σ G ⊙ ridgeAttention(Q, K, V, λ) w.r.t. λ, K, V, Q: tfjs autodiff (float32) and the float64 closed form against float64 central finite differences.',
  params: {
    lambda: { type: 'number', doc: 'ridge λ (> 0)', min: 0, exclusiveMin: true, default: 1 },
    h: { type: 'number', doc: 'finite-difference step, relative to max(1, |entry|)', min: 0, exclusiveMin: true, default: 1e-5 },
    gradients: { type: 'string', doc: 'which gradients to check: all, or lambda only (finite differences of K, V and Q cost one forward pass per entry: use lambda at large n)', default: 'all', oneOf: ['all', 'lambda'] },
  },
  inputs: {
    q: { type: 'matrix', precision: 'float32', doc: 'queries, n × d' },
    k: { type: 'matrix', precision: 'float32', doc: 'keys, n × d' },
    v: { type: 'matrix', precision: 'float32', doc: 'values, n × dv' },
  },
  outputs: {},
  metrics: {
    'autodiff_err_*': { kind: 'scalar', doc: '‖g_autodiff − g_ref‖ / ‖g_ref‖ for * = lambda, k, v, q (tfjs float32 autodiff against the float64 reference)' },
    'closed_form_err_*': { kind: 'scalar', doc: '‖g_closed − g_ref‖ / ‖g_ref‖ for * = lambda, k, v, q (float64 closed form against the float64 reference)' },
    autodiff_tolerance: { kind: 'scalar', doc: 'the float32 tolerance of the K, V, Q gradients, 10·(d + n)·κ²·2⁻²⁴ (the gradient applies A⁻¹ twice)' },
    autodiff_tolerance_lambda: { kind: 'scalar', doc: 'the float32 tolerance of the λ-gradient: (d + n)·κ²·2⁻²⁴ × lambda_cancellation' },
    lambda_cancellation: { kind: 'scalar', doc: 'Σ|terms| / |∂L/∂λ| of ∂L/∂λ as a sum over query tokens and value columns' },
    closed_form_tolerance: { kind: 'scalar', doc: 'the finite-difference tolerance 1e-6 for K, V, Q (central differences: O(h²) truncation + O(ε₆₄/h) rounding, both far below)' },
    closed_form_tolerance_lambda: { kind: 'scalar', doc: 'the tolerance 1e-9 of the float64 λ-gradient against the eigendecomposition' },
    condition: { kind: 'scalar', doc: 'condition number κ of KᵀK + λI' },
  },
  run({ params, inputs, ctx }) {
    const x = qkv64(inputs.q, inputs.k, inputs.v, 'attention.gradCheck');
    const { n, d, dv } = x;
    const lam = params.lambda;
    const G = ctx.rng.fillNormal(new Float64Array(n * dv));
    const loss64 = (Q: Float64Array, K: Float64Array, V: Float64Array, l: number) => {
      const o = ridgeAttention64(Q, K, V, n, d, dv, l).out;
      let s = 0;
      for (let i = 0; i < o.length; i++) s += o[i] * G[i];
      return s;
    };
    const fdOf = (which: (typeof MATRICES)[number]): Float64Array => {
      const base = which === 'q' ? x.Q : which === 'k' ? x.K : x.V;
      const g = new Float64Array(base.length);
      for (let i = 0; i < base.length; i++) {
        const h = params.h * Math.max(1, Math.abs(base[i]));
        const p = Float64Array.from(base), m = Float64Array.from(base);
        p[i] += h; m[i] -= h;
        const f = (a: Float64Array) => (which === 'q' ? loss64(a, x.K, x.V, lam) : which === 'k' ? loss64(x.Q, a, x.V, lam) : loss64(x.Q, x.K, a, lam));
        g[i] = (f(p) - f(m)) / (2 * h);
      }
      return g;
    };
    const auto = ridgeAutodiff(inputs.q, inputs.k, inputs.v, G, lam);
    const closed = ridgeGradients64(x.Q, x.K, x.V, G, n, d, dv, lam);
    const kappa = conditionAt(x.K, n, d, lam);
    const l = checkLambdaGradient(x, G, lam, auto.lambda[0], closed.gLambda, kappa);
    ctx.metric('autodiff_err_lambda', l.autodiffErr);
    ctx.metric('closed_form_err_lambda', l.closedErr);
    if (params.gradients === 'all') {
      const closedOf = { q: closed.gQ, k: closed.gK, v: closed.gV };
      for (const which of MATRICES) {
        const fd = fdOf(which);
        ctx.metric(`autodiff_err_${which}`, relNormDiff(auto[which], fd));
        ctx.metric(`closed_form_err_${which}`, relNormDiff(closedOf[which], fd));
      }
    }
    ctx.metric('condition', kappa);
    ctx.metric('autodiff_tolerance', autodiffTolerance(d, n, kappa));
    ctx.metric('autodiff_tolerance_lambda', l.autodiffTol);
    ctx.metric('lambda_cancellation', l.cancellation);
    ctx.metric('closed_form_tolerance', 1e-6);
    ctx.metric('closed_form_tolerance_lambda', l.closedTol);
    return {};
  },
});
