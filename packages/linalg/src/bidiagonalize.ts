/**
 * Householder bidiagonalisation of a tall matrix (m ≥ n), A = U₁ B V₁ᵀ with B upper bidiagonal,
 * in one streaming pass over the trailing matrix per step.
 *
 * Golub–Kahan reduction does, per column k, a left reflector H_k (zeroes column k below the
 * diagonal) and a right reflector G_k (zeroes row k beyond the superdiagonal). Done naively that
 * is four passes over the trailing (m−k)×(n−k) block (two matrix–vector products and two rank-1
 * updates). Here the rows are streamed once per step: for each row i, while the row sits in L1,
 *   1. apply H_k          r ← r − τ_L v_i w          (w = H_k's row vector, known in advance)
 *   2. dot with G_k's u   s = r·u
 *   3. apply G_k          r ← r − τ_R s u
 *   4. accumulate the next step's w: P ← P + r₀·r  (column k+1 against the rest of the row)
 * Step 4 works because H_{k+1}'s vector is column k+1 scaled by a scalar known only later: the
 * scaling is applied to P afterwards. The reflectors are stored LAPACK-style in the lower (v)
 * and upper (u) parts of `a`.
 */
import { kernelMemory, kernelModule, loadBidiagKernel, type RowsKernel } from './wasmKernel.ts';
import { linalgThreads, reflRows, splitRows, startTeam, type ReduceOptions, type Team, type VectorWork } from './threads.ts';
import { BIDIAG_THREADED_MIN_BLOCK, KERNEL_MIN_ENTRIES, THREADED_MIN_ENTRIES } from './constants.ts';

export interface Bidiagonal {
  /** Diagonal of B (length n). */
  d: Float64Array;
  /** Superdiagonal of B (length n, last entry 0). */
  e: Float64Array;
  tauL: Float64Array;
  tauR: Float64Array;
  /** True when the row loops ran as the WebAssembly SIMD kernel (false: the TypeScript loop). */
  simd: boolean;
}

/** Reduce the m×n row-major `a` (m ≥ n) in place (unless `readOnly`); returns B's diagonals and the reflector τs. */
export function bidiagonalize(a: Float64Array, m: number, n: number, opts: ReduceOptions = {}): Bidiagonal {
  const threads = m * n >= THREADED_MIN_ENTRIES ? linalgThreads(opts.threads) : 1;
  const kernel = opts.wasm === false ? null : wasmWorkspace(m, n, threads);
  if (!kernel) return reduce(opts.readOnly ? a.slice() : a, m, n, null);
  try {
    kernel.a.set(a);
    const out = reduce(kernel.a, m, n, kernel);
    if (!opts.readOnly) a.set(kernel.a);
    return out;
  } finally {
    kernel.team?.close();
  }
}

interface Workspace {
  a: Float64Array; vecs: Float64Array[]; offsets: number[]; rows: RowsKernel;
  /** Helper threads and their partial-P vectors (null: one thread). */
  team: Team | null; partials: Float64Array[];
}

/** The matrix, four length-n vectors and one per helper thread in one WebAssembly memory, with the SIMD row kernel. */
function wasmWorkspace(m: number, n: number, threads: number): Workspace | null {
  if (m * n < KERNEL_MIN_ENTRIES) return null; // small: not worth a memory
  const module = kernelModule();
  if (!module) return null;
  const vectors = 4 + threads - 1;
  const memory = kernelMemory((m * n + vectors * n + 2) * 8);
  const rows = loadBidiagKernel(memory);
  if (!rows) return null;
  const offsets = Array.from({ length: vectors }, (_, t) => (m * n + t * n) * 8);
  const vecs = offsets.map((o) => new Float64Array(memory.buffer, o, n));
  const team = threads > 1 ? startTeam(module, memory, threads, offsets.slice(4)) : null;
  return { a: new Float64Array(memory.buffer, 0, m * n), vecs: vecs.slice(0, 4), offsets, rows, team, partials: vecs.slice(4) };
}

