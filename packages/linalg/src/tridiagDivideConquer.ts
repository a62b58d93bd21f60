/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by divide and conquer (Cuppen's
 * method with the Gu–Eisenstat eigenvectors, as LAPACK's dstedc / dlaed0–dlaed4).
 *
 * Divide: T = diag(T₁, T₂) + |β|·u·uᵀ, where β is the off-diagonal entry between the halves,
 * u = e_last(T₁) + sign(β)·e_first(T₂), and T₁, T₂ have |β| subtracted from their corner diagonal
 * entries. Blocks of at most DIVIDE_CONQUER_LEAF rows are solved by implicit QL (tridiagQl.ts).
 *
 * Conquer (merge): with T₁ = Q₁Λ₁Q₁ᵀ, T₂ = Q₂Λ₂Q₂ᵀ,
 *   T = diag(Q₁, Q₂) · (diag(Λ₁, Λ₂) + ρ·z·zᵀ) · diag(Q₁, Q₂)ᵀ,
 *   z = (last row of Q₁, sign(β)·first row of Q₂)/√2, ρ = 2|β|.
 * Deflation (dlaed2): a component with ρ|z_i| ≤ tol leaves (λ_i, column i) as an eigenpair; two
 * poles closer than tol (after a Givens rotation that moves z's weight onto one of them: |t·c·s| ≤
 * tol) leave the rotated other one; tol = 8ε·max(|D|, |z|). The K remaining poles are distinct and
 * have nonzero weights: the secular equation (tridiagSecular.ts) gives the K new eigenvalues and the
 * differences δ_ij = d_i − λ_j. The weights are then recomputed from the roots (Löwner's formula,
 * Gu–Eisenstat): ρ·ẑ_i² = −Π_j δ_ij / Π_{j≠i} (d_i − d_j), so that the computed roots are the exact
 * eigenvalues of a nearby problem, and the eigenvectors u_j = (ẑ_i/δ_ij)_i/‖·‖ are orthogonal to
 * working precision. The merged vectors are diag(Q₁, Q₂)·U: one matrix product (gemm.ts) for the
 * top rows and one for the bottom rows, each over only the basis columns that are nonzero there
 * (the columns are grouped: from Q₁ only, mixed by a deflation rotation, from Q₂ only).
 *
 * Off-diagonal entries with |e_i| ≤ ε·√|d_i|·√|d_{i+1}| split T into independent blocks first.
 */
import { tql } from './tridiagQl.ts';
import { gemm, type GemmWork } from './gemm.ts';
import { secularRoot } from './tridiagSecular.ts';
import { DIVIDE_CONQUER_LEAF, UNIT_ROUNDOFF } from './constants.ts';


/** Work arrays for tridiagDc: three N×N arrays (the eigenvectors q, and two scratch), with gemm kernels when they share a kernel memory. */
export interface TridiagDcArrays { q: Float64Array; qw: Float64Array; u: Float64Array; work: GemmWork | null }

/** The arrays plus a K×K scratch of differences d_i − λ_j shared by the merges (allocated once per call). */
interface MergeArrays extends TridiagDcArrays { delta: Float64Array }

/**
 * Diagonalise the symmetric tridiagonal T (diagonal d, off-diagonal e[i] = T[i+1, i]; e is
 * overwritten): on return d holds the eigenvalues and the columns of `q` (N×N, row-major) the
 * eigenvectors. Eigenvalues are ascending within each block T splits into (not across blocks).
 */
export function tridiagDc(d: Float64Array, e: Float64Array, arrays: TridiagDcArrays): void {
  const N = d.length, { q } = arrays;
  q.fill(0, 0, N * N);
  if (N === 0) return;
  // scale so that the largest entry is 1 (as dstedc): no overflow in the secular sums
  let big = 0;
  for (let i = 0; i < N; i++) big = Math.max(big, Math.abs(d[i]), i < N - 1 ? Math.abs(e[i]) : 0);
  if (big === 0) { for (let i = 0; i < N; i++) q[i * N + i] = 1; return; }
  for (let i = 0; i < N; i++) { d[i] /= big; if (i < N - 1) e[i] /= big; }
  let start = 0;
  const A: MergeArrays = { ...arrays, delta: new Float64Array(N > DIVIDE_CONQUER_LEAF ? N * N : 0) };
  for (let i = 0; i < N; i++) {
    if (i < N - 1 && Math.abs(e[i]) > UNIT_ROUNDOFF * Math.sqrt(Math.abs(d[i])) * Math.sqrt(Math.abs(d[i + 1]))) continue;
    solve(d, e, A, N, start, i + 1 - start);
    start = i + 1;
  }
  for (let i = 0; i < N; i++) d[i] *= big;
}

/** Rows/columns s..s+n−1: eigenvalues ascending into d[s..], eigenvectors into that diagonal block of q. */
function solve(d: Float64Array, e: Float64Array, A: MergeArrays, N: number, s: number, n: number): void {
  if (n <= DIVIDE_CONQUER_LEAF) { smallBlock(d, e, A.q, N, s, n); return; }
  const n1 = n >> 1, beta = e[s + n1 - 1];
  d[s + n1 - 1] -= Math.abs(beta);
  d[s + n1] -= Math.abs(beta);
  solve(d, e, A, N, s, n1);
  solve(d, e, A, N, s + n1, n - n1);
  merge(d, A, N, s, n1, n - n1, beta);
}

/** Implicit QL on a small block, its eigenpairs sorted ascending. */
function smallBlock(d: Float64Array, e: Float64Array, q: Float64Array, N: number, s: number, n: number): void {
  const dd = d.slice(s, s + n), ee = new Float64Array(n), zt = new Float64Array(n * n);
  for (let i = 0; i < n - 1; i++) ee[i] = e[s + i];
  for (let i = 0; i < n; i++) zt[i * n + i] = 1;
  tql(dd, ee, zt);
  const order = Array.from(dd, (_, i) => i).sort((x, y) => dd[x] - dd[y]);
  order.forEach((src, c) => {
    d[s + c] = dd[src];
    for (let r = 0; r < n; r++) q[(s + r) * N + s + c] = zt[src * n + r];
  });
}

/** Permute the columns of the rows×cols block at `off` (rows ld apart): new column c = old column from[c]. */
function permuteColumns(x: Float64Array, off: number, ld: number, rows: number, cols: number, from: ArrayLike<number>): void {
  const tmp = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = off + r * ld;
    for (let c = 0; c < cols; c++) tmp[c] = x[o + from[c]];
    x.set(tmp, o);
  }
}

