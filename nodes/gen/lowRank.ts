import { defineNode } from '../../src/node.ts';
import { lowRank as build } from './genInternals.ts';

/**
 * The rank-k product X·Yᵀ (X: rows×k, Y: cols×k, standard Gaussian), times 1/rows when
 * `normalize` is "n" (seed 002's (1/n)·XYᵀ, whose top singular value → 1 for k = 1).
 *
 * ## Example
 * `"a": {"type": "gen.lowRank", "params": {"rows": 512, "cols": 512, "k": 1, "normalize": "n"}}`
 */
export const lowRank = defineNode({
  type: 'gen.lowRank',
  doc: 'Rank-k product X·Yᵀ of standard Gaussian factors, optionally divided by the number of rows.',
  params: {
    rows: { type: 'int', doc: 'rows of the product', min: 1 },
    cols: { type: 'int', doc: 'columns of the product', min: 1 },
    k: { type: 'int', doc: 'inner dimension (rank)', default: 1, min: 1 },
    normalize: { type: 'string', doc: '"none": X·Yᵀ; "n": X·Yᵀ/rows', default: 'none', oneOf: ['none', 'n'] },
  },
  check: (p) => (p.k > Math.min(p.rows, p.cols) ? [`k must be ≤ min(rows, cols) (got k=${p.k}, rows=${p.rows}, cols=${p.cols})`] : []),
  inputs: {},
  outputs: { out: { type: 'matrix', precision: 'float64', doc: 'rows×cols of rank k', shape: (p) => [p.rows, p.cols] } },
  cost: (p) => ({ bytes: 8 * (p.rows * p.cols + (p.rows + p.cols) * p.k) }),
  run({ params, ctx }) {
    return { out: build(params.rows, params.cols, params.k, ctx.rng, params.normalize === 'n' ? 1 / params.rows : 1) };
  },
});
