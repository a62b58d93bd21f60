/**
 * Householder tridiagonalisation of a symmetric matrix (LAPACK's dsytrd, lower triangle), and Qᵀ
 * formed from its reflectors (dorgtr). 4/3·n³ + O(n²).
 *
 * The reduction works on the lower triangle only and streams it once per step: for each row i
 * it applies the rank-2 update A ← A − v wᵀ − w vᵀ and, with the updated entries still in
 * registers, accumulates the next step's product y = A v' (both the row-dot and the
 * column-axpy halves, since only one triangle is stored). The next reflector v' comes from
 * column k+1, which is updated first.
 */

import { kernelMemory, kernelModule, loadKernels, type Kernels } from './wasmKernel.ts';
import { linalgThreads, reflRows, splitRows, startTeam, type ReduceOptions, type Team, type VectorWork } from './threads.ts';
import { hypot } from './hypot.ts';
import { KERNEL_MIN_ENTRIES, THREADED_MIN_ENTRIES, TRIDIAG_THREADED_MIN_BLOCK } from './constants.ts';

/** y = A[lo:, lo:]·v from the lower triangle of the n×n row-major `a`. */
export function symMatvec(a: Float64Array, n: number, lo: number, v: Float64Array, y: Float64Array): void {
  y.fill(0, lo);
  for (let i = lo; i < n; i++) {
    const r = i * n, vi = v[i];
    let acc = 0;
    for (let j = lo; j < i; j++) { const x = a[r + j]; acc += x * v[j]; y[j] += x * vi; }
    y[i] += acc + a[r + i] * vi;
  }
}

/** Householder vector for column `col` rows col+1..n-1 (stored back in the column). */
export function reflector(a: Float64Array, n: number, col: number, v: Float64Array): { tau: number; beta: number } {
  const alpha = a[(col + 1) * n + col];
  let sigma2 = 0;
  for (let i = col + 2; i < n; i++) { const x = a[i * n + col]; sigma2 += x * x; }
  if (sigma2 === 0) return { tau: 0, beta: alpha };
  const beta = -Math.sign(alpha || 1) * hypot(alpha, Math.sqrt(sigma2));
  const sc = 1 / (alpha - beta);
  v[col + 1] = 1;
  for (let i = col + 2; i < n; i++) { const x = a[i * n + col] * sc; a[i * n + col] = x; v[i] = x; }
  a[(col + 1) * n + col] = beta;
  return { tau: (beta - alpha) / beta, beta };
}

export interface Tridiagonal {
  d: Float64Array; e: Float64Array; tau: Float64Array;
  /** True when the update loops ran as the WebAssembly SIMD kernel (false: the TypeScript loop). */
  simd: boolean;
}

/** Reduce the lower triangle of `a` (n×n, row-major) in place: T has diagonal d, subdiagonal e. */
export function tridiagonalize(a: Float64Array, n: number, opts: ReduceOptions = {}): Tridiagonal {
  const threads = n * n >= THREADED_MIN_ENTRIES ? linalgThreads(opts.threads) : 1;
  const ws = opts.wasm === false || n * n < KERNEL_MIN_ENTRIES ? null : workspace(n, threads);
  if (!ws) return reduce(a, n, null);
  try {
    ws.a.set(a);
    const res = reduce(ws.a, n, ws);
    a.set(ws.a);
    return res;
  } finally {
    ws.team?.close();
  }
}

export interface Workspace {
  a: Float64Array; vecs: Float64Array[]; offsets: number[]; k: Kernels;
  /** Helper threads and their partial-y vectors (null: one thread). */
  team: Team | null; partials: Float64Array[];
}

/**
 * The matrix, five length-n vectors (v, v', w, y, y') and one per helper thread in one
 * WebAssembly memory, with the kernels.
 */
function workspace(n: number, threads: number): Workspace | null {
  const module = kernelModule();
  if (!module) return null;
  const vectors = 5 + threads - 1;
  const memory = kernelMemory(((n + vectors) * n + 2) * 8);
  const k = loadKernels(memory);
  if (!k) return null;
  const offsets = Array.from({ length: vectors }, (_, t) => (n * n + t * n) * 8);
  const vecs = offsets.map((o) => new Float64Array(memory.buffer, o, n));
  const team = threads > 1 ? startTeam(module, memory, threads, offsets.slice(5)) : null;
  return { a: new Float64Array(memory.buffer, 0, n * n), vecs: vecs.slice(0, 5), offsets, k, team, partials: vecs.slice(5) };
}

/** One step's update of rows lo..n−1 on the kernel, split across the team when the triangle is large. */
function triStep(ws: Workspace, n: number, lo: number, oV: number, oVn: number, yn: Float64Array, oYn: number): void {
  const { team } = ws;
  if (!team || ((n - lo) * (n - lo)) / 2 < TRIDIAG_THREADED_MIN_BLOCK) {
    ws.k.tri(0, n, lo, lo, n, oV, ws.offsets[2], oVn, oYn);
    return;
  }
  for (const part of ws.partials) part.fill(0, lo);
  const bounds = splitRows(lo, n, team.size, 1);
  team.tri(() => ws.k.tri(0, n, lo, bounds[0], bounds[1], oV, ws.offsets[2], oVn, oYn), bounds, 0, n, lo, oV, ws.offsets[2], oVn);
  for (const part of ws.partials) for (let j = lo; j < n; j++) yn[j] += part[j];
}

