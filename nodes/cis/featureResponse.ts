/**
 * The learned input → output response per feature: for each feature i and value v on a grid in
 * [lo, hi], the output of the model on the one-hot input x = v·eᵢ. A model computing relu in
 * superposition has yᵢ(v·eᵢ) ≈ relu(v) and small outputs elsewhere; a model that "abuses" Wn shows
 * odd curves or large cross-talk. Emits, per feature (length-n vectors): `self_error` (mean over the
 * grid of (yᵢ − relu(v))²), `response_pos` (yᵢ at v = hi), `response_neg` (yᵢ at v = lo),
 * `crosstalk` (mean over the grid of Σ_{j≠i} yⱼ²); and the scalars `self_error_mean`,
 * `crosstalk_mean` and `represented` (features whose self_error is below a quarter of that of
 * outputting 0). `out` is the n × points matrix of yᵢ(v·eᵢ).
 *
 * ## Example
 * `"response": { "type": "cis.featureResponse", "inputs": { "model": "train.model" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import type {} from '../models/types.ts';

export const featureResponse = defineNode({
  type: 'cis.featureResponse',
  doc: 'Output of the model on one-hot inputs v·eᵢ over a grid of v: per-feature self response error, response at ±1, cross-talk.',
  params: {
    points: { type: 'int', doc: 'grid points in [lo, hi]', min: 2, default: 21 },
    lo: { type: 'number', doc: 'grid start', default: -1 },
    hi: { type: 'number', doc: 'grid end', default: 1 },
  },
  inputs: { model: { type: 'residualMLP', doc: 'the model to probe' } },
  outputs: { out: { type: 'matrix', precision: 'float32', doc: 'yᵢ(v·eᵢ), n × points' } },
  metrics: {
    self_error: { kind: 'series', doc: 'per feature: mean over the grid of (yᵢ(v·eᵢ) − relu(v))²' },
    response_pos: { kind: 'series', doc: 'per feature: yᵢ at v = hi' },
    response_neg: { kind: 'series', doc: 'per feature: yᵢ at v = lo' },
    crosstalk: { kind: 'series', doc: 'per feature: mean over the grid of Σ_{j≠i} yⱼ(v·eᵢ)²' },
    self_error_mean: { kind: 'scalar', doc: 'mean of self_error over features' },
    crosstalk_mean: { kind: 'scalar', doc: 'mean of crosstalk over features' },
    represented: { kind: 'scalar', doc: 'features whose self_error is below a quarter of that of outputting 0', unit: 'features' },
  },
  check: (p) => (p.lo < p.hi ? [] : [`lo must be smaller than hi (got lo=${p.lo}, hi=${p.hi})`]),
  run({ params, inputs, ctx }) {
    const { W1, W2, Wn } = inputs.model;
    const [m, n] = W1.shape;
    const w1 = W1.dataSync(), w2 = W2.dataSync(), wn = Wn.dataSync();
    const k = params.points;
    const grid = Array.from({ length: k }, (_, t) => params.lo + ((params.hi - params.lo) * t) / (k - 1));
    const curves = new Float32Array(n * k);
    const selfError = new Float64Array(n), cross = new Float64Array(n), zeroError = new Float64Array(n);
    const h = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      grid.forEach((v, t) => {
        for (let a = 0; a < m; a++) h[a] = Math.max(0, v * w1[a * n + i]);
        for (let j = 0; j < n; j++) {
          let y = v * wn[j * n + i];
          for (let a = 0; a < m; a++) y += w2[j * m + a] * h[a];
          if (j === i) { curves[i * k + t] = y; selfError[i] += (y - Math.max(0, v)) ** 2 / k; zeroError[i] += Math.max(0, v) ** 2 / k; }
          else cross[i] += (y * y) / k;
        }
      });
    }
    const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
    ctx.metric('self_error', selfError);
    ctx.metric('response_pos', Array.from({ length: n }, (_, i) => curves[i * k + k - 1]));
    ctx.metric('response_neg', Array.from({ length: n }, (_, i) => curves[i * k]));
    ctx.metric('crosstalk', cross);
    ctx.metric('self_error_mean', mean(selfError));
    ctx.metric('crosstalk_mean', mean(cross));
    ctx.metric('represented', selfError.filter((e, i) => e < 0.25 * zeroError[i]).length);
    return { out: tf.tensor2d(curves, [n, k]) };
  },
});
