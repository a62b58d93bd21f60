/**
 * Non-causal ridge self-attention on tensors: every query q sees every key, and the output is the
 * ridge-regression prediction of the values from the keys, out(q) = Vᵀ K (KᵀK + λI)⁻¹ q, costing
 * O(nd² + d³) for all n queries. Also returns the attention weights wᵢ = kᵢᵀ(KᵀK + λI)⁻¹q (they
 * can be negative) and checks both against a float64 reference and each other.
 *
 * ## Example
 * `"ridge": { "type": "attention.ridge", "params": { "lambda": 1 }, "inputs": { "q": "qkv.q", "k": "qkv.k", "v": "qkv.v" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import { qkv64, relMaxDiff, solveTolerance } from './attentionInternals.ts';
import { conditionAt, ridgeAttention64 } from './ridge64Internals.ts';
import { ridgeAttention } from './ridgeTensorInternals.ts';

export const ridge = defineNode({
  type: 'attention.ridge',
  doc: 'Non-causal ridge self-attention out = Q (KᵀK + λI)⁻¹ KᵀV and its weights W = Q (KᵀK + λI)⁻¹ Kᵀ (out = W V), checked against float64.',
  params: {
    lambda: { type: 'number', doc: 'ridge λ (> 0)', min: 0, exclusiveMin: true, default: 1 },
  },
  inputs: {
    q: { type: 'matrix', precision: 'float32', doc: 'queries, n × d' },
    k: { type: 'matrix', precision: 'float32', doc: 'keys, n × d' },
    v: { type: 'matrix', precision: 'float32', doc: 'values, n × dv' },
  },
  outputs: {
    out: { type: 'matrix', precision: 'float32', doc: 'outputs, n × dv' },
    weights: { type: 'matrix', precision: 'float32', doc: 'attention weights, n × n (row t: the weights of query t on each value)' },
  },
  metrics: {
    rel_err_f64: { kind: 'scalar', doc: 'max |out − out₆₄| / max |out₆₄|: the float32 tensor output against the float64 reference (LU solve)' },
    weights_reconstruction: { kind: 'scalar', doc: 'max |W V − out₆₄| / max |out₆₄|: the float32 weights times the values against the float64 output' },
    weights_rel_err_f64: { kind: 'scalar', doc: 'max |W − W₆₄| / max |W₆₄|' },
    negative_weights: { kind: 'scalar', doc: 'fraction of attention weights below zero (softmax weights never are)' },
    condition: { kind: 'scalar', doc: 'condition number κ of KᵀK + λI' },
    weights_matrix: { kind: 'matrix', doc: 'the attention weights W (n × n, row t: query t), for a heatmap; emitted only for n ≤ 256 (the `weights` output always carries them)' },
    tolerance: { kind: 'scalar', doc: 'the float32 tolerance 10·(d + n)·κ·2⁻²⁴ the relative errors should stay under' },
  },
  run({ params, inputs, ctx }) {
    const x = qkv64(inputs.q, inputs.k, inputs.v, 'attention.ridge');
    const { out, weights } = ridgeAttention(inputs.q, inputs.k, inputs.v, tf.scalar(params.lambda));
    const ref = ridgeAttention64(x.Q, x.K, x.V, x.n, x.d, x.dv, params.lambda);
    const recon = tf.matMul(weights, inputs.v);
    const w = weights.dataSync() as Float32Array;
    let neg = 0;
    for (const wi of w) if (wi < 0) neg++;
    const kappa = conditionAt(x.K, x.n, x.d, params.lambda);
    ctx.metric('rel_err_f64', relMaxDiff(out.dataSync(), ref.out));
    ctx.metric('weights_reconstruction', relMaxDiff(recon.dataSync(), ref.out));
    ctx.metric('weights_rel_err_f64', relMaxDiff(w, ref.weights));
    ctx.metric('negative_weights', neg / w.length);
    ctx.metric('condition', kappa);
    if (x.n <= 256) ctx.metric('weights_matrix', w);
    ctx.metric('tolerance', solveTolerance(x.d, x.n, kappa));
    return { out, weights };
  },
});
