/**
 * The fast decompositions behind `svd` and `symEig`: Householder reduction to bidiagonal /
 * tridiagonal form (one streaming pass per step, see bidiag.ts and tridiag.ts), then implicit-
 * shift QR (bidiagonal) or QL (tridiagonal). Vectors are formed from the stored reflectors and
 * rotated as contiguous rows. Tested against the Jacobi reference in jacobi.ts.
 */
import { matrix64, type Matrix64 } from './matrix.ts';
import type { EigResult, SvdResult } from './jacobi.ts';
import { bidiagonalize, formUt, formVt } from './bidiag.ts';
import { bidiagSvd } from './bdsqr.ts';
import { bidiagValues } from './dqds.ts';
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

export function householderSvd(a: Matrix64, opts: { vectors?: boolean; threads?: number } = {}): SvdResult {
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
