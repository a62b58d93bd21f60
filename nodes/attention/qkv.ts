/**
 * Random queries, keys and values for the ridge-attention mechanics: Q, K (n × d) and V (n × dv)
 * with iid N(0, scale²) entries.
 *
 * ## Example
 * `"qkv": { "type": "attention.qkv", "params": { "n": 64, "d": 8, "dv": 4 } }`
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';

export const qkv = defineNode({
  type: 'attention.qkv',
  doc: 'Random queries and keys (n × d) and values (n × dv), iid N(0, scale²).',
  params: {
    n: { type: 'int', doc: 'sequence length (tokens)', min: 1 },
    d: { type: 'int', doc: 'query/key dimension', min: 1 },
    dv: { type: 'int', doc: 'value dimension', min: 1, default: 4 },
    scale: { type: 'number', doc: 'standard deviation of the entries', min: 0, exclusiveMin: true, default: 1 },
  },
  inputs: {},
  outputs: {
    q: { type: 'matrix', precision: 'float32', doc: 'queries, n × d', shape: (p) => [p.n, p.d] },
    k: { type: 'matrix', precision: 'float32', doc: 'keys, n × d', shape: (p) => [p.n, p.d] },
    v: { type: 'matrix', precision: 'float32', doc: 'values, n × dv', shape: (p) => [p.n, p.dv] },
  },
  metrics: {},
  cost: (p) => ({ bytes: 4 * p.n * (2 * p.d + p.dv) }),
  run({ params, ctx }) {
    const { n, d, dv, scale } = params;
    const draw = (rows: number, cols: number) => tf.tensor2d(ctx.rng.fillNormal(new Float32Array(rows * cols), 0, scale), [rows, cols]);
    return { q: draw(n, d), k: draw(n, d), v: draw(n, dv) };
  },
});
