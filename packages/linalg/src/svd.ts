/**
 * The singular value decomposition on the WebAssembly path (what LAPACK's dgesdd does):
 * Householder bidiagonalisation (bidiagonalize.ts, dgebrd in one streaming pass per column), then
 * - values only: dqds on the bidiagonal (bidiagValues.ts, dlasq1);
 * - with vectors: divide and conquer on the bidiagonal (bidiagDivideConquer.ts, dbdsdc) and the
 *   reflectors applied in blocks (bidiagBackTransform.ts, dormbr). Below DIVIDE_CONQUER_MIN_SIZE
 *   (min(rows, cols)) the bidiagonal QR iteration (bidiagQr.ts, dbdsqr) rotates U and V formed
 *   from the reflectors (dorgbr) instead, which is faster there (constants.ts).
 */
import { matrix64, type Matrix64 } from './matrix.ts';
import type { SvdResult } from './results.ts';
import { bidiagonalize, formUt, formVt, type Bidiagonal } from './bidiagonalize.ts';
import { bidiagQr } from './bidiagQr.ts';
import { bidiagValues } from './bidiagValues.ts';
import { bidiagDc } from './bidiagDivideConquer.ts';
import { applyReflectors } from './bidiagBackTransform.ts';
import { jsProducts, kernelProducts, type KernelProducts } from './divideConquerProducts.ts';
import { linalgThreads } from './threads.ts';
import { descending, gatherColumns, rotationMemory, scaleFactor, transposed } from './decompositionInternals.ts';
import { DIVIDE_CONQUER_MIN_SIZE, KERNEL_MIN_ENTRIES, SVD_REFLECTOR_BLOCK, THREADED_MIN_ENTRIES } from './constants.ts';

export interface SvdOptions { vectors?: boolean; threads?: number }

/**
 * Singular values (descending) and, on request, thin U and V, on the WebAssembly path. Vectors
 * come from divide and conquer from min(rows, cols) = `divideConquerMinSize` on (the tests pass 0
 * or Infinity to run one method at every size).
 */
export function wasmSvd(a: Matrix64, opts: SvdOptions = {}, divideConquerMinSize = DIVIDE_CONQUER_MIN_SIZE): SvdResult {
  const wide = a.rows < a.cols;
  const m = wide ? a.cols : a.rows, n = wide ? a.rows : a.cols;
  if (n === 0) return opts.vectors ? { s: new Float64Array(0), U: matrix64(a.rows, 0), V: matrix64(a.cols, 0) } : { s: new Float64Array(0) };
  for (let i = 0; i < a.data.length; i++) if (!Number.isFinite(a.data[i])) throw new Error(`svd: matrix has a non-finite entry (${a.data[i]}) at index ${i}`);
  const scale = scaleFactor(a.data);
  // Values of a tall or square matrix in range: the reduction reads a.data (into its kernel memory)
  // and leaves it as it is, so no copy of the input is made here.
  const readOnly = !opts.vectors && !wide && scale === 1;
  let w: Float64Array;
  if (readOnly) w = a.data;
  else if (!wide) w = Float64Array.from(a.data);
  else { w = new Float64Array(m * n); for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) w[j * n + i] = a.data[i * m + j]; }
  if (scale !== 1) for (let i = 0; i < w.length; i++) w[i] *= scale;
  if (!opts.vectors) {
    const { d, e } = bidiagonalize(w, m, n, { threads: opts.threads, readOnly });
    bidiagValues(d, e); // d: the values, descending
    return { s: d.map((x) => x / scale) };
  }
  const { s, U, V } = n >= divideConquerMinSize ? divideConquerVectors(w, m, n, opts.threads) : qrVectors(w, m, n, opts.threads);
  for (let i = 0; i < s.length; i++) s[i] /= scale;
  return wide ? { s, U: V, V: U } : { s, U, V };
}

/**
 * Vectors by divide and conquer: B = U_B·Σ·V_Bᵀ (bidiagDivideConquer.ts), then U = Q_L·[U_B; 0]
 * and V = Q_R·V_B by blocked reflectors, the products on the gemm kernel (in TypeScript below
 * KERNEL_MIN_ENTRIES) and over the threads for large matrices.
 */
function divideConquerVectors(w: Float64Array, m: number, n: number, threads?: number): { s: Float64Array; U: Matrix64; V: Matrix64 } {
  // the products' memory and threads first: the helpers boot while the reduction runs
  const kp = m * n >= KERNEL_MIN_ENTRIES ? kernelProducts(m, n, SVD_REFLECTOR_BLOCK, m * n >= THREADED_MIN_ENTRIES ? linalgThreads(threads) : 1) : null;
  try {
    const bd = bidiagonalize(w, m, n, { threads });
    return backTransformed(w, m, n, bd, kp);
  } finally {
    kp?.close();
  }
}

function backTransformed(w: Float64Array, m: number, n: number, bd: Bidiagonal, kp: KernelProducts | null): { s: Float64Array; U: Matrix64; V: Matrix64 } {
  const products = kp ?? jsProducts();
  const b = bidiagDc(bd.d, bd.e, { products });
  // the vectors as rows, in descending σ order: Uᵀ = [U_Bᵀ 0] (n×m) and V_Bᵀ (n×n); column j of
  // the column-major U_B, V_B is row j of their transposes
  const order = descending(b.s);
  const ut = kp ? kp.u : new Float64Array(n * m), vt = kp ? kp.v : new Float64Array(n * n);
  order.forEach((src, j) => { ut.set(b.U.subarray(src * n, src * n + n), j * m); vt.set(b.V.subarray(src * n, src * n + n), j * n); });
  applyReflectors(ut, n, m, n, { a: w, ld: n, by: 'columns', tau: bd.tauL }, products, SVD_REFLECTOR_BLOCK);
  applyReflectors(vt, n, n, Math.max(0, n - 2), { a: w, ld: n, by: 'rows', tau: bd.tauR }, products, SVD_REFLECTOR_BLOCK);
  return { s: Float64Array.from(order, (i) => b.s[i]), U: transposed(ut, n, m), V: transposed(vt, n, n) };
}

/**
 * Vectors of a small problem (n < DIVIDE_CONQUER_MIN_SIZE): Uᵀ and Vᵀ formed from the reflectors,
 * then every rotation of the bidiagonal QR iteration applied to their rows (as SIMD sweeps in a
 * kernel memory from KERNEL_MIN_ENTRIES, split over the threads for tall matrices).
 */
function qrVectors(w: Float64Array, m: number, n: number, threads?: number): { s: Float64Array; U: Matrix64; V: Matrix64 } {
  const { d, e, tauL, tauR } = bidiagonalize(w, m, n, { threads });
  const mem = m * n >= KERNEL_MIN_ENTRIES ? rotationMemory([n * m, n * n, m], n, m * n, threads) : null;
  let ut: Float64Array, vt: Float64Array;
  try {
    const team = mem?.rw.team;
    ut = formUt(w, m, n, tauL, mem && { k: mem.rw.k, out: mem.arrays[0], scratch: mem.arrays[2], team });
    vt = formVt(w, n, tauR, mem && { k: mem.rw.k, out: mem.arrays[1], scratch: mem.arrays[2], team });
    bidiagQr(d, e, ut, m, vt, mem?.rw);
  } finally {
    mem?.rw.team?.close();
  }
  const order = descending(d);
  return { s: Float64Array.from(order, (i) => d[i]), U: gatherColumns(ut, m, order), V: gatherColumns(vt, n, order) };
}
