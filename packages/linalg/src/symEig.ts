/**
 * The symmetric eigendecomposition on the WebAssembly path (what LAPACK's dsyevd does):
 * Householder tridiagonalisation of the lower triangle (tridiagonalize.ts, dsytrd in one
 * streaming pass per column), then
 * - values only: implicit QL on the tridiagonal (tridiagQl.ts, dsterf);
 * - with vectors: divide and conquer on the tridiagonal (tridiagDivideConquer.ts, dstedc) and the
 *   reflectors applied in blocks (tridiagBackTransform.ts, dormtr), both mostly matrix products
 *   (gemm.ts) split over the threads. Below DIVIDE_CONQUER_MIN_SIZE the QL iteration rotates Qᵀ
 *   formed from the reflectors (dorgtr) instead, which is faster there (constants.ts).
 */
import { matrix64, type Matrix64 } from './matrix.ts';
import type { EigResult } from './results.ts';
import { formQt, tridiagonalize } from './tridiagonalize.ts';
import { tql } from './tridiagQl.ts';
import { tridiagDc } from './tridiagDivideConquer.ts';
import { applyTridiagQ, backTransformLengths } from './tridiagBackTransform.ts';
import { gemmArrays, type GemmWork } from './gemm.ts';
import { linalgThreads } from './threads.ts';
import { descending, gatherColumns, rotationMemory, scaleFactor } from './decompositionInternals.ts';
import { DIVIDE_CONQUER_MIN_SIZE, EIG_REFLECTOR_BLOCK, KERNEL_MIN_ENTRIES, THREADED_MIN_ENTRIES } from './constants.ts';

export interface EigOptions { vectors?: boolean; threads?: number }

/**
 * Eigenvalues (descending) and, on request, eigenvectors of the symmetric `a` (upper triangle
 * read), on the WebAssembly path. Vectors come from divide and conquer from order
 * `divideConquerMinSize` on (the tests pass 0 or Infinity to run one method at every size).
 */
export function wasmSymEig(a: Matrix64, opts: EigOptions = {}, divideConquerMinSize = DIVIDE_CONQUER_MIN_SIZE): EigResult {
  if (a.rows !== a.cols) throw new Error(`symEig: matrix must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  if (n === 0) return opts.vectors ? { values: new Float64Array(0), vectors: matrix64(0, 0) } : { values: new Float64Array(0) };
  // Symmetric input: read the upper triangle (as LAPACK's 'U') into the lower one.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    const x = a.data[j * n + i];
    if (!Number.isFinite(x)) throw new Error(`symEig: matrix has a non-finite entry (${x}) at (${j}, ${i})`);
    w[i * n + j] = x;
  }
  const scale = scaleFactor(w);
  if (scale !== 1) for (let i = 0; i < w.length; i++) w[i] *= scale;
  if (!opts.vectors) {
    const { d, e } = tridiagonalize(w, n, { threads: opts.threads });
    tql(d, e);
    return { values: Float64Array.from(descending(d), (i) => d[i] / scale) };
  }
  const { d, zt } = n >= divideConquerMinSize ? divideConquerVectors(w, n, opts.threads) : qlVectors(w, n, opts.threads);
  const order = descending(d);
  return { values: Float64Array.from(order, (i) => d[i] / scale), vectors: gatherColumns(zt, n, order) };
}

/** The arrays of one divide-and-conquer eigendecomposition, in a kernel memory with helper threads when large. */
interface DcWorkspace { arrays: Float64Array[]; work: GemmWork | null; close(): void }

/**
 * Eigenvalues d (unsorted) and eigenvectors (rows of zt) by divide and conquer and the blocked
 * back-transformation. The workspace (and its helper threads, about 25 ms each to start here) is
 * made before the reduction, so the threads start while it runs.
 */
function divideConquerVectors(w: Float64Array, n: number, threads?: number): { d: Float64Array; zt: Float64Array } {
  const size = n * n >= THREADED_MIN_ENTRIES ? linalgThreads(threads) : 1;
  const lengths = [n * n, n * n, n * n, ...backTransformLengths(n, EIG_REFLECTOR_BLOCK)];
  const ws: DcWorkspace = (n * n >= KERNEL_MIN_ENTRIES ? gemmArrays(lengths, size) : null)
    ?? { arrays: lengths.map((len) => new Float64Array(len)), work: null, close: () => {} };
  try {
    const { d, e, tau } = tridiagonalize(w, n, { threads });
    const [q, zt, u, v, vt, w1, w2, t, g] = ws.arrays;
    tridiagDc(d, e, { q, qw: zt, u, work: ws.work }); // eigenvectors of T: columns of q
    for (let i0 = 0; i0 < n; i0 += 64) { // zt = qᵀ, in blocks of 64 rows of q
      const i1 = Math.min(n, i0 + 64);
      for (let j = 0; j < n; j++) for (let i = i0; i < i1; i++) zt[j * n + i] = q[i * n + j];
    }
    applyTridiagQ(w, n, tau, zt, n, { v, vt, w: w1, w2, t, g }, ws.work, EIG_REFLECTOR_BLOCK);
    return { d, zt }; // views of ws's memory: closing ws stops its threads, the arrays stay
  } finally {
    ws.close();
  }
}

/**
 * Eigenvalues and eigenvectors of a small problem (n < DIVIDE_CONQUER_MIN_SIZE): Qᵀ formed from
 * the reflectors, then every QL rotation applied to its rows (as SIMD sweeps from KERNEL_MIN_ENTRIES).
 */
function qlVectors(w: Float64Array, n: number, threads?: number): { d: Float64Array; zt: Float64Array } {
  const { d, e, tau } = tridiagonalize(w, n, { threads });
  const mem = n * n >= KERNEL_MIN_ENTRIES ? rotationMemory([n * n, n], n, n * n, threads) : null;
  try {
    const qt = formQt(w, n, tau, mem && { k: mem.rw.k, out: mem.arrays[0], scratch: mem.arrays[1], team: mem.rw.team });
    tql(d, e, qt, mem?.rw);
    return { d, zt: qt };
  } finally {
    mem?.rw.team?.close();
  }
}
