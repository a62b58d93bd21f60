/**
 * The ridge-regularised linear purifier Ŵ = argmin_W ‖X − WX‖²_F + λ‖W‖²_F
 * = U diag(σ_i²/(σ_i² + λ)) Uᵀ, from the float64 SVD of X (features × samples).
 *
 * Emits `singular_values` and `shrinkage` (σ_i²/(σ_i² + λ), one per component, descending σ).
 *
 * ## Example
 * `{"type": "purify.ridgeEncoder", "params": {"lambda": 2}, "inputs": {"X": "data.X"}}`
 */
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { ridgeEncoder as encode } from './purifyInternals.ts';

export const ridgeEncoder = defineNode({
  type: 'purify.ridgeEncoder',
  doc: 'Ridge purifier U diag(σ²/(σ²+λ)) Uᵀ of a data matrix; emits its singular values and per-component shrinkage.',
  params: {
    lambda: { type: 'number', doc: 'ridge strength λ ≥ 0', min: 0, default: 1 },
  },
  inputs: { X: { type: 'matrix', precision: 'float64', doc: 'data, features × samples' } },
  outputs: {
    W: { type: 'matrix', precision: 'float64', doc: 'the encoder, features × features' },
    shrinkage: { type: 'numbers', doc: 'σ_i²/(σ_i² + λ) per component' },
  },
  metrics: {
    singular_values: { kind: 'array', doc: 'singular values of X, descending' },
    shrinkage: { kind: 'series', doc: 'σ_i²/(σ_i² + λ) of component i (descending σ)' },
  },
  run: ({ params, inputs, ctx }) => {
    const X = inputs.X;
    requireArg(X.rows > 0 && X.cols > 0, ctx.type, 'X', 'be a non-empty matrix', `${X.rows}×${X.cols}`);
    const { W, sigmas, shrink } = encode(X, params.lambda);
    ctx.metric('singular_values', sigmas);
    ctx.metric('shrinkage', shrink);
    return { W, shrinkage: Array.from(shrink) };
  },
});
