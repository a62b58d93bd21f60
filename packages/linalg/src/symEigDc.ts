/**
 * Eigenvectors of a symmetric matrix from its Householder tridiagonalisation the LAPACK (dsyevd)
 * way: the tridiagonal matrix's eigenpairs by divide and conquer (stedc.ts), then the blocked
 * back-transformation Z ← Q·Z (tridiagBackTransform.ts). Both spend their time in matrix products
 * (gemm.ts), split over the worker threads for large matrices. The other method, implicit QL
 * applying every rotation to the vectors (tridiag.ts `tql`), stays reachable as `method: 'ql'`.
 */
import { gemmArrays, type GemmWork } from './gemm.ts';
import { stedc } from './stedc.ts';
import { applyTridiagQ, backTransformLengths, BACK_TRANSFORM_BLOCK } from './tridiagBackTransform.ts';
import { linalgThreads, THREADED_MIN_ENTRIES } from './threads.ts';

export type EigMethod = 'ql' | 'dc';

/** From this order on, `symEig(…, {vectors: true})` uses divide and conquer by default (measured: README.md). */
export const DC_MIN_ORDER = 128;

/** The method for an n×n eigendecomposition with vectors: the requested one, else by size. */
export function eigMethod(n: number, requested?: EigMethod): EigMethod {
  if (requested !== undefined && requested !== 'ql' && requested !== 'dc') {
    throw new Error(`symEig: method must be 'ql' or 'dc' but got ${JSON.stringify(requested)}`);
  }
  return requested ?? (n >= DC_MIN_ORDER ? 'dc' : 'ql');
}

/** The arrays of one divide-and-conquer eigendecomposition, in a kernel memory with helper threads when large. */
export interface DcWorkspace { arrays: Float64Array[]; work: GemmWork | null; close(): void }

/**
 * The workspace for an n×n problem. Create it before the tridiagonalisation: its helper threads
 * (about 25 ms each to start here) then start while the reduction runs instead of after it.
 */
export function dcWorkspace(n: number, threads?: number): DcWorkspace {
  const size = n * n >= THREADED_MIN_ENTRIES ? linalgThreads(threads) : 1;
  const lengths = [n * n, n * n, n * n, ...backTransformLengths(n, BACK_TRANSFORM_BLOCK)];
  const mem = n * n >= 4096 ? gemmArrays(lengths, size) : null;
  return mem ?? { arrays: lengths.map((len) => new Float64Array(len)), work: null, close: () => {} };
}

/**
 * The eigenvectors (rows of the returned n×n row-major matrix) of the matrix whose
 * tridiagonalisation left reflectors in `a` and `tau` and the tridiagonal (d, e); d receives the
 * eigenvalues (in the rows' order, not sorted), e is overwritten. The result lives in `ws`: read
 * it before closing ws.
 */
export function dcEigenvectors(a: Float64Array, n: number, d: Float64Array, e: Float64Array, tau: Float64Array, ws: DcWorkspace): Float64Array {
  const [q, zt, u, v, vt, w, w2, t, g] = ws.arrays;
  stedc(d, e, { q, qw: zt, u, work: ws.work }); // eigenvectors of T: columns of q
  for (let i0 = 0; i0 < n; i0 += 64) { // zt = qᵀ, in blocks of 64 rows of q
    const i1 = Math.min(n, i0 + 64);
    for (let j = 0; j < n; j++) for (let i = i0; i < i1; i++) zt[j * n + i] = q[i * n + j];
  }
  applyTridiagQ(a, n, tau, zt, n, { v, vt, w, w2, t, g }, ws.work, BACK_TRANSFORM_BLOCK);
  return zt;
}
