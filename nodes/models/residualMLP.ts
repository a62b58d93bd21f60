/**
 * The residual MLP y = W2·relu(W1 x) + Wn x (no biases), W1 m × n and W2 n × m with Xavier-normal
 * initialisation (std √(2/(n+m))), Wn fixed and taken from the `wn` input. Emits the initial model
 * for a trainer.
 *
 * ## Example
 * `"model": { "type": "models.residualMLP", "params": { "m": "$m" }, "inputs": { "wn": "wn.out" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import type {} from './types.ts';

export const residualMLP = defineNode({
  type: 'models.residualMLP',
  doc: 'One-layer residual MLP y = W2·relu(W1 x) + Wn x with m hidden neurons, Xavier-normal W1 (m × n) and W2 (n × m), Wn from the input.',
  params: {
    m: { type: 'int', doc: 'number of hidden neurons', min: 1 },
    initScale: { type: 'number', doc: 'multiplier on the Xavier-normal std', default: 1, min: 0 },
  },
  inputs: { wn: { type: 'matrix', precision: 'float32', doc: 'the fixed residual matrix Wn (n × n)' } },
  outputs: { out: { type: 'residualMLP', doc: 'the initial model {W1, W2, Wn}' } },
  run({ params, inputs, ctx }) {
    const { wn } = inputs;
    requireArg(wn.shape[0] === wn.shape[1], ctx.type, 'wn', 'be square', `${wn.shape[0]} × ${wn.shape[1]}`);
    const n = wn.shape[0], m = params.m;
    const std = params.initScale * Math.sqrt(2 / (n + m));
    const W1 = tf.tensor2d(ctx.rng.fillNormal(new Float32Array(m * n), 0, std), [m, n]);
    const W2 = tf.tensor2d(ctx.rng.fillNormal(new Float32Array(n * m), 0, std), [n, m]);
    return { out: { W1, W2, Wn: wn.clone() } };
  },
});
