/**
 * `svd` and `symEig` by the system LAPACK: dgesdd (divide-and-conquer SVD) and dsyevd
 * (divide-and-conquer symmetric eigensolver), with LAPACK's own workspace queries (lwork = −1).
 *
 * Layout: eigenflow's matrices are row-major, LAPACK's column-major. A row-major r×c matrix A is,
 * byte for byte, the column-major c×r matrix Aᵀ, so dgesdd factors Aᵀ = U′ΣV′ᵀ from a plain copy
 * (LAPACK overwrites its input), and A = V′ΣU′ᵀ: eigenflow's U is V′ and its V is U′. The Vᵀ that
 * LAPACK writes (k×r, column-major) is V′ as a row-major r×k matrix, that is U itself; only V needs
 * a transpose. A symmetric matrix is its own transpose: the row-major upper triangle that
 * eigenflow reads is LAPACK's column-major lower triangle (uplo = 'L').
 */
import { matrix64, type Matrix64 } from './matrix.ts';
import type { EigResult, SvdResult } from './results.ts';
import type { LapackLibrary } from './lapackLibrary.ts';

/** LAPACK returned info > 0: the iteration did not converge (the caller may use another method). */
export class LapackConvergenceError extends Error {}

const int = (x: number): Int32Array => Int32Array.of(x);

/** The workspace size a query returned, as a 32-bit LAPACK integer (an error when it does not fit). */
function workspace(routine: string, size: number): number {
  const n = Math.max(1, Math.ceil(size));
  if (n > 2 ** 31 - 1) throw new Error(`${routine}: the matrix needs a workspace of ${n} entries, more than a 32-bit LAPACK can address; use backend: 'wasm'`);
  return n;
}

function checkInfo(routine: string, info: number): void {
  if (info < 0) throw new Error(`${routine}: LAPACK rejected argument ${-info} (a bug in eigenflow's call, please report it)`);
  if (info > 0) throw new LapackConvergenceError(`${routine}: LAPACK did not converge (info = ${info})`);
}

export function lapackSvd(lib: LapackLibrary, a: Matrix64, opts: { vectors?: boolean; threads: number }): SvdResult {
  const k = Math.min(a.rows, a.cols);
  if (k === 0) return opts.vectors ? { s: new Float64Array(0), U: matrix64(a.rows, 0), V: matrix64(a.cols, 0) } : { s: new Float64Array(0) };
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) throw new Error(`svd: matrix has a non-finite entry (${a.data[i]}) at index ${i}`);
  }
  // LAPACK's view: M×N column-major = Aᵀ.
  const M = a.cols, N = a.rows;
  const w = Float64Array.from(a.data), s = new Float64Array(k), info = new Int32Array(1), iwork = new Int32Array(8 * k);
  const jobz = opts.vectors ? 'S' : 'N';
  const u = opts.vectors ? new Float64Array(M * k) : new Float64Array(1);
  const vt = opts.vectors ? new Float64Array(k * N) : new Float64Array(1);
  const ldu = int(opts.vectors ? M : 1), ldvt = int(opts.vectors ? k : 1);
  const call = (work: Float64Array, lwork: number): void =>
    lib.dgesdd(jobz, int(M), int(N), w, int(M), s, u, ldu, vt, ldvt, work, int(lwork), iwork, info, 1);
  lib.withThreads(opts.threads, () => {
    const query = new Float64Array(1);
    call(query, -1);
    checkInfo('svd (dgesdd workspace query)', info[0]);
    const lwork = workspace('svd (dgesdd)', query[0]);
    call(new Float64Array(lwork), lwork);
  });
  checkInfo('svd (dgesdd)', info[0]);
  if (!opts.vectors) return { s };
  const V = matrix64(M, k);
  for (let p = 0; p < M; p++) for (let i = 0; i < k; i++) V.data[p * k + i] = u[p + i * M];
  return { s, U: { rows: N, cols: k, data: vt }, V };
}

export function lapackSymEig(lib: LapackLibrary, a: Matrix64, opts: { vectors?: boolean; threads: number }): EigResult {
  if (a.rows !== a.cols) throw new Error(`symEig: matrix must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  if (n === 0) return opts.vectors ? { values: new Float64Array(0), vectors: matrix64(0, 0) } : { values: new Float64Array(0) };
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    const x = a.data[i * n + j];
    if (!Number.isFinite(x)) throw new Error(`symEig: matrix has a non-finite entry (${x}) at (${i}, ${j})`);
  }
  const w = Float64Array.from(a.data), ascending = new Float64Array(n), info = new Int32Array(1);
  const jobz = opts.vectors ? 'V' : 'N';
  const call = (work: Float64Array, lwork: number, iwork: Int32Array, liwork: number): void =>
    lib.dsyevd(jobz, 'L', int(n), w, int(n), ascending, work, int(lwork), iwork, int(liwork), info, 1, 1);
  lib.withThreads(opts.threads, () => {
    const query = new Float64Array(1), iquery = new Int32Array(1);
    call(query, -1, iquery, -1);
    checkInfo('symEig (dsyevd workspace query)', info[0]);
    const lwork = workspace('symEig (dsyevd)', query[0]), liwork = Math.max(1, iquery[0]);
    call(new Float64Array(lwork), lwork, new Int32Array(liwork), liwork);
  });
  checkInfo('symEig (dsyevd)', info[0]);
  // LAPACK: ascending values, vector j in column j (column-major). eigenflow: descending, in columns.
  const values = Float64Array.from(ascending).reverse();
  if (!opts.vectors) return { values };
  const vectors = matrix64(n, n);
  for (let c = 0; c < n; c++) {
    const src = (n - 1 - c) * n;
    for (let i = 0; i < n; i++) vectors.data[i * n + c] = w[src + i];
  }
  return { values, vectors };
}
