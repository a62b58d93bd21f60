/**
 * The residual MLP y = W2·relu(W1 x) + Wn x (no biases), W1 m × n and W2 n × m, Wn fixed and taken
 * from the `wn` input. Emits the initial model for a trainer. `init` picks the scheme:
 * `xavier-normal` N(0, 2/(n+m)) (default); `xavier-uniform` U(±√(6/(n+m))), the same variance;
 * `torch-linear` U(±1/√fan_in), PyTorch's nn.Linear default (fan_in n for W1, m for W2).
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
  run({ params, inputs, ctx }) {
    const { wn } = inputs;
    requireArg(wn.shape[0] === wn.shape[1], ctx.type, 'wn', 'be square', `${wn.shape[0]} × ${wn.shape[1]}`);
    const n = wn.shape[0], m = params.m;
    const draw = (fanIn: number) => {
      const a = new Float32Array(m * n), s = params.initScale;
      if (params.init === 'xavier-normal') return ctx.rng.fillNormal(a, 0, s * Math.sqrt(2 / (n + m)));
      const bound = s * (params.init === 'xavier-uniform' ? Math.sqrt(6 / (n + m)) : 1 / Math.sqrt(fanIn));
      return ctx.rng.fillUniform(a, -bound, bound);
    };
    const W1 = tf.tensor2d(draw(n), [m, n]);
    const W2 = tf.tensor2d(draw(m), [n, m]);
    return { out: { W1, W2, Wn: wn.clone() } };
  },
});
