import { defineNode } from '../../src/node.ts';
import { elementwise as apply, PHI_NAMES } from './genInternals.ts';

/**
 * φ applied to every entry of a matrix (float64), then scaled: by 1/rows when `normalize` is
 * "n" — with an unnormalised X·Yᵀ input that is seed 002's A_φ = (1/n)·φ∘(XYᵀ).
 *
 * ## Example
 * `"phi": {"type": "gen.elementwise", "params": {"phi": "tanh", "normalize": "n"}, "inputs": {"x": "a.out"}}`
 */
export const elementwise = defineNode({
  type: 'gen.elementwise',
  doc: 'Elementwise φ ∈ {identity, relu, tanh, sin, square, abs, sign, exp} of a matrix, optionally divided by its row count.',
  params: {
    phi: { type: 'string', doc: 'the nonlinearity', oneOf: PHI_NAMES },
    normalize: { type: 'string', doc: '"none": φ(x); "n": φ(x)/rows', default: 'none', oneOf: ['none', 'n'] },
  },
  inputs: { x: { type: 'matrix', precision: 'float64', doc: 'the matrix' } },
  outputs: { out: { type: 'matrix', precision: 'float64', doc: 'φ(x), same shape' } },
  metrics: {},
  run({ params, inputs }) {
    const a = inputs.x;
    return { out: apply(a, params.phi, params.normalize === 'n' ? 1 / a.rows : 1) };
  },
});
