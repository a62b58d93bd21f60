/**
 * The fast decompositions behind `svd` and `symEig`: Householder reduction to bidiagonal /
 * tridiagonal form (one streaming pass per step, see bidiag.ts and tridiag.ts), then implicit-
 * shift QR (bidiagonal) or QL (tridiagonal). Vectors are formed from the stored reflectors and
 * rotated as contiguous rows. Tested against the Jacobi reference in jacobi.ts.
 */
import { matrix64, type Matrix64 } from './matrix.ts';
import type { EigResult, SvdResult } from './jacobi.ts';
import { bidiagonalize, formUt, formVt, type Bidiagonal } from './bidiag.ts';
import { bidiagSvd } from './bdsqr.ts';
import { bidiagValues } from './dqds.ts';
import { bidiagDc } from './bdsdc.ts';
import { applyReflectors, WY_BLOCK } from './backTransform.ts';
import { jsProducts, kernelProducts, type KernelProducts } from './dcProducts.ts';
import { tridiagonalize, formQt, tql } from './tridiag.ts';
import { kernelArrays, kernelModule, type RotationWork } from './wasmKernel.ts';
import { linalgThreads, startTeam, THREADED_MIN_ENTRIES } from './threads.ts';
import { dcEigenvectors, dcWorkspace, eigMethod, type EigMethod } from './symEigDc.ts';

/**
 * Arrays of the given lengths in one kernel memory, plus the rotation workspace (four length-n
 * arrays) and, for matrices of at least THREADED_MIN_ENTRIES entries, helper threads. The caller
 * closes the team.
 */
function vectorMemory(lengths: number[], n: number, entries: number, threads?: number): { arrays: Float64Array[]; rw: RotationWork } | null {
  const mem = kernelArrays([...lengths, n, n, n, n]);
  const module = kernelModule();
  if (!mem || !module) return null;
  const size = entries >= THREADED_MIN_ENTRIES ? linalgThreads(threads) : 1;
  const team = size > 1 ? startTeam(module, mem.k.memory, size) : null;
  const [cs, sn, cs2, sn2] = mem.arrays.slice(lengths.length);
  return { arrays: mem.arrays.slice(0, lengths.length), rw: { k: mem.k, team, cs, sn, cs2, sn2 } };
}

/**
 * Sums of squares overflow above ~1e154 and underflow below ~1e-154: scale the entries by a power
 * of two (exact) so the largest is about 1 when they are outside [2^-400, 2^400]. Returns the
 * factor applied (1 when none).
 */
function safeScale(w: Float64Array): number {
  const f = scaleFactor(w);
  if (f !== 1) for (let i = 0; i < w.length; i++) w[i] *= f;
  return f;
}

/** The power of two that safeScale would multiply w by (1 when none). */
function scaleFactor(w: Float64Array): number {
  let big = 0;
  for (let i = 0; i < w.length; i++) { const x = Math.abs(w[i]); if (x > big) big = x; }
  if (big === 0 || (big > 2 ** -400 && big < 2 ** 400)) return 1;
  return 2 ** -Math.round(Math.log2(big));
}

function descending(x: Float64Array): number[] {
  return Array.from(x, (_, i) => i).sort((i, j) => x[j] - x[i]);
}

/** Columns of the result are rows `order` of `rowsT` (k rows of length len). */
function gatherColumns(rowsT: Float64Array, len: number, order: number[]): Matrix64 {
  const k = order.length, out = matrix64(len, k);
  order.forEach((src, dst) => { const o = src * len; for (let i = 0; i < len; i++) out.data[i * k + dst] = rowsT[o + i]; });
  return out;
}

/**
 * How `svd` computes singular vectors: 'qr' accumulates every bidiagonal QR rotation into the
 * vectors; 'dc' solves the bidiagonal problem by divide and conquer (bdsdc.ts) and applies the
 * reflectors in blocks (backTransform.ts). Singular values alone always use QR.
 */
export type SvdMethod = 'qr' | 'dc';

export interface SvdOptions { vectors?: boolean; threads?: number; method?: SvdMethod }

/**
 * Smallest min(rows, cols) for which svd's vectors default to divide and conquer. Measured side by
 * side on the 2-core machine (bench/svdVectors.ts; README.md): the two methods tie up to
 * about 128 (a few ms either way), divide and conquer takes 0.7–0.9× the QR path's time at
 * 192–256 and about 0.5–0.7× from 512 (square, tall and wide).
 */
const DC_MIN_SIZE = 128;

/** The method `svd(a, {vectors: true})` uses for `a` when none is given. */
export function defaultSvdMethod(a: { rows: number; cols: number }): SvdMethod {
  return Math.min(a.rows, a.cols) >= DC_MIN_SIZE ? 'dc' : 'qr';
}

