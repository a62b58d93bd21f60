/**
 * Singular values and vectors of an upper bidiagonal matrix by divide and conquer (LAPACK's
 * dbdsdc / dlasd0–dlasd3, after Gu and Eisenstat).
 *
 * B (n × (n + sqre), sqre ∈ {0, 1}: an extra last column coupled by e[n−1]) is split at its
 * middle row nl into an upper block (rows 0..nl−1, columns 0..nl: one column more than rows) and
 * a lower block (rows nl+1.., columns nl+1..); each is solved recursively (blocks of at most
 * DIVIDE_CONQUER_LEAF rows by the bidiagonal QR iteration, bidiagQr.ts). In the bases of the blocks' singular
 * vectors, B becomes the N×N matrix with first row z (from the middle row's two entries α, β and
 * the blocks' right vectors) and diagonal (0, σ's of both blocks). Entries of z below a tolerance,
 * and pairs of nearly equal σ's (rotated so one z entry vanishes), deflate: their singular value
 * and vectors carry over unchanged. The rest is the secular equation (bidiagSecular.ts); its
 * vectors, from the Löwner-recomputed ẑ, are multiplied into the blocks' vectors by matrix
 * products, each restricted to the rows where the block has entries.
 */
import { bidiagQr } from './bidiagQr.ts';
import { lownerZ, secularRoots, secularVectors } from './bidiagSecular.ts';
import { jsProducts, type Products } from './divideConquerProducts.ts';
import { DIVIDE_CONQUER_LEAF, UNIT_ROUNDOFF } from './constants.ts';


/**
 * The SVD of a bidiagonal block: s (n values, any order), U (n×n) and V ((n+sqre)×(n+sqre)),
 * both column-major with column j belonging to s[j]; with sqre, V's last column spans B's null space.
 * B = U·[diag(s) 0]·Vᵀ.
 */
export interface BlockSvd { s: Float64Array; U: Float64Array; V: Float64Array }

/**
 * SVD of the n×n upper bidiagonal matrix with diagonal d and superdiagonal e (e[i] at (i, i+1);
 * e[n−1] is ignored). Returns s (unsorted, ≥ 0) and U, V column-major: B = U·diag(s)·Vᵀ.
 */
export function bidiagDc(d: Float64Array, e: Float64Array, opts: { leaf?: number; products?: Products } = {}): BlockSvd {
  const n = d.length;
  const leaf = Math.max(3, opts.leaf ?? DIVIDE_CONQUER_LEAF);
  return solve(d, e, n, 0, leaf, opts.products ?? jsProducts());
}

function solve(d: Float64Array, e: Float64Array, n: number, sqre: number, leaf: number, products: Products): BlockSvd {
  if (n <= leaf) return leafSvd(d, e, n, sqre);
  const nl = n >> 1, nr = n - nl - 1;
  const up = solve(d.subarray(0, nl), e.subarray(0, nl), nl, 1, leaf, products);
  const low = solve(d.subarray(nl + 1, n), e.subarray(nl + 1, n), nr, sqre, leaf, products);
  return merge(up, low, d[nl], e[nl], nl, nr, sqre, products);
}

/**
 * A small block by the QR iteration. With sqre, B gets a zero last row (B' = [B; 0], square):
 * the iteration first chases e[n−1] out with rotations on the right only, so B''s zero singular
 * value stays at index n with left vector e_n, and its right vector is B's null vector.
 */
function leafSvd(d: Float64Array, e: Float64Array, n: number, sqre: number): BlockSvd {
  const m = n + sqre;
  const s = new Float64Array(m), ee = new Float64Array(m);
  s.set(d.subarray(0, n));
  for (let i = 0; i < n - 1 + sqre; i++) ee[i] = e[i];
  const ut = identity(m), vt = identity(m);
  bidiagQr(s, ee, ut, m, vt);
  const U = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) U[j * n + i] = ut[j * m + i];
  // rows of vt are V's columns: vt is V column-major already
  return { s: s.subarray(0, n), U, V: vt };
}

function identity(n: number): Float64Array {
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) x[i * n + i] = 1;
  return x;
}