/** Step k's row loop on the kernel, split across the team when the trailing block is large. */
function rowsStep(ws: Workspace, m: number, n: number, k: number, Pn: Float64Array, pnOff: number, tl: number, tr: number, scale: number): void {
  const { team } = ws;
  if (!team || (m - k - 1) * (n - k) < BIDIAG_THREADED_MIN_BLOCK) {
    ws.rows(0, n, k + 1, m, k, ws.offsets[0], ws.offsets[1], pnOff, tl, tr, scale);
    return;
  }
  for (const part of ws.partials) part.fill(0, k + 1);
  const bounds = splitRows(k + 1, m, team.size, 0);
  team.rows(() => ws.rows(0, n, bounds[0], bounds[1], k, ws.offsets[0], ws.offsets[1], pnOff, tl, tr, scale),
    bounds, 0, n, k, ws.offsets[0], ws.offsets[1], tl, tr, scale);
  for (const part of ws.partials) for (let j = k + 1; j < n; j++) Pn[j] += part[j];
}

function reduce(a: Float64Array, m: number, n: number, ws: Workspace | null): Bidiagonal {
  const simd = ws !== null;
  const d = new Float64Array(n), e = new Float64Array(n);
  const tauL = new Float64Array(n), tauR = new Float64Array(n);
  const w = ws ? ws.vecs[0] : new Float64Array(n), u = ws ? ws.vecs[1] : new Float64Array(n);
  let P = ws ? ws.vecs[2] : new Float64Array(n), Pn = ws ? ws.vecs[3] : new Float64Array(n);
  let pOff = ws ? ws.offsets[2] : 0, pnOff = ws ? ws.offsets[3] : 0;
  P.fill(0); Pn.fill(0); w.fill(0); u.fill(0);
  // P_j = Σ_{i>0} a[i,0]·a[i,j] for the first step (j = 0: the column's Σ a[i,0]²). Each step's row
  // loop computes the next step's P the same way, so no step reads a column.
  for (let i = 1; i < m; i++) {
    const r = i * n, x = a[r];
    if (x !== 0) for (let j = 0; j < n; j++) P[j] += x * a[r + j];
  }
  for (let k = 0; k < n; k++) {
    // Left reflector from column k, rows k..m-1.
    const alpha = a[k * n + k];
    const sigma2 = P[k]; // Σ_{i>k} a[i,k]²
    let tl = 0, scale = 0, beta = alpha;
    if (sigma2 > 0) {
      beta = -Math.sign(alpha || 1) * Math.hypot(alpha, Math.sqrt(sigma2));
      tl = (beta - alpha) / beta;
      scale = 1 / (alpha - beta);
    }
    d[k] = beta; tauL[k] = tl;
    a[k * n + k] = beta;
    const rk = k * n;
    for (let j = k + 1; j < n; j++) { w[j] = a[rk + j] + scale * P[j]; a[rk + j] -= tl * w[j]; }
    if (k === n - 1) { // last column: only scale the stored v
      for (let i = k + 1; i < m; i++) a[i * n + k] *= scale;
      break;
    }
    // Right reflector from row k, columns k+1..n-1.
    const alpha2 = a[rk + k + 1];
    let s2 = 0;
    for (let j = k + 2; j < n; j++) s2 += a[rk + j] * a[rk + j];
    let tr = 0;
    e[k] = alpha2;
    if (s2 > 0) {
      const gamma = -Math.sign(alpha2 || 1) * Math.hypot(alpha2, Math.sqrt(s2));
      tr = (gamma - alpha2) / gamma;
      const sc = 1 / (alpha2 - gamma);
      for (let j = k + 2; j < n; j++) { a[rk + j] *= sc; u[j] = a[rk + j]; }
      a[rk + k + 1] = gamma;
      e[k] = gamma;
    }
    u[k + 1] = 1;
    tauR[k] = tr;
    Pn.fill(0, k + 1);
    if (ws) rowsStep(ws, m, n, k, Pn, pnOff, tl, tr, scale);
    else rowsJs(a, m, n, k, w, u, Pn, tl, tr, scale);
    const t = P; P = Pn; Pn = t;
    const to = pOff; pOff = pnOff; pnOff = to;
  }
  return { d, e, tauL, tauR, simd };
}

