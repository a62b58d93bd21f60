/**
 * Residual matrices Wn (n × n, float64) for y = W2·relu(W1 x) + Wn x, and their spectra.
 * Asymmetric and symmetric noise draw the same full Gaussian matrix B from the stream, so at one
 * seed the symmetric matrix is the asymmetric one's upper triangle mirrored.
 */
import { identity, matrix64, svd, symEig, type Matrix64, orthonormalColumns } from '@eigenflow/linalg';
import type { MetricMap, NodeContext } from '../../src/node.ts';
import type { Rng } from '../../src/rng.ts';

export const WN_KINDS = ['identity', 'asymmetric', 'symmetric', 'lowRank'] as const;
export type WnKind = (typeof WN_KINDS)[number];

export function identityWn(n: number): Matrix64 {
  return identity(n);
}

/**
 * Whether the noise keeps its diagonal: `zero` — Wn_ii = 1 exactly (eigenflow's default, and the
 * seed's low-rank code); `keep` — Wn_ii = 1 + (noise)_ii, as `I + σ·randn(n, n)` gives in the
 * public toy-CiS code.
 */
export const NOISE_DIAGONALS = ['zero', 'keep'] as const;
export type NoiseDiagonal = (typeof NOISE_DIAGONALS)[number];

/** I + σB, B iid N(0, 1) off the diagonal; on it zero (`zero`) or also N(0, 1) (`keep`). */
export function asymmetricWn(n: number, sigma: number, rng: Rng, diagonal: NoiseDiagonal = 'zero'): Matrix64 {
  const b = rng.fillNormal(new Float64Array(n * n));
  const w = matrix64(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w.data[i * n + j] = i === j ? 1 + (diagonal === 'keep' ? sigma * b[i * n + j] : 0) : sigma * b[i * n + j];
  return w;
}

/** I + σS, S_ij = S_ji = B_ij (i < j) with B iid N(0, 1): the same noise mirrored in both triangles; S_ii = 0 (`zero`) or B_ii (`keep`). */
export function symmetricWn(n: number, sigma: number, rng: Rng, diagonal: NoiseDiagonal = 'zero'): Matrix64 {
  const b = rng.fillNormal(new Float64Array(n * n));
  const w = identity(n);
  if (diagonal === 'keep') for (let i = 0; i < n; i++) w.data[i * n + i] += sigma * b[i * n + i];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) { const v = sigma * b[i * n + j]; w.data[i * n + j] = v; w.data[j * n + i] = v; }
  }
  return w;
}

/** I + αUUᵀ with U (n × r) orthonormal columns from the QR of a Gaussian matrix, diagonal reset to 1 (`zero`, as in the seed) or not (`keep`). */
export function lowRankWn(n: number, rank: number, alpha: number, rng: Rng, diagonal: NoiseDiagonal = 'zero'): Matrix64 {
  const u = orthonormalColumns(matrix64(n, rank, rng.fillNormal(new Float64Array(n * rank))));
  const w = matrix64(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j && diagonal === 'zero') { w.data[i * n + j] = 1; continue; }
      let d = 0;
      for (let k = 0; k < rank; k++) d += u.data[i * rank + k] * u.data[j * rank + k];
      w.data[i * n + j] = (i === j ? 1 : 0) + alpha * d;
    }
  }
  return w;
}

export interface WnParams { n: number; sigma: number; rank: number; alpha: number; noiseDiagonal?: string }

export function buildWn(kind: WnKind, p: WnParams, rng: Rng): Matrix64 {
  const diag = (p.noiseDiagonal ?? 'zero') as NoiseDiagonal;
  switch (kind) {
    case 'identity': return identityWn(p.n);
    case 'asymmetric': return asymmetricWn(p.n, p.sigma, rng, diag);
    case 'symmetric': return symmetricWn(p.n, p.sigma, rng, diag);
    case 'lowRank': return lowRankWn(p.n, p.rank, p.alpha, rng, diag);
  }
}

/** The metrics `emitSpectrum` emits, declared by every wn node. */
export const SPECTRUM_METRICS = {
  singular_values: { kind: 'array', doc: 'singular values of Wn, descending' },
  eigenvalues: { kind: 'array', doc: 'eigenvalues of Wn, descending (symmetric Wn only)' },
} as const satisfies MetricMap;

/** Emit `singular_values` (and `eigenvalues` when Wn is symmetric) as metrics. */
export function emitSpectrum(ctx: NodeContext, w: Matrix64, symmetric: boolean): void {
  ctx.metric('singular_values', svd(w).s);
  if (symmetric) ctx.metric('eigenvalues', symEig(w).values);
}