/** Apply the plane rotation (c, s) to columns p and q (length len) of a column-major matrix. */
function rotCols(x: Float64Array, len: number, p: number, q: number, c: number, s: number): void {
  const a = p * len, b = q * len;
  for (let i = 0; i < len; i++) {
    const u = x[a + i], v = x[b + i];
    x[a + i] = c * u + s * v;
    x[b + i] = c * v - s * u;
  }
}

/**
 * Merge the upper block (nl rows, sqre 1) and the lower block (nr rows) through the middle row
 * (α at column nl, β at column nl+1) into the SVD of the (nl+1+nr) × (nl+1+nr+sqre) block.
 */
export function merge(up: BlockSvd, low: BlockSvd, alpha: number, beta: number, nl: number, nr: number, sqre: number, products: Products): BlockSvd {
  const N = nl + nr + 1, M = N + sqre, m1 = nl + 1, m2 = nr + sqre;
  // Scale so the largest entry is 1 (dlasd1): the squares in the secular equation stay in range.
  let scale = Math.max(Math.abs(alpha), Math.abs(beta));
  for (let i = 0; i < nl; i++) scale = Math.max(scale, up.s[i]);
  for (let i = 0; i < nr; i++) scale = Math.max(scale, low.s[i]);
  const zero = scale === 0; // the whole block is zero: its vectors are the blocks' own, σ = 0
  if (zero) scale = 1;
  alpha /= scale; beta /= scale;
  // Items: 0 = the middle row / combined null column; 1..nl upper σ's; nl+1..N−1 lower σ's.
  const dv = new Float64Array(N), z = new Float64Array(N);
  const type = new Uint8Array(N); // 1: upper rows only, 2: lower rows only, 3: both (after a rotation)
  const Uf = new Float64Array(N * N), Vf = new Float64Array(M * M);
  Uf[nl] = 1; // item 0's left vector is the middle row
  for (let a = 0; a < nl; a++) {
    const it = 1 + a;
    dv[it] = up.s[a] / scale; z[it] = alpha * up.V[a * m1 + nl]; type[it] = 1;
    Uf.set(up.U.subarray(a * nl, a * nl + nl), it * N);
    Vf.set(up.V.subarray(a * m1, a * m1 + m1), it * M);
  }
  for (let b = 0; b < nr; b++) {
    const it = 1 + nl + b;
    dv[it] = low.s[b] / scale; z[it] = beta * low.V[b * m2]; type[it] = 2;
    Uf.set(low.U.subarray(b * nr, b * nr + nr), it * N + nl + 1);
    Vf.set(low.V.subarray(b * m2, b * m2 + m2), it * M + m1);
  }
  let tol = Math.max(Math.abs(alpha), Math.abs(beta));
  for (let i = 1; i < N; i++) tol = Math.max(tol, dv[i]);
  tol *= 8 * UNIT_ROUNDOFF;
  // Item 0's right vector: the upper block's null vector, and with sqre the lower block's, rotated
  // so that one combination carries all of z (z0 = √(z_up² + z_low²)) and the other is B's null vector.
  const zUp = alpha * up.V[nl * m1 + nl], zLow = sqre ? beta * low.V[nr * m2] : 0;
  const r = Math.hypot(zUp, zLow);
  let c = 1, sn = 0;
  if (sqre && r > tol) { c = zUp / r; sn = zLow / r; }
  z[0] = sqre ? (r > tol ? r : tol) : (Math.abs(zUp) > tol ? zUp : tol);
  for (let i = 0; i < m1; i++) Vf[i] = c * up.V[nl * m1 + i];
  let nullV: Float64Array | null = null;
  if (sqre) {
    nullV = new Float64Array(M);
    for (let i = 0; i < m1; i++) nullV[i] = -sn * up.V[nl * m1 + i];
    for (let i = 0; i < m2; i++) { Vf[m1 + i] = sn * low.V[nr * m2 + i]; nullV[m1 + i] = c * low.V[nr * m2 + i]; }
  }
  if (zero) {
    if (nullV) Vf.set(nullV, N * M);
    return { s: new Float64Array(N), U: Uf, V: Vf };
  }
  // Deflation (dlasd2), the σ's in ascending order.
  const sorted = Array.from({ length: N - 1 }, (_, i) => i + 1).sort((p, q) => dv[p] - dv[q]);
  const keep = [0], deflated: number[] = [];
  let prev = -1;
  for (const j of sorted) {
    if (Math.abs(z[j]) <= tol) { deflated.push(j); continue; }
    if (prev >= 0 && Math.abs(dv[j] - dv[prev]) <= tol) {
      // nearly equal σ's: rotate both sides so z[prev] vanishes; prev deflates
      const t = Math.hypot(z[prev], z[j]);
      const cc = z[j] / t, ss = -z[prev] / t;
      z[j] = t; z[prev] = 0;
      rotCols(Uf, N, prev, j, cc, ss);
      rotCols(Vf, M, prev, j, cc, ss);
      if (type[j] !== type[prev]) type[j] = 3;
      deflated.push(prev);
    } else if (prev >= 0) keep.push(prev);
    prev = j;
  }
  if (prev >= 0) keep.push(prev);
  const K = keep.length;
  const ds = new Float64Array(K), zs = new Float64Array(K);
  for (let k = 1; k < K; k++) { ds[k] = dv[keep[k]]; zs[k] = z[keep[k]]; }
  zs[0] = z[0];
  if (K > 1 && ds[1] <= tol / 2) ds[1] = tol / 2;
  // The secular equation and the vectors of the K×K problem (column j of left/right: root j).
  const { sigma, delta } = secularRoots(ds, zs, K);
  const zh = lownerZ(ds, zs, K, delta);
  const { left, right } = secularVectors(ds, zh, K, delta);
  // New vectors: the kept items' vectors times left/right, by blocks of rows.
  const U = new Float64Array(N * N), V = new Float64Array(M * M);
  const pick = (types: number[], withItem0: boolean) => {
    const out: number[] = [];
    keep.forEach((it, k) => { if (it === 0 ? withItem0 : types.includes(type[it])) out.push(k); });
    return out;
  };
  productRows(Uf, N, 0, nl, keep, pick([1, 3], false), left, K, U, N, products);
  for (let j = 0; j < K; j++) U[j * N + nl] = left[j * K]; // the middle row: item 0's coefficient
  productRows(Uf, N, nl + 1, nr, keep, pick([2, 3], false), left, K, U, N, products);
  productRows(Vf, M, 0, m1, keep, pick([1, 3], true), right, K, V, M, products);
  productRows(Vf, M, m1, m2, keep, pick([2, 3], sqre === 1), right, K, V, M, products);
  const s = new Float64Array(N);
  for (let j = 0; j < K; j++) s[j] = sigma[j] * scale;
  deflated.forEach((it, t) => {
    const j = K + t;
    s[j] = dv[it] * scale;
    U.set(Uf.subarray(it * N, it * N + N), j * N);
    V.set(Vf.subarray(it * M, it * M + M), j * M);
  });
  if (nullV) V.set(nullV, N * M);
  return { s, U, V };
}

