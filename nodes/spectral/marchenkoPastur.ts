import { defineNode } from '../../src/node.ts';
import { svd } from '@eigenflow/linalg';
import { mpEdges } from './spectralInternals.ts';

/**
 * Marchenko–Pastur bulk of an n×p matrix X: the eigenvalues of XᵀX/n (the min(n, p) nonzero
 * ones, as σ(X)²/n) against the support [σ²(1−√γ)², σ²(1+√γ)²], γ = p/n. σ² is the entry
 * variance: given, or estimated as the mean squared entry. Eigenvalues farther than `tol`
 * (relative) outside the edges are counted: spikes above, and below.
 *
 * ## Example
 * `"mp": {"type": "spectral.marchenkoPastur", "inputs": {"x": "train.w1"}, "params": {"sigma2": 0}}`
 */
export const marchenkoPastur = defineNode({
  type: 'spectral.marchenkoPastur',
  doc: 'Marchenko–Pastur edges for X\'s shape and entry variance, and the number of eigenvalues of XᵀX/n outside them.',
  params: {
    sigma2: { type: 'number', doc: 'entry variance σ²; 0 = estimate as the mean squared entry', default: 0, min: 0 },
    tol: { type: 'number', doc: 'relative slack on both edges before an eigenvalue counts as outside', default: 0.05, min: 0 },
  },
  inputs: { x: { type: 'matrix', precision: 'float64', doc: 'n×p matrix (rows = samples)' } },
  outputs: { outside: { type: 'number', doc: 'eigenvalues outside the bulk' } },
  metrics: {
    mp_lower: { kind: 'scalar', doc: 'lower Marchenko–Pastur edge σ²(1−√γ)²' },
    mp_upper: { kind: 'scalar', doc: 'upper Marchenko–Pastur edge σ²(1+√γ)²' },
    gamma: { kind: 'scalar', doc: 'aspect ratio γ = p/n' },
    sigma2: { kind: 'scalar', doc: 'entry variance σ² used (given or estimated)' },
    above: { kind: 'scalar', doc: 'eigenvalues above the upper edge (spikes)', unit: 'eigenvalues' },
    below: { kind: 'scalar', doc: 'eigenvalues below the lower edge', unit: 'eigenvalues' },
    outside: { kind: 'scalar', doc: 'above + below', unit: 'eigenvalues' },
    lambda_max: { kind: 'scalar', doc: 'largest eigenvalue of XᵀX/n' },
  },
  run({ params, inputs, ctx }) {
    const x = inputs.x;
    let sigma2 = params.sigma2;
    if (sigma2 === 0) { for (const v of x.data) sigma2 += v * v; sigma2 /= x.data.length; }
    const { lower, upper, gamma } = mpEdges(x.rows, x.cols, sigma2);
    const lam = svd(x).s.map((v) => (v * v) / x.rows);
    let above = 0, below = 0;
    for (const l of lam) { if (l > upper * (1 + params.tol)) above++; else if (l < lower * (1 - params.tol)) below++; }
    ctx.metric('mp_lower', lower);
    ctx.metric('mp_upper', upper);
    ctx.metric('gamma', gamma);
    ctx.metric('sigma2', sigma2);
    ctx.metric('above', above);
    ctx.metric('below', below);
    ctx.metric('outside', above + below);
    ctx.metric('lambda_max', lam[0] ?? NaN);
    return { outside: above + below };
  },
});