/** The row loop of step k in TypeScript (the fallback when WebAssembly SIMD is unavailable). */
function rowsJs(a: Float64Array, m: number, n: number, k: number, w: Float64Array, u: Float64Array, Pn: Float64Array, tl: number, tr: number, scale: number): void {
  const k1 = k + 1;
  // Rows two at a time: w, u and P are loaded once for both rows.
  let i = k + 1;
  for (; i + 1 < m; i += 2) {
    const r = i * n, q = r + n;
    const vi = a[r + k] * scale, vq = a[q + k] * scale;
    a[r + k] = vi; a[q + k] = vq;
    const cl = tl * vi, cq = tl * vq;
    let s = 0, sq = 0;
    for (let j = k1; j < n; j++) {
      const wj = w[j], uj = u[j];
      const x = a[r + j] - cl * wj, y = a[q + j] - cq * wj;
      a[r + j] = x; a[q + j] = y;
      s += x * uj; sq += y * uj;
    }
    s *= tr; sq *= tr;
    // the new first entries (column k+1) scale the next step's P; row k+1 is not in it
    const x0 = i > k1 ? a[r + k1] - s : 0, y0 = a[q + k1] - sq;
    a[r + k1] -= s; a[q + k1] -= sq;
    Pn[k1] += x0 * x0 + y0 * y0;
    for (let j = k1 + 1; j < n; j++) {
      const uj = u[j];
      const x = a[r + j] - s * uj, y = a[q + j] - sq * uj;
      a[r + j] = x; a[q + j] = y;
      Pn[j] += x0 * x + y0 * y;
    }
  }
  for (; i < m; i++) {
    const r = i * n;
    const vi = a[r + k] * scale;
    a[r + k] = vi;
    const cl = tl * vi;
    let s = 0;
    for (let j = k1; j < n; j++) { const x = a[r + j] - cl * w[j]; a[r + j] = x; s += x * u[j]; }
    s *= tr;
    const x0 = i > k1 ? a[r + k1] - s : 0;
    a[r + k1] -= s;
    Pn[k1] += x0 * x0;
    for (let j = k1 + 1; j < n; j++) { const x = a[r + j] - s * u[j]; a[r + j] = x; Pn[j] += x0 * x; }
  }
}

/** Uᵀ (n×m, rows are U₁'s columns) from the stored left reflectors. */
export function formUt(a: Float64Array, m: number, n: number, tauL: Float64Array, ws?: VectorWork | null): Float64Array {
  const ut = ws ? ws.out : new Float64Array(n * m);
  for (let i = 0; i < n; i++) ut[i * m + i] = 1;
  const v = ws ? ws.scratch : new Float64Array(m);
  for (let k = n - 1; k >= 0; k--) {
    const tau = tauL[k];
    if (tau === 0) continue;
    v[k] = 1;
    for (let i = k + 1; i < m; i++) v[i] = a[i * n + k];
    if (ws) { reflRows(ws.k, ws.team ?? null, ut.byteOffset + k * 8, k, n, m * 8, m - k, v.byteOffset + k * 8, tau); continue; }
    for (let r = k; r < n; r++) {
      const o = r * m;
      let s = 0;
      for (let i = k; i < m; i++) s += ut[o + i] * v[i];
      s *= tau;
      if (s !== 0) for (let i = k; i < m; i++) ut[o + i] -= s * v[i];
    }
  }
  return ut;
}

/** Vᵀ (n×n, rows are V₁'s columns) from the stored right reflectors. */
export function formVt(a: Float64Array, n: number, tauR: Float64Array, ws?: VectorWork | null): Float64Array {
  const vt = ws ? ws.out : new Float64Array(n * n);
  for (let i = 0; i < n; i++) vt[i * n + i] = 1;
  const u = ws ? ws.scratch : new Float64Array(n);
  for (let k = n - 3; k >= 0; k--) {
    const tau = tauR[k];
    if (tau === 0) continue;
    u[k + 1] = 1;
    for (let j = k + 2; j < n; j++) u[j] = a[k * n + j];
    if (ws) { reflRows(ws.k, ws.team ?? null, vt.byteOffset + (k + 1) * 8, k + 1, n, n * 8, n - k - 1, u.byteOffset + (k + 1) * 8, tau); continue; }
    for (let r = k + 1; r < n; r++) {
      const o = r * n;
      let s = 0;
      for (let j = k + 1; j < n; j++) s += vt[o + j] * u[j];
      s *= tau;
      if (s !== 0) for (let j = k + 1; j < n; j++) vt[o + j] -= s * u[j];
    }
  }
  return vt;
}