/**
 * Rows [r0, r0+rows) of the new vectors: out[r0.., j] = Σ_k X[r0.., keep[k]] · coef[k, j] over the
 * kept items `ks` (indices into keep) that have entries in these rows. X and out are column-major
 * with leading dimension ld; coef is K×K column-major.
 */
function productRows(X: Float64Array, ld: number, r0: number, rows: number, keep: number[], ks: number[], coef: Float64Array, K: number, out: Float64Array, ldOut: number, products: Products): void {
  const p = ks.length;
  if (rows === 0) return;
  if (p === 0) return; // out stays zero in these rows
  const a = products.scratch(0, p * rows); // Xᵀ restricted: p × rows, row-major
  ks.forEach((k, t) => a.set(X.subarray(keep[k] * ld + r0, keep[k] * ld + r0 + rows), t * rows));
  const b = products.scratch(1, K * p); // coefᵀ restricted: K × p, row-major
  for (let j = 0; j < K; j++) for (let t = 0; t < p; t++) b[j * p + t] = coef[j * K + ks[t]];
  const c = products.scratch(2, K * rows); // (out rows)ᵀ: K × rows
  products.mul(K, rows, p, 1, b, a, 0, c);
  for (let j = 0; j < K; j++) out.set(c.subarray(j * rows, j * rows + rows), j * ldOut + r0);
}
