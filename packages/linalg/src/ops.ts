/**
 * Small float64 matrix helpers on `Matrix64` (elementwise arithmetic, norms, traces, blocks).
 * Each returns a new matrix; inputs are never modified.
 */
import { matrix64, type Matrix64 } from './matrix.ts';

function sameShape(a: Matrix64, b: Matrix64, op: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`${op}: shapes differ (${a.rows}×${a.cols} vs ${b.rows}×${b.cols})`);
}

/** a + k·b. */
export function addScaled(a: Matrix64, b: Matrix64, k = 1): Matrix64 {
  sameShape(a, b, 'addScaled');
  const out = matrix64(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i] + k * b.data[i];
  return out;
}

export const add = (a: Matrix64, b: Matrix64): Matrix64 => addScaled(a, b, 1);
export const sub = (a: Matrix64, b: Matrix64): Matrix64 => addScaled(a, b, -1);

export function scale(a: Matrix64, k: number): Matrix64 {
  const out = matrix64(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = k * a.data[i];
  return out;
}

/** Frobenius norm. */
export function frobNorm(a: Matrix64): number {
  let s = 0;
  for (const x of a.data) s += x * x;
  return Math.sqrt(s);
}

/** Frobenius inner product Σ a_ij b_ij. */
export function frobDot(a: Matrix64, b: Matrix64): number {
  sameShape(a, b, 'frobDot');
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i];
  return s;
}

export function trace(a: Matrix64): number {
  let s = 0;
  for (let i = 0; i < Math.min(a.rows, a.cols); i++) s += a.data[i * a.cols + i];
  return s;
}

/** The rows r0..r1-1 and columns c0..c1-1 of a. */
export function block(a: Matrix64, r0: number, r1: number, c0: number, c1: number): Matrix64 {
  const out = matrix64(r1 - r0, c1 - c0);
  for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) out.data[(i - r0) * out.cols + (j - c0)] = a.data[i * a.cols + j];
  return out;
}

/** Assemble a block matrix from a grid of blocks (every block in a row has the same height). */
export function fromBlocks(grid: Matrix64[][]): Matrix64 {
  const rows = grid.reduce((n, row) => n + row[0].rows, 0);
  const cols = grid[0].reduce((n, b) => n + b.cols, 0);
  const out = matrix64(rows, cols);
  let r0 = 0;
  for (const row of grid) {
    let c0 = 0;
    for (const b of row) {
      if (b.rows !== row[0].rows) throw new Error('fromBlocks: blocks in one row must have the same height');
      for (let i = 0; i < b.rows; i++) for (let j = 0; j < b.cols; j++) out.data[(r0 + i) * cols + c0 + j] = b.data[i * b.cols + j];
      c0 += b.cols;
    }
    if (c0 !== cols) throw new Error('fromBlocks: rows of blocks have different total widths');
    r0 += row[0].rows;
  }
  return out;
}

/** A diagonal matrix (rows×cols, default square) with `d` on the diagonal. */
export function diag(d: ArrayLike<number>, rows = d.length, cols = rows): Matrix64 {
  const out = matrix64(rows, cols);
  for (let i = 0; i < Math.min(d.length, rows, cols); i++) out.data[i * cols + i] = d[i];
  return out;
}

/** max |a_ij − b_ij| / max(max |b_ij|, tiny): a scale-aware relative error. */
export function relError(a: Matrix64, b: Matrix64): number {
  sameShape(a, b, 'relError');
  let num = 0, den = 0;
  for (let i = 0; i < a.data.length; i++) { num = Math.max(num, Math.abs(a.data[i] - b.data[i])); den = Math.max(den, Math.abs(b.data[i])); }
  return num / Math.max(den, 1e-300);
}
