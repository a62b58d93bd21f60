/**
 * Symmetric eigendecomposition: Householder tridiagonalisation, then implicit QL with Wilkinson
 * shifts (EISPACK tql1/tql2, as in JAMA). Values only: 4/3·n³ + O(n²).
 *
 * The reduction works on the lower triangle only and streams it once per step: for each row i
 * it applies the rank-2 update A ← A − v wᵀ − w vᵀ and, with the updated entries still in
 * registers, accumulates the next step's product y = A v' (both the row-dot and the
 * column-axpy halves, since only one triangle is stored). The next reflector v' comes from
 * column k+1, which is updated first.
 */

/** √(a² + b²) without overflow or underflow; much faster than Math.hypot in V8. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  const big = x > y ? x : y;
  if (big > 1e-150 && big < 1e150) return Math.sqrt(a * a + b * b);
  if (big === 0 || big === Infinity) return big;
  const p = a / big, q = b / big;
  return big * Math.sqrt(p * p + q * q);
}
import { kernelMemory, kernelModule, loadKernels, type Kernels, type RotationWork, type VectorWork } from './wasmKernel.ts';
import { panelWidth, reducePanels } from './tridiagBlocked.ts';
import { linalgThreads, reflRows, splitRows, startTeam, sweepRows, THREADED_MIN_ENTRIES, type ReduceOptions, type Team } from './threads.ts';

/** Steps whose trailing triangle has fewer entries than this run on the calling thread alone. */
export const THREADED_MIN_BLOCK = 192 * 192 / 2;

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
  const nb = panelWidth(n, opts.block);
  const ws = opts.wasm === false || n * n < 4096 ? null : workspace(n, threads, nb);
  const out = { d: new Float64Array(n), e: new Float64Array(n), tau: new Float64Array(n) };
  if (!ws) {
    const start = nb > 1 ? reducePanels(a, n, nb, out, null) : 0;
    return reduce(a, n, null, start, out);
  }
  try {
    ws.a.set(a);
    const start = nb > 1 ? reducePanels(ws.a, n, nb, out, ws) : 0;
    const res = reduce(ws.a, n, ws, start, out);
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
  /**
   * The blocked path's panel: V and W as rows (nb×n: vt, wt), two
   * length-nb coefficient vectors and a length-n column; empty when unblocked.
   */
  panel: { vt: Float64Array; wt: Float64Array; cw: Float64Array; cv: Float64Array; col: Float64Array };
}

/**
 * The matrix, five length-n vectors (v, v', w, y, y'), one per helper thread, and the panel
 * (2·nb·n + 2·nb + n entries, none when nb ≤ 1) in one WebAssembly memory, with the kernels.
 */
function workspace(n: number, threads: number, nb: number): Workspace | null {
  const module = kernelModule();
  if (!module) return null;
  const vectors = 5 + threads - 1;
  const panelLen = nb > 1 ? nb * n : 0;
  const extra = nb > 1 ? 2 * nb + n : 0;
  const memory = kernelMemory(((n + vectors) * n + 2 * panelLen + extra + 2) * 8);
  const k = loadKernels(memory);
  if (!k) return null;
  const offsets = Array.from({ length: vectors }, (_, t) => (n * n + t * n) * 8);
  const vecs = offsets.map((o) => new Float64Array(memory.buffer, o, n));
  const p0 = (n + vectors) * n * 8;
  const [vt, wt] = [0, 1].map((t) => new Float64Array(memory.buffer, p0 + t * panelLen * 8, panelLen));
  const p1 = p0 + 2 * panelLen * 8, small = nb > 1 ? nb : 0;
  const cw = new Float64Array(memory.buffer, p1, small), cv = new Float64Array(memory.buffer, p1 + small * 8, small);
  const col = new Float64Array(memory.buffer, p1 + 2 * small * 8, nb > 1 ? n : 0);
  const team = threads > 1 ? startTeam(module, memory, threads, offsets.slice(5)) : null;
  return { a: new Float64Array(memory.buffer, 0, n * n), vecs: vecs.slice(0, 5), offsets, k, team, partials: vecs.slice(5), panel: { vt, wt, cw, cv, col } };
}

/** One step's update of rows lo..n−1 on the kernel, split across the team when the triangle is large. */
function triStep(ws: Workspace, n: number, lo: number, oV: number, oVn: number, yn: Float64Array, oYn: number): void {
  const { team } = ws;
  if (!team || ((n - lo) * (n - lo)) / 2 < THREADED_MIN_BLOCK) {
    ws.k.tri(0, n, lo, lo, n, oV, ws.offsets[2], oVn, oYn);
    return;
  }
  for (const part of ws.partials) part.fill(0, lo);
  const bounds = splitRows(lo, n, team.size, 1);
  team.tri(() => ws.k.tri(0, n, lo, bounds[0], bounds[1], oV, ws.offsets[2], oVn, oYn), bounds, 0, n, lo, oV, ws.offsets[2], oVn);
  for (const part of ws.partials) for (let j = lo; j < n; j++) yn[j] += part[j];
}

/**
 * The one-pass (unblocked) reduction of columns start..n−1, the earlier columns being already
 * reduced (by reducePanels); d, e and tau are filled from column start on.
 */
function reduce(a: Float64Array, n: number, ws: Workspace | null, start = 0, out?: { d: Float64Array; e: Float64Array; tau: Float64Array }): Tridiagonal {
  const { d, e, tau } = out ?? { d: new Float64Array(n), e: new Float64Array(n), tau: new Float64Array(n) };
  const simd = ws !== null;
  if (n === 0) return { d, e, tau, simd };
  const vec = (t: number) => (ws ? ws.vecs[t].fill(0) : new Float64Array(n));
  let v = vec(0), vn = vec(1), y = vec(3), yn = vec(4);
  const w = vec(2);
  let [oV, oVn, oY, oYn] = ws ? [ws.offsets[0], ws.offsets[1], ws.offsets[3], ws.offsets[4]] : [0, 0, 0, 0];
  let cur = n - start > 2 ? reflector(a, n, start, v) : { tau: 0, beta: n - start > 1 ? a[(start + 1) * n + start] : 0 };
  if (cur.tau !== 0) symMatvec(a, n, start + 1, v, y);
  for (let k = start; k < n - 2; k++) {
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

/**
 * Implicit QL on the tridiagonal (d, e with e[i] = T[i+1][i], e[n-1] = 0); d becomes the
 * eigenvalues (unsorted). With `zt` (n rows), rotations are applied to its rows: one at a time
 * in TypeScript, or with `rw` (zt in the kernels' memory) collected per QL step and applied as one
 * sweep in column slices.
 */
export function tql(d: Float64Array, e: Float64Array, zt?: Float64Array, rw?: RotationWork | null): void {
  const n = d.length;
  const EPS = 2 ** -52;
  let f = 0, tst1 = 0;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error(`symEig: QL iteration did not converge (n=${n})`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i]; h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r; s = e[i] / r; c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (zt && rw) { rw.cs[m - 1 - i] = c; rw.sn[m - 1 - i] = s; }
          else if (zt) {
            const a0 = i * n, b0 = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const zh = zt[b0 + k], zi = zt[a0 + k];
              zt[b0 + k] = s * zi + c * zh;
              zt[a0 + k] = c * zi - s * zh;
            }
          }
        }
        if (zt && rw) sweepRows(rw.k, rw.team, zt.byteOffset, n * 8, n, m - 1, m - l, rw.cs, rw.sn, true);
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
