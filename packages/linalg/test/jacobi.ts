/**
 * The test oracle: float64 decompositions by Jacobi rotations, slow (O(n³) per sweep, ~6–10
 * sweeps) but accurate to high relative precision, including small singular values, and sharing
 * no code with the package's methods. The tests check `svd` and `symEig` against them; they are
 * not part of the package's API.
 */
import { matrix64, type Matrix64 } from '../src/matrix.ts';
import { EPS } from '../src/constants.ts';
import type { EigResult, SvdResult } from '../src/results.ts';

/** One-sided (Hestenes) Jacobi SVD. */
export function jacobiSvd(a: Matrix64, opts: { vectors?: boolean } = {}): SvdResult {
  const wide = a.rows < a.cols;
  const m = wide ? a.cols : a.rows; // work on the tall orientation
  const n = wide ? a.rows : a.cols;
  // cols[j] is column j of the tall matrix, contiguous.
  const cols: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const c = new Float64Array(m);
    for (let i = 0; i < m; i++) c[i] = wide ? a.data[j * a.cols + i] : a.data[i * a.cols + j];
    cols.push(c);
  }
  const vecs: Float64Array[] = [];
  for (let j = 0; j < n; j++) { const v = new Float64Array(n); v[j] = 1; vecs.push(v); }
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const cp = cols[p];
      for (let q = p + 1; q < n; q++) {
        const cq = cols[q];
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < m; i++) { alpha += cp[i] * cp[i]; beta += cq[i] * cq[i]; gamma += cp[i] * cq[i]; }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let i = 0; i < m; i++) { const x = cp[i], y = cq[i]; cp[i] = c * x - s * y; cq[i] = s * x + c * y; }
        const vp = vecs[p], vq = vecs[q];
        for (let i = 0; i < n; i++) { const x = vp[i], y = vq[i]; vp[i] = c * x - s * y; vq[i] = s * x + c * y; }
      }
    }
    if (!rotated) break;
  }
  const norms = cols.map((c) => Math.sqrt(c.reduce((acc, x) => acc + x * x, 0)));
  const order = norms.map((_, i) => i).sort((i, j) => norms[j] - norms[i]);
  const s = Float64Array.from(order, (i) => norms[i]);
  if (!opts.vectors) return { s };
  // Left vectors are the normalised columns; for σ = 0 complete to an orthonormal set.
  const left = order.map((i) => norms[i] > 0 ? cols[i].map((x) => x / norms[i]) : new Float64Array(m));
  completeOrthonormal(left, order.map((i) => norms[i] > s[0] * m * EPS));
  const right = order.map((i) => vecs[i]);
  const U = packColumns(wide ? right : left, wide ? n : m);
  const V = packColumns(wide ? left : right, wide ? m : n);
  return { s, U, V };
}

/** Replace the columns not marked `good` by unit vectors orthogonal to all others (Gram–Schmidt). */
function completeOrthonormal(columns: Float64Array[], good: boolean[]): void {
  const m = columns[0]?.length ?? 0;
  let basis = 0;
  for (let j = 0; j < columns.length; j++) {
    if (good[j]) continue;
    for (; basis < m; basis++) {
      const v = new Float64Array(m); v[basis] = 1;
      for (let k = 0; k < columns.length; k++) {
        if (k === j || (!good[k] && k > j)) continue;
        const u = columns[k];
        let d = 0; for (let i = 0; i < m; i++) d += u[i] * v[i];
        for (let i = 0; i < m; i++) v[i] -= d * u[i];
      }
      const nv = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0));
      if (nv > 1e-8) { columns[j] = v.map((x) => x / nv); good[j] = true; basis++; break; }
    }
  }
}

function packColumns(columns: Float64Array[], rows: number): Matrix64 {
  const out = matrix64(rows, columns.length);
  columns.forEach((c, j) => { for (let i = 0; i < rows; i++) out.data[i * columns.length + j] = c[i]; });
  return out;
}

/** Cyclic Jacobi eigendecomposition of a symmetric matrix (only the upper triangle is read). */
export function jacobiSymEig(a: Matrix64, opts: { vectors?: boolean } = {}): EigResult {
  if (a.rows !== a.cols) throw new Error(`symEig: matrix must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) { const x = a.data[i * n + j]; A[i * n + j] = x; A[j * n + i] = x; }
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < n; i++) { diag += A[i * n + i] ** 2; for (let j = i + 1; j < n; j++) off += A[i * n + j] ** 2; }
    if (off <= EPS * EPS * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let k = 0; k < n; k++) { // columns p, q
          const akp = A[k * n + p], akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq; A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) { // rows p, q
          const apk = A[p * n + k], aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk; A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq; V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const d = Array.from({ length: n }, (_, i) => A[i * n + i]);
  const order = d.map((_, i) => i).sort((i, j) => d[j] - d[i]);
  const values = Float64Array.from(order, (i) => d[i]);
  if (!opts.vectors) return { values };
  const vectors = matrix64(n, n);
  order.forEach((src, dst) => { for (let k = 0; k < n; k++) vectors.data[k * n + dst] = V[k * n + src]; });
  return { values, vectors };
}
