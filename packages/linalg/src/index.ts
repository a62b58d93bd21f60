/**
 * @eigenflow/linalg: float64 linear algebra on the CPU, the package's only public entry. `svd` and
 * `symEig` are the decompositions every caller uses, one method each (svd.ts, symEig.ts; the
 * tests check them against a Jacobi oracle that is not part of the package), on the WebAssembly
 * kernels or the system LAPACK (backend.ts). Also here: the dense `Matrix64` and its arithmetic
 * (matrix.ts, ops.ts), LU solves (lu.ts), orthonormal bases (orthogonal.ts), FFT convolution
 * (fft.ts), the float64 matrix product (gemm.ts), float32 (batched, transposed) products on WebAssembly
 * SIMD (gemm32.ts) and OpenBLAS (blasSgemm.ts), and the system LAPACK/BLAS loader (lapackLibrary.ts).
 */
import type { Matrix64 } from './matrix.ts';
import type { EigResult, SvdResult } from './results.ts';
import { wasmSvd } from './svd.ts';
import { wasmSymEig } from './symEig.ts';
import { lapackSvd, lapackSymEig } from './lapackDecompositions.ts';
import { describeBackend, runOnBackend, type BackendOptions } from './backend.ts';

export * from './matrix.ts';
export { add, addScaled, block, diag, frobDot, frobNorm, fromBlocks, relError, scale, sub, trace } from './ops.ts';
export { inverse, solve } from './lu.ts';
export { completeBasis, orthonormalBasis, orthonormalColumns, randomOrthogonal, randomOrthonormal } from './orthogonal.ts';
export {
  convolve, convolvePlan, convolveSize, fft, fftPlan, irfft, nextPow2, realFftPlan, rfft,
  type ConvolveOptions, type FftPlan, type RealFftPlan,
} from './fft.ts';
export type { EigResult, SvdResult } from './results.ts';
export type { BackendOptions, LinalgBackend } from './backend.ts';
export { linalgBackend } from './backend.ts';
export { linalgThreads } from './threads.ts';
export { openLapack, type LapackLibrary, type LapackOpen } from './lapackLibrary.ts';
export { gemm, type GemmOptions } from './gemm.ts';
export { LAPACK_MIN_ENTRIES } from './constants.ts';
export { gemm32Available, gemm32Kernel, matmul32, GEMM32_PACK_BYTES, type Gemm32Kernel, type MatMulShape } from './gemm32.ts';
export { blasCandidates, openSgemm, type Sgemm, type SgemmOpen } from './blasSgemm.ts';

/**
 * Singular values (descending) and, on request, thin U (rows×k) and V (cols×k). `backend`: 'auto'
 * (default EIGENFLOW_LINALG_BACKEND, else auto: the system LAPACK's dgesdd when it loads and the
 * matrix is large enough, else WebAssembly), 'wasm' or 'lapack' (backend.ts). On the wasm path,
 * from 384×384 the reduction runs on `threads` worker threads (default EIGENFLOW_LINALG_THREADS,
 * else every core; LAPACK gets the same count when it is OpenBLAS).
 */
export function svd(a: Matrix64, opts: BackendOptions = {}): SvdResult {
  return runOnBackend('svd', a.rows * a.cols, opts,
    (lib, threads) => lapackSvd(lib, a, { vectors: opts.vectors, threads }),
    () => wasmSvd(a, { vectors: opts.vectors, threads: opts.threads }));
}

/**
 * Eigenvalues (descending) and, on request, eigenvectors of a symmetric matrix (upper triangle
 * read). `backend` and `threads` as for `svd` (LAPACK: dsyevd).
 */
export function symEig(a: Matrix64, opts: BackendOptions = {}): EigResult {
  return runOnBackend('symEig', a.rows * a.cols, opts,
    (lib, threads) => lapackSymEig(lib, a, { vectors: opts.vectors, threads }),
    () => wasmSymEig(a, { vectors: opts.vectors, threads: opts.threads }));
}

/** The WebAssembly path's method, for manifests and metric metadata. */
export const SPECTRAL_METHOD =
  'float64 CPU: svd = Householder bidiagonalisation, then dqds (LAPACK dlasq1) for values; ' +
  'vectors by bidiagonal divide and conquer (dbdsdc) + blocked reflectors from min(rows, cols) = 128, ' +
  'implicit-shift bidiagonal QR below; ' +
  'symEig = Householder tridiagonalisation, then implicit QL (tql2) for values; vectors by divide and conquer (dstedc) ' +
  '+ blocked back-transformation from 128×128, QL below; inner loops as WebAssembly SIMD f64x2 ' +
  'from 64×64 (TypeScript otherwise), rows split over worker threads from 384×384';

/**
 * Which method the current settings (EIGENFLOW_LINALG_BACKEND, EIGENFLOW_LAPACK) give `svd` and
 * `symEig`, with the LAPACK library's path when it is used: what a run records in its manifest.
 */
export function spectralMethod(env: NodeJS.ProcessEnv = process.env): string {
  return describeBackend(SPECTRAL_METHOD, env);
}
