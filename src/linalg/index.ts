/**
 * Float64 linear algebra that TensorFlow.js lacks. `svd` and `symEig` are the entry points every
 * node uses; their method is chosen here. The fast path (fast.ts: Householder reduction + implicit
 * QR/QL) is tested against the Jacobi reference (jacobi.ts), which stays exported for that.
 */
import type { Matrix64 } from './matrix.ts';
import type { EigResult, SvdResult } from './jacobi.ts';
import { householderSvd, householderSymEig, type SvdOptions } from './fast.ts';
import type { EigMethod } from './symEigDc.ts';

export * from './matrix.ts';
export { rankStats, type RankStats } from './spectrumStats.ts';
export type { EigResult, SvdResult } from './jacobi.ts';
export { jacobiSvd, jacobiSymEig } from './jacobi.ts';
export { householderSvd, householderSymEig, defaultSvdMethod, type SvdMethod, type SvdOptions } from './fast.ts';
export { linalgThreads } from './threads.ts';
export { gemm, gemmJs, type GemmOptions } from './gemm.ts';
export { DC_MIN_ORDER, type EigMethod } from './symEigDc.ts';

/**
 * Singular values (descending) and, on request, thin U (rows×k) and V (cols×k). From 384×384 the
 * reduction runs on `threads` worker threads (default EIGENFLOW_LINALG_THREADS, else every core).
 * `method` (vectors only): 'qr' applies every bidiagonal QR rotation to the vectors, 'dc' uses
 * divide and conquer and blocked reflectors; the default is `defaultSvdMethod(a)`.
 */
export function svd(a: Matrix64, opts: SvdOptions = {}): SvdResult {
  return householderSvd(a, opts);
}

/**
 * Eigenvalues (descending) and, on request, eigenvectors of a symmetric matrix (upper triangle
 * read). `block`: panel width of the blocked tridiagonalisation (e.g. 32); the default (0) is the
 * one-pass reduction, faster where measured (docs/linalg.md). `method` (vectors only): 'dc',
 * divide and conquer with a blocked back-transformation (the default from DC_MIN_ORDER = 128), or
 * 'ql', implicit QL rotating the vectors.
 */
export function symEig(a: Matrix64, opts: { vectors?: boolean; threads?: number; block?: number; method?: EigMethod } = {}): EigResult {
  return householderSymEig(a, opts);
}

/** Which method produced a spectrum, for manifests and metric metadata. */
export const SPECTRAL_METHOD =
  'float64 CPU: svd = Householder bidiagonalisation + implicit-shift bidiagonal QR (Golub–Kahan), ' +
  'singular vectors from 128×128 by bidiagonal divide and conquer (Gu–Eisenstat) + blocked reflectors; ' +
  'symEig = Householder tridiagonalisation + implicit QL (tql2) for values, divide and conquer (dstedc) + blocked back-transformation for vectors from 128×128; inner loops as WebAssembly SIMD f64x2 ' +
  'from 64×64 (TypeScript otherwise), rows split over worker threads from 384×384; reference: one-sided Jacobi';
