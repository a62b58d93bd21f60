/**
 * The residual MLP y = W2·relu(W1 x) + Wn x (no biases), W1 m × n and W2 n × m, Wn fixed and taken
 * from the `wn` input. Emits the initial model for a trainer. `init` picks the scheme:
 * `xavier-normal` N(0, 2/(n+m)) (default); `xavier-uniform` U(±√(6/(n+m))), the same variance;
 * `torch-linear` U(±1/√fan_in), PyTorch's nn.Linear default (fan_in n for W1, m for W2).
 * Batched over members; init and initScale may differ between them.
 *
 * ## Example
 * `"model": { "type": "models.residualMLP", "params": { "m": "$m" }, "inputs": { "wn": "wn.out" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import type {} from './types.ts';

const INIT_SCHEMES = ['xavier-normal', 'xavier-uniform', 'torch-linear'] as const;

export const residualMLP = defineNode({
  type: 'models.residualMLP',
  doc: 'One-layer residual MLP y = W2·relu(W1 x) + Wn x with m hidden neurons, W1 (m × n) and W2 (n × m) initialised by `init` (Xavier-normal by default), Wn from the input.',
  params: {
    m: { type: 'int', doc: 'number of hidden neurons', min: 1 },
    init: { type: 'string', doc: 'initialisation scheme', oneOf: INIT_SCHEMES, default: 'xavier-normal' },
    initScale: { type: 'number', doc: 'multiplier on the initial weights', default: 1, min: 0 },
  },
  inputs: { wn: { type: 'matrix', precision: 'float32', doc: 'the fixed residual matrix Wn (n × n)' } },
  outputs: { out: { type: 'residualMLP', doc: 'the initial model {W1, W2, Wn}' } },
  metrics: {},
  members: 'batched',
  memberParams: ['init', 'initScale'],
  run({ params, inputs, ctx }) {
    // Batched (see src/node.ts): wn is [count, n, n]; member k draws W1 then W2 from its own stream.
    const { count, params: each, rng } = ctx.members!;
    const { wn } = inputs;
    const [, rows, cols] = wn.shape as unknown as [number, number, number];
    requireArg(rows === cols, ctx.type, 'wn', 'be square', `${rows} × ${cols}`);
    const n = rows, m = params.m;
    const W1 = new Float32Array(count * m * n), W2 = new Float32Array(count * n * m);
    each.forEach((p, k) => {
      const draw = (out: Float32Array, fanIn: number) => {
        const s = p.initScale as number;
        if (p.init === 'xavier-normal') return rng[k].fillNormal(out, 0, s * Math.sqrt(2 / (n + m)));
        const bound = s * (p.init === 'xavier-uniform' ? Math.sqrt(6 / (n + m)) : 1 / Math.sqrt(fanIn));
        return rng[k].fillUniform(out, -bound, bound);
      };
      draw(W1.subarray(k * m * n, (k + 1) * m * n), n);
      draw(W2.subarray(k * n * m, (k + 1) * n * m), m);
    });
    const stacked = (a: Float32Array, r: number, c: number) => tf.tensor3d(a, [count, r, c]) as unknown as tf.Tensor2D;
    return { out: { W1: stacked(W1, m, n), W2: stacked(W2, n, m), Wn: wn.clone() } };
  },
});
