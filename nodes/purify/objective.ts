/**
 * The purification objective of an encoder W on data X: `reconstruction` ‖X − WX‖²_F,
 * `regularization` ‖W‖²_F and `objective` = reconstruction + λ·regularization.
 *
 * ## Example
 * `{"type": "purify.objective", "params": {"lambda": 2}, "inputs": {"X": "data.X", "W": "enc.W"}}`
 */
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { purificationLoss } from './purifyInternals.ts';

export const objective = defineNode({
  type: 'purify.objective',
  doc: 'Reconstruction ‖X − WX‖², regularisation ‖W‖² and their λ-weighted sum for an encoder W.',
  params: { lambda: { type: 'number', doc: 'ridge strength λ ≥ 0', min: 0, default: 1 } },
  inputs: {
    X: { type: 'matrix', precision: 'float64', doc: 'data, features × samples' },
    W: { type: 'matrix', precision: 'float64', doc: 'encoder, features × features' },
  },
  outputs: { out: { type: 'number', doc: 'the objective' } },
  metrics: {
    reconstruction: { kind: 'scalar', doc: '‖X − WX‖²_F' },
    regularization: { kind: 'scalar', doc: '‖W‖²_F' },
    objective: { kind: 'scalar', doc: 'reconstruction + λ·regularization' },
  },
  run: ({ params, inputs, ctx }) => {
    const { X, W } = inputs;
    requireArg(W.rows === X.rows && W.cols === X.rows, ctx.type, 'W', `be ${X.rows}×${X.rows} for X with ${X.rows} features (rows)`, `${W.rows}×${W.cols}`);
    const { reconstruction, regularization } = purificationLoss(X, W);
    const value = reconstruction + params.lambda * regularization;
    ctx.metric('reconstruction', reconstruction);
    ctx.metric('regularization', regularization);
    ctx.metric('objective', value);
    return { out: value };
  },
});
