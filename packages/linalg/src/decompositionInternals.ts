/** What the SVD and the symmetric eigendecomposition drivers (svd.ts, symEig.ts) share. */
import { matrix64, type Matrix64 } from './matrix.ts';
import { kernelArrays, kernelModule } from './wasmKernel.ts';
import { linalgThreads, startTeam, type RotationWork } from './threads.ts';
import { SAFE_SCALE_EXPONENT, THREADED_MIN_ENTRIES } from './constants.ts';

/**
 * Arrays of the given lengths in one kernel memory, plus the rotation workspace (four length-n
 * arrays) and, for matrices of at least THREADED_MIN_ENTRIES entries, helper threads: where the
 * QR/QL iteration rotates explicitly formed vectors. The caller closes the team.
 */
export function rotationMemory(lengths: number[], n: number, entries: number, threads?: number): { arrays: Float64Array[]; rw: RotationWork } | null {
  const mem = kernelArrays([...lengths, n, n, n, n]);
  const module = kernelModule();
  if (!mem || !module) return null;
  const size = entries >= THREADED_MIN_ENTRIES ? linalgThreads(threads) : 1;
  const team = size > 1 ? startTeam(module, mem.k.memory, size) : null;
  const [cs, sn, cs2, sn2] = mem.arrays.slice(lengths.length);
  return { arrays: mem.arrays.slice(0, lengths.length), rw: { k: mem.k, team, cs, sn, cs2, sn2 } };
}

/**
 * The power of two that brings the largest |entry| of w to about 1 when it lies outside
 * [2^−SAFE_SCALE_EXPONENT, 2^SAFE_SCALE_EXPONENT] (sums of squares would overflow or underflow);
 * 1 otherwise. Exact: scaling by it changes no digit.
 */
export function scaleFactor(w: Float64Array): number {
  let big = 0;
  for (let i = 0; i < w.length; i++) { const x = Math.abs(w[i]); if (x > big) big = x; }
  if (big === 0 || (big > 2 ** -SAFE_SCALE_EXPONENT && big < 2 ** SAFE_SCALE_EXPONENT)) return 1;
  return 2 ** -Math.round(Math.log2(big));
}

/** Indices of x in descending order of their values. */
export function descending(x: Float64Array): number[] {
  return Array.from(x, (_, i) => i).sort((i, j) => x[j] - x[i]);
}

/** Columns of the result are rows `order` of `rowsT` (k rows of length len). */
export function gatherColumns(rowsT: Float64Array, len: number, order: number[]): Matrix64 {
  const k = order.length, out = matrix64(len, k);
  order.forEach((src, dst) => { const o = src * len; for (let i = 0; i < len; i++) out.data[i * k + dst] = rowsT[o + i]; });
  return out;
}

/** The transpose (cols × rows) of the rows×cols row-major x, in 32×32 tiles so both sides stay in cache. */
export function transposed(x: Float64Array, rows: number, cols: number): Matrix64 {
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
