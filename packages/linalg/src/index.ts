/**
 * @eigenflow/linalg: float64 linear algebra on the CPU, the package's only public entry. `svd` and
 * `symEig` are the decompositions every caller uses; their method is chosen here. The fast path
 * (fast.ts: Householder reduction + implicit QR/QL) is tested against the Jacobi reference
 * (jacobi.ts), which stays exported for that. Also here: the dense `Matrix64` and its arithmetic
 * (matrix.ts, ops.ts), LU solves (lu.ts), orthonormal bases (orthogonal.ts), FFT convolution
 * (fft.ts), the float64 matrix product (gemm.ts) and the system LAPACK/BLAS loader (lapackLibrary.ts).
 */
import type { Matrix64 } from './matrix.ts';
import type { EigResult, SvdResult } from './jacobi.ts';
import { householderSvd, householderSymEig, type SvdMethod } from './fast.ts';
import { lapackSvd, lapackSymEig } from './lapackDecompositions.ts';
import { describeBackend, runOnBackend, type BackendOptions } from './linalgBackend.ts';
import type { EigMethod } from './symEigDc.ts';

export * from './matrix.ts';
export { add, addScaled, block, diag, frobDot, frobNorm, fromBlocks, relError, scale, sub, trace } from './ops.ts';
export { inverse, solve } from './lu.ts';
export { completeBasis, orthonormalBasis, orthonormalColumns, randomOrthogonal, randomOrthonormal } from './orthogonal.ts';
export {
  convolve, convolvePlan, convolveSize, fft, fftPlan, irfft, nextPow2, realFftPlan, rfft,
  type ConvolveOptions, type FftPlan, type RealFftPlan,
} from './fft.ts';
export type { EigResult, SvdResult } from './jacobi.ts';
export { jacobiSvd, jacobiSymEig } from './jacobi.ts';
export { householderSvd, householderSymEig, defaultSvdMethod, type SvdMethod, type SvdOptions } from './fast.ts';
export { linalgThreads } from './threads.ts';
export { openLapack, type LapackLibrary } from './lapackLibrary.ts';
export { linalgBackend, LAPACK_MIN_ENTRIES, type LinalgBackend } from './linalgBackend.ts';
export { gemm, gemmJs, type GemmOptions } from './gemm.ts';
export { DC_MIN_ORDER, type EigMethod } from './symEigDc.ts';

/**
 * Singular values (descending) and, on request, thin U (rows×k) and V (cols×k). `backend`: 'auto'
 * (default EIGENFLOW_LINALG_BACKEND, else auto: the system LAPACK's dgesdd when it loads and the
 * matrix is large enough, else WebAssembly), 'wasm' or 'lapack' (linalgBackend.ts). On the wasm
 * path, from 384×384 the reduction runs on `threads` worker threads (default
 * EIGENFLOW_LINALG_THREADS, else every core; LAPACK gets the same count when it is OpenBLAS), and
 * `method` (vectors only) is 'qr' (every bidiagonal QR rotation applied to the vectors) or 'dc'
 * (divide and conquer and blocked reflectors); the default is `defaultSvdMethod(a)`.
 */
export function svd(a: Matrix64, opts: BackendOptions & { method?: SvdMethod } = {}): SvdResult {
  return runOnBackend('svd', a.rows * a.cols, opts,
    (lib, threads) => lapackSvd(lib, a, { vectors: opts.vectors, threads }),
    () => householderSvd(a, { vectors: opts.vectors, threads: opts.threads, method: opts.method }));
}

/**
 * Eigenvalues (descending) and, on request, eigenvectors of a symmetric matrix (upper triangle
 * read). `backend` as for `svd` (LAPACK: dsyevd). On the wasm path: `block`, panel width of the
 * blocked tridiagonalisation (e.g. 32; the default 0 is the one-pass reduction, faster where
 * measured, README.md); `method` (vectors only), 'dc' for divide and conquer with a blocked
 * back-transformation (the default from DC_MIN_ORDER = 128) or 'ql' for implicit QL rotating the vectors.
 */
export function symEig(a: Matrix64, opts: BackendOptions & { block?: number; method?: EigMethod } = {}): EigResult {
  return runOnBackend('symEig', a.rows * a.cols, opts,
    (lib, threads) => lapackSymEig(lib, a, { vectors: opts.vectors, threads }),
    () => householderSymEig(a, { vectors: opts.vectors, threads: opts.threads, block: opts.block, method: opts.method }));
}

/** The WebAssembly path's method, for manifests and metric metadata. */
export const SPECTRAL_METHOD =
  'float64 CPU: svd = Householder bidiagonalisation, then dqds (LAPACK dlasq1) for values only; ' +
  'singular vectors by bidiagonal divide and conquer (Gu–Eisenstat) + blocked reflectors from 128×128, ' +
  'implicit-shift bidiagonal QR (Golub–Kahan) below; ' +
  'symEig = Householder tridiagonalisation + implicit QL (tql2) for values, divide and conquer (dstedc) + blocked back-transformation for vectors from 128×128; inner loops as WebAssembly SIMD f64x2 ' +
  'from 64×64 (TypeScript otherwise), rows split over worker threads from 384×384; reference: one-sided Jacobi';

/**
 * Which method the current settings (EIGENFLOW_LINALG_BACKEND, EIGENFLOW_LAPACK) give `svd` and
 * `symEig`, with the LAPACK library's path when it is used: what a run records in its manifest.
 */
export function spectralMethod(env: NodeJS.ProcessEnv = process.env): string {
  return describeBackend(SPECTRAL_METHOD, env);
}
