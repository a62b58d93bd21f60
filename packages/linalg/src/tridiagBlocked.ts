/**
 * Blocked (BLAS-3) Householder tridiagonalisation, as LAPACK's dsytrd/dlatrd (lower triangle).
 *
 * The one-pass reduction (tridiag.ts) reads and writes the whole trailing triangle at every
 * column. Here the columns are taken in panels of nb. Within a panel, column c is brought up to
 * date from the panel's earlier reflectors only (O(n·nb)), its reflector v is formed, and
 * w = τy − (τ²/2)(yᵀv)·v with y = (A − V·Wᵀ − W·Vᵀ)·v is computed from the trailing matrix as it
 * was before the panel (one symmetric product that only reads it) corrected by the panel's V
 * and W. After nb columns the trailing triangle gets all nb rank-2 updates at once,
 * A ← A − V·Wᵀ − W·Vᵀ: a matrix–matrix product (the `syr2k` kernel, split over the worker threads
 * by rows) that reads and writes each entry of A once per panel instead of once per column. The
 * last columns (fewer than CROSSOVER plus one panel) are left to the one-pass reduction.
 *
 * The reflectors are the same as the one-pass reduction's (up to rounding) and stored the same
 * way (below the subdiagonal), so formQt and tql work on either.
 */
import { reflector, symMatvec, THREADED_MIN_BLOCK, type Workspace } from './tridiag.ts';
import { splitRows } from './threads.ts';

/** The panel width measured best (16–64 tried): what the default would be if BLOCKED_BY_DEFAULT were true. */
export const TRIDIAG_BLOCK = 32;
/**
 * The blocked path is used only when asked for (`block` > 1): measured on this project's 2-core
 * machine it is 1.1–1.3× slower than the one-pass reduction at 1024² and 4096² (quiet machine,
 * two threads) and 1.6× at 2048² (loaded); see README.md. Without fused multiply–add in
 * WebAssembly its matrix–matrix kernel needs one floating-point instruction per flop, as the
 * one-pass kernel does, and the one-pass kernel also fuses the next product into the update, so
 * blocking only saves memory traffic.
 */
export const BLOCKED_BY_DEFAULT = false;
/** The last columns, fewer than this plus one panel, go to the one-pass reduction. */
const CROSSOVER = 64;

/** Panel width for an n×n reduction: the explicit `block` (0 or 1 = one-pass), else the default (one-pass, see BLOCKED_BY_DEFAULT). */
export function panelWidth(n: number, block?: number): number {
  if (block !== undefined) {
    if (!(Number.isInteger(block) && block >= 0)) throw new Error(`linalg: block must be a non-negative integer but got ${block}`);
    return block;
  }
  return BLOCKED_BY_DEFAULT && n >= 256 ? TRIDIAG_BLOCK : 0;
}

/**
 * A ← A − V·Wᵀ − W·Vᵀ on rows first..last−1, columns lo..i of the lower triangle (the TypeScript
 * statement of the `syr2k` kernel, same operations in the same order). vt, wt: nb×n (row p is
 * column p of V, W).
 */
export function syr2kJs(a: Float64Array, n: number, lo: number, first: number, last: number, nb: number, vt: Float64Array, wt: Float64Array): void {
  for (let i = first; i < last; i++) {
    const r = i * n;
    for (let j = lo; j <= i; j++) {
      let s = a[r + j];
      for (let p = 0; p < nb; p++) s -= vt[p * n + i] * wt[p * n + j] + wt[p * n + i] * vt[p * n + j];
      a[r + j] = s;
    }
  }
}

interface PanelArrays {
  vt: Float64Array; wt: Float64Array;
  cw: Float64Array; cv: Float64Array; col: Float64Array; v: Float64Array; y: Float64Array;
}

/** cw[p] = wt[p, lo:]·v[lo:], cv[p] = vt[p, lo:]·v[lo:] for p < count (the `pdots` kernel's statement). */
export function panelDotsJs(vt: Float64Array, wt: Float64Array, n: number, lo: number, count: number, v: Float64Array, cw: Float64Array, cv: Float64Array): void {
  for (let p = 0; p < count; p++) {
    const q = p * n;
    let sw = 0, sv = 0;
    for (let r = lo; r < n; r++) { sw += wt[q + r] * v[r]; sv += vt[q + r] * v[r]; }
    cw[p] = sw; cv[p] = sv;
  }
}

/** y[lo:] −= vt[p, lo:]·cw[p] + wt[p, lo:]·cv[p] for p = 0, 1, …, count−1 (the `pupdate` kernel's statement). */
export function panelUpdateJs(vt: Float64Array, wt: Float64Array, n: number, lo: number, count: number, cw: Float64Array, cv: Float64Array, y: Float64Array): void {
  for (let p = 0; p < count; p++) {
    const q = p * n, a = cw[p], b = cv[p];
    for (let r = lo; r < n; r++) y[r] -= vt[q + r] * a + wt[q + r] * b;
  }
}

