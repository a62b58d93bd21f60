/**
 * Residual matrices Wn (n × n, float64) for y = W2·relu(W1 x) + Wn x, and their spectra.
 * Asymmetric and symmetric noise draw the same full Gaussian matrix B from the stream, so at one
 * seed the symmetric matrix is the asymmetric one's upper triangle mirrored.
 */
import { identity, matrix64, svd, symEig, type Matrix64 } from '../../src/linalg/index.ts';
import { orthonormalColumns } from '../../src/linalg/orthogonal.ts';
import type { MetricMap, NodeContext } from '../../src/node.ts';
import type { Rng } from '../../src/rng.ts';

export const WN_KINDS = ['identity', 'asymmetric', 'symmetric', 'lowRank'] as const;
export type WnKind = (typeof WN_KINDS)[number];

export function identityWn(n: number): Matrix64 {
  return identity(n);
}

/** I + σB, B iid N(0, 1) off the diagonal, zero on it. */
export function asymmetricWn(n: number, sigma: number, rng: Rng): Matrix64 {
  const b = rng.fillNormal(new Float64Array(n * n));
  const w = matrix64(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w.data[i * n + j] = i === j ? 1 : sigma * b[i * n + j];
  return w;
}

/** I + σS, S_ij = S_ji = B_ij (i < j) with B iid N(0, 1): the same noise mirrored in both triangles. */
export function symmetricWn(n: number, sigma: number, rng: Rng): Matrix64 {
  const b = rng.fillNormal(new Float64Array(n * n));
  const w = identity(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) { const v = sigma * b[i * n + j]; w.data[i * n + j] = v; w.data[j * n + i] = v; }
  }
  return w;
}

/** I + αUUᵀ with U (n × r) orthonormal columns from the QR of a Gaussian matrix, diagonal reset to 1. */
export function lowRankWn(n: number, rank: number, alpha: number, rng: Rng): Matrix64 {
  const u = orthonormalColumns(matrix64(n, rank, rng.fillNormal(new Float64Array(n * rank))));
  const w = matrix64(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) { w.data[i * n + j] = 1; continue; }
      let d = 0;
      for (let k = 0; k < rank; k++) d += u.data[i * rank + k] * u.data[j * rank + k];
      w.data[i * n + j] = alpha * d;
    }
  }
  return w;
}

export interface WnParams { n: number; sigma: number; rank: number; alpha: number }

export function buildWn(kind: WnKind, p: WnParams, rng: Rng): Matrix64 {
  switch (kind) {
    case 'identity': return identityWn(p.n);
    case 'asymmetric': return asymmetricWn(p.n, p.sigma, rng);
    case 'symmetric': return symmetricWn(p.n, p.sigma, rng);
    case 'lowRank': return lowRankWn(p.n, p.rank, p.alpha, rng);
  }
}

/** The metrics `emitSpectrum` emits, declared by every wn node. */
export const SPECTRUM_METRICS: MetricMap = {
  singular_values: { kind: 'array', doc: 'singular values of Wn, descending' },
  eigenvalues: { kind: 'array', doc: 'eigenvalues of Wn, descending (symmetric Wn only)' },
};

/** Emit `singular_values` (and `eigenvalues` when Wn is symmetric) as metrics. */
export function emitSpectrum(ctx: NodeContext, w: Matrix64, symmetric: boolean): void {
  ctx.metric('singular_values', svd(w).s);
  if (symmetric) ctx.metric('eigenvalues', symEig(w).values);
}
