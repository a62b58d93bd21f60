import { defineNode } from '../../src/node.ts';
import { symEig } from '@eigenflow/linalg';
import { requireArg } from '../../src/check.ts';

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
  inputs: { x: { type: 'matrix', precision: 'float64', doc: 'a square symmetric matrix' } },
  outputs: { values: { type: 'numbers', doc: 'eigenvalues, descending' } },
  metrics: {
    eigenvalues: { kind: 'array', doc: 'eigenvalues, descending' },
    lambda_max: { kind: 'scalar', doc: 'largest eigenvalue' },
    lambda_min: { kind: 'scalar', doc: 'smallest eigenvalue' },
  },
  run({ params, inputs, ctx }) {
    const a = inputs.x;
    requireArg(a.rows === a.cols, ctx.type, 'x', 'be square', `${a.rows}×${a.cols}`);
    const n = a.rows;
    let big = 0, asym = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      big = Math.max(big, Math.abs(a.data[i * n + j]));
      asym = Math.max(asym, Math.abs(a.data[i * n + j] - a.data[j * n + i]));
    }
    requireArg(asym <= params.tol * big, ctx.type, 'x', `be symmetric to tol = ${params.tol} (relative to max |a_ij| = ${big.toExponential(2)})`, `max |a_ij − a_ji| = ${asym.toExponential(2)}`);
    const { values } = symEig(a);
    ctx.metric('eigenvalues', values);
    ctx.metric('lambda_max', values[0] ?? NaN);
    ctx.metric('lambda_min', values[n - 1] ?? NaN);
    return { values: Array.from(values) };
  },
});
