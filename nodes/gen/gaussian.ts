import { defineNode } from '../../src/node.ts';
import { gaussian as draw } from './genInternals.ts';

/**
 * A float64 matrix with i.i.d. N(0, std²) entries, std = `std`·(1, 1/√cols or 1/√rows).
 *
 * ## Example
 * `"g": {"type": "gen.gaussian", "params": {"rows": 512, "cols": 256, "normalize": "sqrtCols"}}`
 */
export const gaussian = defineNode({
  type: 'gen.gaussian',
  doc: 'Float64 matrix with i.i.d. Gaussian entries (optionally scaled by 1/√rows or 1/√cols).',
  params: {
    rows: { type: 'int', doc: 'number of rows', min: 1 },
    cols: { type: 'int', doc: 'number of columns', min: 1 },
    std: { type: 'number', doc: 'entry standard deviation before normalisation', default: 1, min: 0 },
    normalize: { type: 'string', doc: 'extra scaling of the entries', default: 'none', oneOf: ['none', 'sqrtRows', 'sqrtCols'] },
  },
  inputs: {},
  outputs: { out: { type: 'matrix', precision: 'float64', doc: 'rows×cols', shape: (p) => [p.rows, p.cols] } },
  cost: (p) => ({ bytes: 8 * p.rows * p.cols }),
  run({ params, ctx }) {
    const f = params.normalize === 'sqrtRows' ? 1 / Math.sqrt(params.rows) : params.normalize === 'sqrtCols' ? 1 / Math.sqrt(params.cols) : 1;
    return { out: draw(params.rows, params.cols, ctx.rng, params.std * f) };
  },
});
