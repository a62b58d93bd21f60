/**
 * Orthonormal bases in float64: completing a set of orthonormal columns to a full basis, and
 * random orthogonal matrices (Haar, by Gram–Schmidt of a Gaussian matrix).
 */
import { matrix64, type Matrix64 } from './matrix.ts';

/** Modified Gram–Schmidt (two passes) on columns; columns whose remainder is below `tol` are dropped. */
function gramSchmidt(cols: Float64Array[], tol: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (const c of cols) {
    const v = Float64Array.from(c);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of out) {
        let d = 0; for (let i = 0; i < v.length; i++) d += u[i] * v[i];
        for (let i = 0; i < v.length; i++) v[i] -= d * u[i];
      }
    }
    let nv = 0; for (const x of v) nv += x * x;
    nv = Math.sqrt(nv);
    if (nv > tol) out.push(v.map((x) => x / nv));
  }
  return out;
}

function columnsOf(a: Matrix64): Float64Array[] {
  return Array.from({ length: a.cols }, (_, j) => Float64Array.from({ length: a.rows }, (_, i) => a.data[i * a.cols + j]));
}

function packColumns(cols: Float64Array[], rows: number): Matrix64 {
  const out = matrix64(rows, cols.length);
  cols.forEach((c, j) => { for (let i = 0; i < rows; i++) out.data[i * cols.length + j] = c[i]; });
  return out;
}

/**
 * An n×n orthogonal matrix whose first columns span the columns of `a` (n×k, assumed
 * orthonormal or at least independent); the rest complete the basis.
 */
export function completeBasis(a: Matrix64): Matrix64 {
  const n = a.rows;
  const cols = gramSchmidt(columnsOf(a), 1e-10);
  const unit = Array.from({ length: n }, (_, i) => { const e = new Float64Array(n); e[i] = 1; return e; });
  const full = gramSchmidt([...cols, ...unit], 1e-8);
  if (full.length < n) throw new Error(`completeBasis: could only build ${full.length} of ${n} columns`);
  return packColumns(full.slice(0, n), n);
}

/** A Haar-random n×n orthogonal matrix from `normal()` draws. */
export function randomOrthogonal(n: number, rng: { normal(): number }): Matrix64 {
  const g = matrix64(n, n);
  for (let i = 0; i < g.data.length; i++) g.data[i] = rng.normal();
  const cols = gramSchmidt(columnsOf(g), 1e-10);
  if (cols.length < n) return randomOrthogonal(n, rng);
  return packColumns(cols, n);
}

/**
 * An orthonormal basis of the column space of `a` (rows × r, r ≤ cols): `gramSchmidt` of its
 * columns, dropping each column whose remainder has norm ≤ `tol`. r is the numerical rank at `tol`.
 */
export function orthonormalBasis(a: Matrix64, tol: number): Matrix64 {
  return packColumns(gramSchmidt(columnsOf(a), tol), a.rows);
}

/**
 * Orthonormal columns spanning those of the rows×cols matrix `a` (the Q of its thin QR, by
 * modified Gram–Schmidt applied twice). The one orthogonalisation the node library uses; throws
 * when a column is linearly dependent on the previous ones.
 */
export function orthonormalColumns(a: Matrix64): Matrix64 {
  const cols = gramSchmidt(columnsOf(a), 1e-12);
  if (cols.length < a.cols) throw new Error(`orthonormalColumns: the ${a.rows}×${a.cols} matrix has linearly dependent columns (only ${cols.length} independent)`);
  return packColumns(cols, a.rows);
}

/** A random rows×cols matrix with orthonormal columns: `orthonormalColumns` of a Gaussian matrix drawn column by column. */
export function randomOrthonormal(rows: number, cols: number, rng: { normal(): number }): Matrix64 {
  const g = matrix64(rows, cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) g.data[i * cols + j] = rng.normal();
  return orthonormalColumns(g);
}