/** The one-pass reduction of all columns (on the kernels and the team with `ws`). */
function reduce(a: Float64Array, n: number, ws: Workspace | null): Tridiagonal {
  const d = new Float64Array(n), e = new Float64Array(n), tau = new Float64Array(n);
  const simd = ws !== null;
  if (n === 0) return { d, e, tau, simd };
  const vec = (t: number) => (ws ? ws.vecs[t].fill(0) : new Float64Array(n));
  let v = vec(0), vn = vec(1), y = vec(3), yn = vec(4);
  const w = vec(2);
  let [oV, oVn, oY, oYn] = ws ? [ws.offsets[0], ws.offsets[1], ws.offsets[3], ws.offsets[4]] : [0, 0, 0, 0];
  let cur = n > 2 ? reflector(a, n, 0, v) : { tau: 0, beta: n > 1 ? a[n] : 0 };
  if (cur.tau !== 0) symMatvec(a, n, 1, v, y);
  for (let k = 0; k < n - 2; k++) {
    d[k] = a[k * n + k];
    e[k] = cur.beta; tau[k] = cur.tau;
    const t = cur.tau, k1 = k + 1;
    if (t === 0) { // no update: the next step's product is computed directly
      cur = k1 < n - 2 ? reflector(a, n, k1, vn) : { tau: 0, beta: a[(k1 + 1) * n + k1] };
      if (cur.tau !== 0) symMatvec(a, n, k1 + 1, vn, yn);
    } else {
      // w = τy − (τ²/2)(yᵀv) v
      let yv = 0;
      for (let i = k1; i < n; i++) yv += y[i] * v[i];
      const K = 0.5 * t * t * yv;
      for (let i = k1; i < n; i++) w[i] = t * y[i] - K * v[i];
      // column k+1 first (rows ≥ k+1), then the next reflector from it
      for (let i = k1; i < n; i++) a[i * n + k1] -= v[i] * w[k1] + w[i] * v[k1];
      cur = k1 < n - 2 ? reflector(a, n, k1, vn) : { tau: 0, beta: a[(k1 + 1) * n + k1] };
      const want = cur.tau !== 0, lo = k1 + 1;
      if (want || ws) yn.fill(0, lo);
      // the kernel always accumulates yn (unused when !want)
      if (ws) triStep(ws, n, lo, oV, oVn, yn, oYn);
      else for (let i = lo; i < n; i++) {
        const r = i * n, vi = v[i], wi = w[i], vni = vn[i];
        let acc = 0;
        if (want) {
          for (let j = lo; j < i; j++) {
            const x = a[r + j] - vi * w[j] - wi * v[j];
            a[r + j] = x; acc += x * vn[j]; yn[j] += x * vni;
          }
        } else {
          for (let j = lo; j < i; j++) a[r + j] -= vi * w[j] + wi * v[j];
        }
        const dii = a[r + i] - 2 * vi * wi;
        a[r + i] = dii;
        if (want) yn[i] += acc + dii * vni;
      }
    }
    let sw = v; v = vn; vn = sw;
    sw = y; y = yn; yn = sw;
    [oV, oVn, oY, oYn] = [oVn, oV, oYn, oY];
  }
  if (n >= 2) { d[n - 2] = a[(n - 2) * n + n - 2]; e[n - 2] = a[(n - 1) * n + n - 2]; }
  d[n - 1] = a[(n - 1) * n + n - 1];
  return { d, e, tau, simd };
}

/** Qᵀ (n×n, rows are Q's columns) from the reflectors stored below the subdiagonal. */
export function formQt(a: Float64Array, n: number, tau: Float64Array, ws?: VectorWork | null): Float64Array {
  const qt = ws ? ws.out : new Float64Array(n * n);
  for (let i = 0; i < n; i++) qt[i * n + i] = 1;
  const v = ws ? ws.scratch : new Float64Array(n);
  for (let k = n - 3; k >= 0; k--) {
    const t = tau[k];
    if (t === 0) continue;
    v[k + 1] = 1;
    for (let i = k + 2; i < n; i++) v[i] = a[i * n + k];
    if (ws) { reflRows(ws.k, ws.team ?? null, qt.byteOffset + (k + 1) * 8, k + 1, n, n * 8, n - k - 1, v.byteOffset + (k + 1) * 8, t); continue; }
    for (let r = k + 1; r < n; r++) {
      const o = r * n;
      let s = 0;
      for (let j = k + 1; j < n; j++) s += qt[o + j] * v[j];
      s *= t;
      if (s !== 0) for (let j = k + 1; j < n; j++) qt[o + j] -= s * v[j];
    }
  }
  return qt;
}
