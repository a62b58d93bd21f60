/**
 * Gradients of ridge attention with respect to λ, the keys, the values and the queries, checked
 * against central finite differences of the float64 reference. The scalar differentiated is
 * L = Σ G ⊙ out(Q, K, V, λ) for a fixed random G (n × dv), so every output entry contributes.
 *
 * Two gradients are compared with the finite differences: tfjs autodiff through the float32
 * tensor implementation (what training uses), and the closed form in float64 (see
 * `ridgeGradients64`).
 *
 * ## Example
 * `"grads": { "type": "attention.gradCheck", "params": { "lambda": 1 }, "inputs": { "q": "qkv.q", "k": "qkv.k", "v": "qkv.v" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import { qkv64, relNormDiff, U32 } from './attentionInternals.ts';
import { conditionAt, ridgeAttention64, ridgeGradients64 } from './ridge64Internals.ts';
import { ridgeAttention } from './ridgeTensorInternals.ts';

const WHICH = ['lambda', 'k', 'v', 'q'] as const;

export const gradCheck = defineNode({
  type: 'attention.gradCheck',
  doc: 'Gradients of Σ G ⊙ ridgeAttention(Q, K, V, λ) w.r.t. λ, K, V, Q: tfjs autodiff (float32) and the float64 closed form against float64 central finite differences.',
  params: {
    lambda: { type: 'number', doc: 'ridge λ (> 0)', min: 0, exclusiveMin: true, default: 1 },
    h: { type: 'number', doc: 'finite-difference step, relative to max(1, |entry|)', min: 0, exclusiveMin: true, default: 1e-5 },
  },
  inputs: {
    q: { type: 'matrix', precision: 'float32', doc: 'queries, n × d' },
    k: { type: 'matrix', precision: 'float32', doc: 'keys, n × d' },
    v: { type: 'matrix', precision: 'float32', doc: 'values, n × dv' },
  },
  outputs: {},
  metrics: {
    'autodiff_err_*': { kind: 'scalar', doc: '‖g_autodiff − g_FD‖ / ‖g_FD‖ for * = lambda, k, v, q (tfjs float32 autodiff against float64 finite differences)' },
    'closed_form_err_*': { kind: 'scalar', doc: '‖g_closed − g_FD‖ / ‖g_FD‖ for * = lambda, k, v, q (float64 closed form against float64 finite differences)' },
    autodiff_tolerance: { kind: 'scalar', doc: 'the float32 tolerance 10·(d + n)·κ²·2⁻²⁴ (the gradient applies A⁻¹ twice)' },
    closed_form_tolerance: { kind: 'scalar', doc: 'the finite-difference tolerance 1e-6 (central differences: O(h²) truncation + O(ε₆₄/h) rounding, both far below)' },
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
    const fdOf = (which: (typeof WHICH)[number]): Float64Array => {
      if (which === 'lambda') {
        const h = params.h * Math.max(1, lam);
        return Float64Array.of((loss64(x.Q, x.K, x.V, lam + h) - loss64(x.Q, x.K, x.V, lam - h)) / (2 * h));
      }
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
    const Gt = tf.tensor2d(Float32Array.from(G), [n, dv]);
    const auto = tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, l: tf.Tensor) =>
      tf.sum(tf.mul(ridgeAttention(q as tf.Tensor2D, k as tf.Tensor2D, v as tf.Tensor2D, l as tf.Scalar).out, Gt)))(
      [inputs.q, inputs.k, inputs.v, tf.scalar(lam)]);
    const autoOf = { q: auto[0].dataSync(), k: auto[1].dataSync(), v: auto[2].dataSync(), lambda: auto[3].dataSync() };
    const closed = ridgeGradients64(x.Q, x.K, x.V, G, n, d, dv, lam);
    const closedOf = { q: closed.gQ, k: closed.gK, v: closed.gV, lambda: Float64Array.of(closed.gLambda) };
    for (const which of WHICH) {
      const fd = fdOf(which);
      ctx.metric(`autodiff_err_${which}`, relNormDiff(autoOf[which], fd));
      ctx.metric(`closed_form_err_${which}`, relNormDiff(closedOf[which], fd));
    }
    const kappa = conditionAt(x.K, n, d, lam);
    ctx.metric('condition', kappa);
    ctx.metric('autodiff_tolerance', 10 * (d + n) * kappa * kappa * U32);
    ctx.metric('closed_form_tolerance', 1e-6);
    return {};
  },
});