/** Merge the solved halves [s, s+n1) and [s+n1, s+n) (see the file comment). */
function merge(d: Float64Array, A: MergeArrays, N: number, s: number, n1: number, n2: number, beta: number): void {
  const { q, qw, u, work, delta } = A;
  const n = n1 + n2;
  const rho = 2 * Math.abs(beta), sign = beta < 0 ? -1 : 1;
  const z = new Float64Array(n), D = d.slice(s, s + n);
  for (let i = 0; i < n1; i++) z[i] = q[(s + n1 - 1) * N + s + i] * Math.SQRT1_2;
  for (let i = 0; i < n2; i++) z[n1 + i] = sign * q[(s + n1) * N + s + n1 + i] * Math.SQRT1_2;
  // the basis diag(Q₁, Q₂) as a dense n×n block of qw
  for (let r = 0; r < n; r++) {
    qw.fill(0, r * n, r * n + n);
    const src = r < n1 ? (s + r) * N + s : (s + r) * N + s + n1;
    qw.set(q.subarray(src, src + (r < n1 ? n1 : n2)), r * n + (r < n1 ? 0 : n1));
  }
  // poles in increasing order (each half is already sorted)
  const sorted: number[] = [];
  for (let i = 0, k = n1; i < n1 || k < n;) sorted.push(k >= n || (i < n1 && D[i] <= D[k]) ? i++ : k++);
  let dmax = 0, zmax = 0;
  for (let i = 0; i < n; i++) { dmax = Math.max(dmax, Math.abs(D[i])); zmax = Math.max(zmax, Math.abs(z[i])); }
  const tol = 8 * UNIT_ROUNDOFF * Math.max(dmax, zmax);
  // column kinds: 1 from Q₁ only, 3 from Q₂ only, 2 mixed by a deflation rotation
  const kind = new Int8Array(n).map((_, i) => (i < n1 ? 1 : 3));
  const kept: number[] = [], deflated: number[] = [];
  if (rho * zmax <= tol) deflated.push(...sorted);
  else {
    let pj = -1;
    for (const nj of sorted) {
      if (rho * Math.abs(z[nj]) <= tol) { deflated.push(nj); continue; }
      if (pj < 0) { pj = nj; continue; }
      const tau = Math.hypot(z[nj], z[pj]);
      const c = z[nj] / tau, sn = -z[pj] / tau, t = D[nj] - D[pj];
      if (Math.abs(t * c * sn) <= tol) {
        // rotate the weight of pole pj onto nj; pj is left as an eigenpair
        z[nj] = tau; z[pj] = 0;
        if (kind[pj] !== kind[nj]) kind[nj] = 2;
        for (let r = 0; r < n; r++) {
          const o = r * n, x = qw[o + pj], y = qw[o + nj];
          qw[o + pj] = c * x + sn * y;
          qw[o + nj] = c * y - sn * x;
        }
        const dp = D[pj] * c * c + D[nj] * sn * sn;
        D[nj] = D[pj] * sn * sn + D[nj] * c * c;
        D[pj] = dp;
        deflated.push(pj);
      } else kept.push(pj);
      pj = nj;
    }
    if (pj >= 0) kept.push(pj);
  }
  const K = kept.length;
  // basis columns in kind order (1, 2, 3), then the deflated ones
  const byKind = [1, 2, 3].flatMap((t) => kept.map((_, i) => i).filter((i) => kind[kept[i]] === t));
  const c1 = byKind.filter((i) => kind[kept[i]] === 1).length, c3 = byKind.filter((i) => kind[kept[i]] === 3).length;
  const pos = new Int32Array(K);
  byKind.forEach((i, p) => { pos[i] = p; });
  permuteColumns(qw, 0, n, n, n, [...byKind.map((i) => kept[i]), ...deflated]);
  const lambda = new Float64Array(K);
  if (K > 0) {
    const dl = Float64Array.from(kept, (i) => D[i]), w = Float64Array.from(kept, (i) => z[i]);
    // row j of delta: d_i − λ_j
    for (let j = 0; j < K; j++) lambda[j] = secularRoot(j, dl, w, rho, delta.subarray(j * K, (j + 1) * K));
    // Löwner: ρ ẑ_i² = −δ_ii · Π_{j≠i} δ_ij/(d_i − d_j), accumulated root by root (rows of delta)
    const zh = new Float64Array(K);
    for (let i = 0; i < K; i++) zh[i] = delta[i * K + i];
    for (let j = 0; j < K; j++) {
      const o = j * K, dj = dl[j];
      for (let i = 0; i < j; i++) zh[i] *= delta[o + i] / (dl[i] - dj);
      for (let i = j + 1; i < K; i++) zh[i] *= delta[o + i] / (dl[i] - dj);
    }
    for (let i = 0; i < K; i++) zh[i] = Math.sign(w[i]) * Math.sqrt(Math.max(0, -zh[i]));
    // U (K×K, rows in kind order): column j = (ẑ_i/δ_ij)_i normalised, formed in row j of delta
    // (contiguous), then transposed into u in blocks of 64 columns
    for (let j = 0; j < K; j++) {
      const o = j * K;
      let ss = 0;
      for (let i = 0; i < K; i++) { const x = zh[i] / delta[o + i]; delta[o + i] = x; ss += x * x; }
      const inv = 1 / Math.sqrt(ss);
      for (let i = 0; i < K; i++) delta[o + i] *= inv;
    }
    for (let j0 = 0; j0 < K; j0 += 64) {
      const j1 = Math.min(K, j0 + 64);
      for (let i = 0; i < K; i++) {
        const r = pos[i] * K;
        for (let j = j0; j < j1; j++) u[r + j] = delta[j * K + i];
      }
    }
    // merged vectors: top rows from kinds 1–2, bottom rows from kinds 2–3
    const opts = { work };
    gemm(n1, K, K - c3, 1, qw, n, u, K, 0, q.subarray(s * N + s), N, opts);
    gemm(n2, K, K - c1, 1, qw.subarray(n1 * n + c1), n, u.subarray(c1 * K), K, 0, q.subarray((s + n1) * N + s), N, opts);
  }
  // deflated pairs: their basis columns as they are
  for (let r = 0; r < n; r++) for (let c = K; c < n; c++) q[(s + r) * N + s + c] = qw[r * n + c];
  // sort the block's eigenpairs ascending
  const values = [...lambda, ...deflated.map((i) => D[i])];
  const order = values.map((_, i) => i).sort((x, y) => values[x] - values[y]);
  order.forEach((src, c) => { d[s + c] = values[src]; });
  permuteColumns(q, s * N + s, N, n, n, order);
}