export function householderSvd(a: Matrix64, opts: SvdOptions = {}): SvdResult {
  if (opts.method !== undefined && opts.method !== 'qr' && opts.method !== 'dc') {
    throw new Error(`svd: method must be 'qr' or 'dc' but got ${JSON.stringify(opts.method)}`);
  }
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
  if (opts.vectors && (opts.method ?? defaultSvdMethod(a)) === 'dc') {
    // the products' memory and threads first: the helpers boot while the reduction runs
    const kp = m * n >= 4096 ? kernelProducts(m, n, WY_BLOCK, m * n >= THREADED_MIN_ENTRIES ? linalgThreads(opts.threads) : 1) : null;
    try {
      const { d, e, tauL, tauR } = bidiagonalize(w, m, n, { threads: opts.threads });
      const { s, U, V } = dcVectors(w, m, n, { d, e, tauL, tauR }, scale, kp);
      return wide ? { s, U: V, V: U } : { s, U, V };
    } finally {
      kp?.close();
    }
  }
  const { d, e, tauL, tauR } = bidiagonalize(w, m, n, { threads: opts.threads, readOnly });
  // vectors live in a WebAssembly memory when the matrix is large enough for the SIMD kernels
  const mem = opts.vectors && m * n >= 4096 ? vectorMemory([n * m, n * n, m], n, m * n, opts.threads) : null;
  let ut: Float64Array | undefined, vt: Float64Array | undefined;
  try {
    const team = mem?.rw.team;
    ut = opts.vectors ? formUt(w, m, n, tauL, mem && { k: mem.rw.k, out: mem.arrays[0], scratch: mem.arrays[2], team }) : undefined;
    vt = opts.vectors ? formVt(w, n, tauR, mem && { k: mem.rw.k, out: mem.arrays[1], scratch: mem.arrays[2], team }) : undefined;
    if (opts.vectors) bidiagSvd(d, e, ut, m, vt, mem?.rw); else bidiagValues(d, e); // values only: dqds (dqds.ts)
  } finally {
    mem?.rw.team?.close();
  }
  const order = descending(d);
  const s = Float64Array.from(order, (i) => d[i] / scale);
  if (!opts.vectors) return { s };
  const Ut = gatherColumns(ut!, m, order), Vt = gatherColumns(vt!, n, order);
  return wide ? { s, U: Vt, V: Ut } : { s, U: Ut, V: Vt };
}

/**
 * Singular vectors by divide and conquer: B = U_B·Σ·V_Bᵀ (bdsdc.ts), then U = Q_L·[U_B; 0] and
 * V = Q_R·V_B by blocked reflectors. `w` holds the reflectors as bidiagonalize left them; the
 * products run on `kp` (the caller closes it), or in TypeScript when it is null.
 */
function dcVectors(w: Float64Array, m: number, n: number, bd: Pick<Bidiagonal, 'd' | 'e' | 'tauL' | 'tauR'>, scale: number, kp: KernelProducts | null): { s: Float64Array; U: Matrix64; V: Matrix64 } {
  const products = kp ?? jsProducts();
  const b = bidiagDc(bd.d, bd.e, { products });
  // the vectors as rows, in descending σ order: Uᵀ = [U_Bᵀ 0] (n×m) and V_Bᵀ (n×n); column j of
  // the column-major U_B, V_B is row j of their transposes
  const order = descending(b.s);
  const ut = kp ? kp.u : new Float64Array(n * m), vt = kp ? kp.v : new Float64Array(n * n);
  order.forEach((src, j) => { ut.set(b.U.subarray(src * n, src * n + n), j * m); vt.set(b.V.subarray(src * n, src * n + n), j * n); });
  applyReflectors(ut, n, m, n, { a: w, ld: n, by: 'columns', tau: bd.tauL }, products);
  applyReflectors(vt, n, n, Math.max(0, n - 2), { a: w, ld: n, by: 'rows', tau: bd.tauR }, products);
  const s = Float64Array.from(order, (i) => b.s[i] / scale);
  return { s, U: transposed(ut, n, m), V: transposed(vt, n, n) };
}

/** The transpose (cols × rows) of the rows×cols row-major x, in 32×32 tiles so both sides stay in cache. */
function transposed(x: Float64Array, rows: number, cols: number): Matrix64 {
  const out = matrix64(cols, rows), o = out.data, T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(rows, i0 + T);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(cols, j0 + T);
      for (let i = i0; i < i1; i++) {
        const src = i * cols;
        for (let j = j0; j < j1; j++) o[j * rows + i] = x[src + j];
      }
    }
  }
  return out;
}

export function householderSymEig(a: Matrix64, opts: { vectors?: boolean; threads?: number; block?: number; method?: EigMethod } = {}): EigResult {
  if (a.rows !== a.cols) throw new Error(`symEig: matrix must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const method = eigMethod(n, opts.method);
  if (n === 0) return opts.vectors ? { values: new Float64Array(0), vectors: matrix64(0, 0) } : { values: new Float64Array(0) };
  // Symmetric input: read the upper triangle (as Jacobi does) into the lower one.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    const x = a.data[j * n + i];
    if (!Number.isFinite(x)) throw new Error(`symEig: matrix has a non-finite entry (${x}) at (${j}, ${i})`);
    w[i * n + j] = x;
  }
  const scale = safeScale(w);
  if (opts.vectors && method === 'dc') {
    const ws = dcWorkspace(n, opts.threads); // its threads start while the reduction runs
    try {
      const { d, e, tau } = tridiagonalize(w, n, { threads: opts.threads, block: opts.block });
      const zt = dcEigenvectors(w, n, d, e, tau, ws); // rows are the eigenvectors
      const order = descending(d);
      return { values: Float64Array.from(order, (i) => d[i] / scale), vectors: gatherColumns(zt, n, order) };
    } finally {
      ws.close();
    }
  }
  const { d, e, tau } = tridiagonalize(w, n, { threads: opts.threads, block: opts.block });
  const mem = opts.vectors && n * n >= 4096 ? vectorMemory([n * n, n], n, n * n, opts.threads) : null;
  let qt: Float64Array | undefined;
  try {
    qt = opts.vectors ? formQt(w, n, tau, mem && { k: mem.rw.k, out: mem.arrays[0], scratch: mem.arrays[1], team: mem.rw.team }) : undefined;
    tql(d, e, qt, mem?.rw);
  } finally {
    mem?.rw.team?.close();
  }
  const order = descending(d);
  const values = Float64Array.from(order, (i) => d[i] / scale);
  return opts.vectors ? { values, vectors: gatherColumns(qt!, n, order) } : { values };
}
