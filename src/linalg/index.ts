/**
 * Float64 linear algebra that TensorFlow.js lacks. `svd` and `symEig` are the entry points every
 * node uses; their method is chosen here (see `jacobi.ts` for the reference implementation).
 */
import type { Matrix64 } from './matrix.ts';
import { jacobiSvd, jacobiSymEig, type EigResult, type SvdResult } from './jacobi.ts';

export * from './matrix.ts';
export type { EigResult, SvdResult } from './jacobi.ts';

/** Singular values (descending) and, on request, thin U (rows×k) and V (cols×k). */
export function svd(a: Matrix64, opts: { vectors?: boolean } = {}): SvdResult {
  return jacobiSvd(a, opts);
}

/** Eigenvalues (descending) and, on request, eigenvectors of a symmetric matrix. */
export function symEig(a: Matrix64, opts: { vectors?: boolean } = {}): EigResult {
  return jacobiSymEig(a, opts);
}

/** Which method produced a spectrum, for manifests and metric metadata. */
export const SPECTRAL_METHOD = 'float64 one-sided Jacobi (CPU)';
