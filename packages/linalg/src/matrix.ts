/**
 * A dense float64 matrix on the CPU, row-major: the value every function of this package takes
 * and returns.
 */

export interface Matrix64 {
  readonly rows: number;
  readonly cols: number;
  /** Row-major: element (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;
}

export function matrix64(rows: number, cols: number, data?: ArrayLike<number>): Matrix64 {
  if (data && data.length !== rows * cols) {
    throw new Error(`matrix64: ${rows}×${cols} needs ${rows * cols} values, got ${data.length}`);
  }
  return { rows, cols, data: data ? Float64Array.from(data) : new Float64Array(rows * cols) };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix64 {
  const r = rows.length;
  const c = r ? rows[0].length : 0;
  const m = matrix64(r, c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new Error(`fromRows: row ${i} has ${row.length} values, expected ${c}`);
    m.data.set(row, i * c);
  });
  return m;
}

export function transpose(m: Matrix64): Matrix64 {
  const out = matrix64(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j];
  return out;
}

/** C = A·B in float64 (i-k-j loop order for row-major locality). */
export function matmul(a: Matrix64, b: Matrix64): Matrix64 {
  if (a.cols !== b.rows) throw new Error(`matmul: inner dimensions differ (${a.rows}×${a.cols} · ${b.rows}×${b.cols})`);
  const out = matrix64(a.rows, b.cols);
  const A = a.data, B = b.data, C = out.data, n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    const ci = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = A[i * a.cols + k];
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) C[ci + j] += aik * B[bk + j];
    }
  }
  return out;
}

export function identity(n: number): Matrix64 {
  const m = matrix64(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}
