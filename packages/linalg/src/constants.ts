/**
 * Machine constants and size thresholds, in one place. The thresholds were measured on the
 * project's 2-core machine (README.md, "Speed" and the benchmarks in bench/); change one here and
 * the benchmark that chose it says whether the change pays.
 */

/** ε, the distance from 1 to the next float64 (LAPACK dlamch('P'), Number.EPSILON). */
export const EPS = 2 ** -52;
/** The unit roundoff ε/2 (LAPACK dlamch('E')): the relative error of one rounding. */
export const UNIT_ROUNDOFF = EPS / 2;
/** The smallest normal float64 (LAPACK dlamch('S')). */
export const SAFE_MIN = 2 ** -1022;
/** Below this, a bidiagonal entry is negligible in absolute terms (JAMA's `tiny`: its square is still normal). */
export const TINY = 2 ** -966;
/**
 * Inputs whose largest entry lies outside [2^−SAFE_SCALE_EXPONENT, 2^SAFE_SCALE_EXPONENT] are first
 * scaled by an exact power of two, so that sums of squares neither overflow nor underflow.
 */
export const SAFE_SCALE_EXPONENT = 400;

/** From this many entries (64×64) a reduction runs in a WebAssembly memory on the SIMD kernels; smaller ones in TypeScript. */
export const KERNEL_MIN_ENTRIES = 64 * 64;
/** From this many entries (m·n) a reduction uses worker threads (when more than one is allowed). */
export const THREADED_MIN_ENTRIES = 384 * 384;
/** Bidiagonalisation steps whose trailing block has fewer entries run on the calling thread alone. */
export const BIDIAG_THREADED_MIN_BLOCK = 128 * 128;
/** Tridiagonalisation steps whose trailing triangle has fewer entries run on the calling thread alone. */
export const TRIDIAG_THREADED_MIN_BLOCK = 192 * 192 / 2;
/** Below this many entries touched, a reflector or a rotation sweep runs on the calling thread. */
export const SPLIT_MIN_WORK = 64 * 1024;
/** From this many multiply–adds (m·n·k) a matrix product is split over the threads. */
export const GEMM_THREADED_MIN = 96 * 96 * 96;
/** Below this many multiply–adds, a product of arrays outside the kernels' memory runs in TypeScript (no copy). */
export const GEMM_COPY_MIN = 32 * 32 * 32;

/**
 * Vectors (singular vectors from min(rows, cols), eigenvectors from the order) come from divide
 * and conquer from this size on, and from the QR/QL iteration rotating explicitly formed vectors
 * below it: measured side by side, the two tie at 100–127 and divide and conquer takes 2.5–4.5×
 * the QR iteration's time below 64 (its blocked back-transformation does not pay on small
 * matrices), 0.5–0.9× from 192 on.
 */
export const DIVIDE_CONQUER_MIN_SIZE = 128;
/** Inside divide and conquer, blocks of at most this many rows are solved by the QR/QL iteration (LAPACK's SMLSIZ). */
export const DIVIDE_CONQUER_LEAF = 25;
/** Reflectors per block in the SVD's back-transformation: 64 measured 5–15% faster than 32 at 1024² (bench/svdVectors.ts --phases). */
export const SVD_REFLECTOR_BLOCK = 64;
/** Reflectors per block in the symmetric eigenvectors' back-transformation (LAPACK's default for dormtr is 32 as well). */
export const EIG_REFLECTOR_BLOCK = 32;

/**
 * 'auto' uses LAPACK from this many matrix entries (rows × cols). Measured on the 2-core Haswell
 * with OpenBLAS 0.3.21 (bench/linalgCrossover.ts): opening and closing the library costs about
 * 1.8 ms per call, so for values alone the WebAssembly path is faster up to 256² (0.7–0.9×
 * LAPACK's time) and LAPACK from 384² (2.8–5× faster); with vectors LAPACK breaks even at 128²
 * and is 1.3–1.6× faster at 192².
 */
export const LAPACK_MIN_ENTRIES = { svd: 320 * 320, svdVectors: 160 * 160, symEig: 320 * 320, symEigVectors: 160 * 160 } as const;
/** With a library handle the caller keeps open (no per-call open), LAPACK was as fast or faster from 64² in every case. */
export const LAPACK_MIN_ENTRIES_OPEN = 64 * 64;
