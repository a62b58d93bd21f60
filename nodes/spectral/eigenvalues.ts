import { defineNode } from '../../src/node.ts';
import { symEig } from '../../src/linalg/index.ts';
import { asMatrix64 } from './spectralInternals.ts';

/**
 * Eigenvalues (float64, descending) of a symmetric matrix-valued port: a Hessian, a Gram or a
 * covariance matrix. The input must be symmetric to `tol` (relative to its largest entry).
 *
 * ## Example
 * `"eig": {"type": "spectral.eigenvalues", "inputs": {"x": "gram.out"}}`
 */
export const eigenvalues = defineNode({
  type: 'spectral.eigenvalues',
  doc: 'Eigenvalues (float64, descending) of a symmetric matrix; metrics eigenvalues, lambda_max, lambda_min.',
  params: {
    tol: { type: 'number', doc: 'allowed asymmetry |a_ij − a_ji| relative to max |a_ij|', default: 1e-6, min: 0 },
  },
  inputs: { x: { type: 'any', doc: 'a square symmetric rank-2 tensor or matrix64' } },
  outputs: { values: { type: 'numbers', doc: 'eigenvalues, descending' } },
  run({ params, inputs, ctx }) {
    const a = asMatrix64(inputs.x, `${ctx.type}.inputs.x`);
    if (a.rows !== a.cols) throw new Error(`Error in ${ctx.type}: x must be square but got ${a.rows}×${a.cols}`);
    const n = a.rows;
    let big = 0, asym = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      big = Math.max(big, Math.abs(a.data[i * n + j]));
      asym = Math.max(asym, Math.abs(a.data[i * n + j] - a.data[j * n + i]));
    }
    if (asym > params.tol * big) throw new Error(`Error in ${ctx.type}: x must be symmetric but max |a_ij − a_ji| = ${asym.toExponential(2)} (max |a_ij| = ${big.toExponential(2)})`);
    const { values } = symEig(a);
    ctx.metric('eigenvalues', values);
    ctx.metric('lambda_max', values[0] ?? NaN);
    ctx.metric('lambda_min', values[n - 1] ?? NaN);
    return { values: Array.from(values) };
  },
});