/** y[lo..] = A[lo:, lo:]·v (lower triangle), on the kernel and the team when there is one. */
function product(a: Float64Array, n: number, lo: number, P: PanelArrays, ws: Workspace | null): void {
  P.y.fill(0, lo);
  if (!ws) { symMatvec(a, n, lo, P.v, P.y); return; }
  const { team, k } = ws, v = P.v.byteOffset, y = P.y.byteOffset;
  if (!team || ((n - lo) * (n - lo)) / 2 < THREADED_MIN_BLOCK) { k.symv(0, n, lo, lo, n, v, y); return; }
  for (const part of ws.partials) part.fill(0, lo);
  const b = splitRows(lo, n, team.size, 1);
  team.symv(() => k.symv(0, n, lo, b[0], b[1], v, y), b, 0, n, lo, v);
  for (const part of ws.partials) for (let j = lo; j < n; j++) P.y[j] += part[j];
}

/** The trailing update A[lo:, lo:] −= V·Wᵀ + W·Vᵀ (nb columns), on the kernel and the team when there is one. */
function trailing(a: Float64Array, n: number, lo: number, nb: number, P: PanelArrays, ws: Workspace | null): void {
  const { vt, wt } = P;
  if (!ws) { syr2kJs(a, n, lo, lo, n, nb, vt, wt); return; }
  const { team, k } = ws;
  const args = [nb, vt.byteOffset, wt.byteOffset] as const;
  if (!team || ((n - lo) * (n - lo)) / 2 < THREADED_MIN_BLOCK) { k.syr2k(0, n, lo, lo, n, ...args); return; }
  const b = splitRows(lo, n, team.size, 1);
  team.syr2k(() => k.syr2k(0, n, lo, b[0], b[1], ...args), b, 0, n, lo, ...args);
}

/**
 * Reduce the first columns of the lower triangle of `a` in panels of nb, filling d, e, tau; returns
 * the first column left for the one-pass reduction (0 when the matrix is too small for one panel).
 * With `ws`, `a` must be ws.a (the kernels' memory).
 */
export function reducePanels(a: Float64Array, n: number, nb: number, out: { d: Float64Array; e: Float64Array; tau: Float64Array }, ws: Workspace | null): number {
  const { d, e, tau } = out;
  const P: PanelArrays = ws
    ? { ...ws.panel, v: ws.vecs[0], y: ws.vecs[3] }
    : {
      vt: new Float64Array(nb * n), wt: new Float64Array(nb * n),
      cw: new Float64Array(nb), cv: new Float64Array(nb), col: new Float64Array(n), v: new Float64Array(n), y: new Float64Array(n),
    };
  const { vt, wt, cw, cv, col, v, y } = P;
  const k = ws?.k;
  const dots = (lo: number, count: number) => k
    ? k.pdots(vt.byteOffset, wt.byteOffset, n, lo, count, v.byteOffset, cw.byteOffset, cv.byteOffset)
    : panelDotsJs(vt, wt, n, lo, count, v, cw, cv);
  const update = (lo: number, count: number, out: Float64Array) => k
    ? k.pupdate(vt.byteOffset, wt.byteOffset, n, lo, count, cw.byteOffset, cv.byteOffset, out.byteOffset)
    : panelUpdateJs(vt, wt, n, lo, count, cw, cv, out);
  let k0 = 0;
  for (; n - k0 >= nb + CROSSOVER; k0 += nb) {
    vt.fill(0); wt.fill(0);
    for (let i = 0; i < nb; i++) {
      const c = k0 + i;
      // bring column c (rows c..n−1) up to date: A[:, c] −= V·W[c, :]ᵀ + W·V[c, :]ᵀ
      if (i > 0) {
        col.fill(0, c);
        for (let p = 0; p < i; p++) { cw[p] = wt[p * n + c]; cv[p] = vt[p * n + c]; }
        update(c, i, col); // col = −(V·W[c, :]ᵀ + W·V[c, :]ᵀ)
        for (let r = c; r < n; r++) a[r * n + c] += col[r];
      }
      d[c] = a[c * n + c];
      v.fill(0);
      const { tau: t, beta } = reflector(a, n, c, v);
      e[c] = beta; tau[c] = t;
      if (t === 0) continue; // V and W keep a zero column: no update
      const lo = c + 1, o = i * n;
      for (let r = lo; r < n; r++) vt[o + r] = v[r];
      // y = A·v over the trailing matrix as before the panel, then − V(Wᵀv) − W(Vᵀv)
      product(a, n, lo, P, ws);
      dots(lo, i);
      update(lo, i, y);
      // w = τy − (τ²/2)(yᵀv)·v
      let yv = 0;
      for (let r = lo; r < n; r++) yv += y[r] * v[r];
      const K = 0.5 * t * t * yv;
      for (let r = lo; r < n; r++) wt[o + r] = t * y[r] - K * v[r];
    }
    trailing(a, n, k0 + nb, nb, P, ws);
  }
  return k0;
}
