/**
 * Pure float64 math for the linear state-space model
 *
 *   x_{k+1} = A x_k + B u_k,   y_k = C x_k + D u_k,   x_0 = 0,
 *
 * whose output is the causal convolution y_k = Σ_j K_j u_{k−j} with the kernel
 * K = [D, CB, CAB, …, CA^{L−1}B] (L + 1 taps). Three structures of A:
 *
 * - dense: `denseKernel` with three schedules (sequential mat-vec chain, the homework's
 *   doubling of blocks, and baby-step/giant-step), all giving the same numbers;
 * - diagonal A = diag(λ): K_{k+1} = Σ_i C_i λ_i^k B_i, O(nL);
 * - DPLR A = c·I + ppᵀ: (cI + ppᵀ)^k = c^k I + ((c+α)^k − c^k)/α · ppᵀ with α = pᵀp, so
 *   K_{k+1} = c^k·CB + ((c+α)^k − c^k)/α · (Cp)(pᵀB), O(n + L). The seed's c = 1 case is
 *   (I + ppᵀ)^k = I + ((1+α)^k − 1)/α · ppᵀ (its "revised" exponent k − 1 is wrong).
 *   A general diagonal diag(λ) + ppᵀ goes through the generating function (dplrInternals.ts).
 */
import { matrix64, type Matrix64 } from '@eigenflow/linalg';
import { dplrGeneralMarkov } from './dplrInternals.ts';

import type { SsmKind, SsmSystem } from './types.ts';

export type { SsmKind, SsmSystem } from './types.ts';
export const SSM_KINDS: readonly SsmKind[] = ['dense', 'diagonal', 'dplr'];

export type DenseMethod = 'sequential' | 'doubling' | 'bsgs';

function matvec(a: Matrix64, x: Float64Array, out = new Float64Array(a.rows)): Float64Array {
  const { rows, cols, data } = a;
  let i = 0;
  // Four rows per sweep over x: one load of x[j] feeds four multiply-adds.
  for (; i + 3 < rows; i += 4) {
    const o0 = i * cols, o1 = o0 + cols, o2 = o1 + cols, o3 = o2 + cols;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < cols; j++) {
      const xj = x[j];
      s0 += data[o0 + j] * xj; s1 += data[o1 + j] * xj; s2 += data[o2 + j] * xj; s3 += data[o3 + j] * xj;
    }
    out[i] = s0; out[i + 1] = s1; out[i + 2] = s2; out[i + 3] = s3;
  }
  for (; i < rows; i++) {
    let s = 0;
    const o = i * cols;
    for (let j = 0; j < cols; j++) s += data[o + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** xᵀA as a vector (row vector times matrix). */
function vecmat(x: Float64Array, a: Matrix64, out = new Float64Array(a.cols)): Float64Array {
  out.fill(0);
  const { rows, cols, data } = a;
  for (let i = 0; i < rows; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j] += xi * data[o + j];
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The baby-step count m (a power of two) minimising n²(m + L/m) + n³·log2 m. */
export function bsgsStep(n: number, L: number): number {
  let best = 1, bestCost = Infinity;
  for (let m = 1; m <= Math.max(1, L); m *= 2) {
    const cost = n * n * (m + Math.ceil(L / m)) + n * n * n * Math.log2(m);
    if (cost < bestCost) { best = m; bestCost = cost; }
  }
  return best;
}

/** Estimated multiply-adds of each dense schedule, used by `method: 'auto'`. */
export function denseCost(n: number, L: number): Record<DenseMethod, number> {
  const m = bsgsStep(n, L);
  return {
    sequential: n * n * L,
    doubling: n * n * L + n * n * n * Math.ceil(Math.log2(Math.max(L, 2))),
    bsgs: n * n * (m + Math.ceil(L / m)) + n * n * n * Math.log2(m) + n * L,
  };
}

/**
 * K = [D, CB, …, CA^{L−1}B] for a dense A.
 * - `sequential`: v ← A v, L mat-vecs (O(n²L) work, L-deep chain).
 * - `doubling`: keep the block [B, AB, …, A^{m−1}B] and P = A^m; the next block is P·block,
 *   then P ← P² (log2 L squarings: the log-depth schedule of the homework, O(n²L + n³ log L)).
 * - `bsgs`: baby steps b_j = A^j B (j < m), giant steps g_i = C A^{im} (i < L/m), with
 *   m a power of two minimising n²(m + L/m) + n³ log m (≈ √L when L ≫ n); then
 *   K_{1+im+j} = g_i · b_j. O(n²(m + L/m) + n³ log m + nL): the cheapest once L ≫ n.
 */
export function denseKernel(sys: { A: Matrix64; B: Float64Array; C: Float64Array; D: number }, L: number, method: DenseMethod | 'auto' = 'auto'): Float64Array {
  const { A, B, C, D } = sys;
  const n = A.rows;
  const K = new Float64Array(L + 1);
  K[0] = D;
  if (L === 0) return K;
  if (method === 'auto') {
    const cost = denseCost(n, L);
    method = cost.bsgs < cost.sequential * 0.7 ? 'bsgs' : 'sequential';
  }
  if (method === 'sequential') {
    const steps = sequentialKernelSteps(sys, L);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }
  if (method === 'doubling') {
    // block holds columns A^j B for j < m, stored row-major n×m.
    let block = matrix64(n, 1, B);
    let P = A;
    for (;;) {
      const m = block.cols;
      for (let j = 0; j < m && j < L; j++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += C[i] * block.data[i * m + j];
        K[1 + j] = s;
      }
      if (m >= L) return K;
      const next = mul4(P, block); // columns A^{m+j} B
      const joined = matrix64(n, 2 * m);
      for (let i = 0; i < n; i++) {
        joined.data.set(block.data.subarray(i * m, (i + 1) * m), i * 2 * m);
        joined.data.set(next.data.subarray(i * m, (i + 1) * m), i * 2 * m + m);
      }
      block = joined;
      if (2 * m < L) P = mul4(P, P);
    }
  }
  // bsgs
  const m = bsgsStep(n, L);
  const baby: Float64Array[] = [Float64Array.from(B)];
  for (let j = 1; j < m; j++) baby.push(matvec(A, baby[j - 1]));
  const Am = matrixPower(A, m);
  let g = Float64Array.from(C), tmp = new Float64Array(n);
  for (let base = 0; base < L; base += m) {
    for (let j = 0; j < m && base + j < L; j++) K[1 + base + j] = dot(g, baby[j]);
    if (base + m < L) { vecmat(g, Am, tmp); [g, tmp] = [tmp, g]; }
  }
  return K;
}

/**
 * The `sequential` schedule of `denseKernel` (v ← A v, K_k = C·v) as a generator that yields
 * `{ step: k, total: L }` after about 4·10⁶ multiply-adds (⌈4·10⁶/n²⌉ taps, a few ms), so a caller
 * can hand the thread back between blocks; it returns K_0 … K_L, the same numbers in the same order.
 */
export function* sequentialKernelSteps(sys: { A: Matrix64; B: Float64Array; C: Float64Array; D: number }, L: number): Generator<{ step: number; total: number }, Float64Array> {
  const { A, B, C, D } = sys;
  const n = A.rows;
  const block = Math.max(1, Math.ceil(4e6 / (n * n)));
  const K = new Float64Array(L + 1);
  K[0] = D;
  const state = { v: Float64Array.from(B), w: new Float64Array(n) };
  for (let k = 1; k <= L; k += block) {
    sequentialTaps(A, C, K, state, k, Math.min(L, k + block - 1), L);
    if (k + block <= L) yield { step: k + block - 1, total: L };
  }
  return K;
}

/** Taps `from` … `to` of the sequential schedule; `state` carries v (and the scratch w) between blocks. */
function sequentialTaps(A: Matrix64, C: Float64Array, K: Float64Array, state: { v: Float64Array<ArrayBuffer>; w: Float64Array<ArrayBuffer> }, from: number, to: number, L: number): void {
  let { v, w } = state;
  for (let k = from; k <= to; k++) {
    K[k] = dot(C, v);
    if (k < L) { matvec(A, v, w); [v, w] = [w, v]; }
  }
  state.v = v;
  state.w = w;
}

/**
 * C = A·B for square float64 matrices, four rows of A per sweep over B (each row of B loaded
 * once feeds four output rows): ~2–3× the plain i-k-j loop in V8 for n in the hundreds.
 */
function mul4(a: Matrix64, b: Matrix64): Matrix64 {
  const n = a.rows, m = b.cols, p = a.cols;
  const out = matrix64(n, m);
  const A = a.data, B = b.data, C = out.data;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const c0 = i * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
    for (let k = 0; k < p; k++) {
      const x0 = A[i * p + k], x1 = A[(i + 1) * p + k], x2 = A[(i + 2) * p + k], x3 = A[(i + 3) * p + k];
      const bk = k * m;
      for (let j = 0; j < m; j++) {
        const bv = B[bk + j];
        C[c0 + j] += x0 * bv; C[c1 + j] += x1 * bv; C[c2 + j] += x2 * bv; C[c3 + j] += x3 * bv;
      }
    }
  }
  for (; i < n; i++) {
    const ci = i * m;
    for (let k = 0; k < p; k++) {
      const x = A[i * p + k], bk = k * m;
      for (let j = 0; j < m; j++) C[ci + j] += x * B[bk + j];
    }
  }
  return out;
}

/** A^k by repeated squaring (k ≥ 0), O(n³ log k). */
export function matrixPower(a: Matrix64, k: number): Matrix64 {
  let result: Matrix64 | null = null;
  let base = a;
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = result ? mul4(result, base) : base;
    if (e > 1) base = mul4(base, base);
  }
  if (result) return result;
  const I = matrix64(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) I.data[i * a.cols + i] = 1;
  return I;
}

/** Diagonal A: K_{k+1} = Σ_i (C_i B_i) λ_i^k, with the powers built by one running product. */
export function diagonalKernel(lambda: Float64Array, B: Float64Array, C: Float64Array, D: number, L: number): Float64Array {
  const n = lambda.length;
  const K = new Float64Array(L + 1);
  K[0] = D;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = C[i] * B[i];
  for (let k = 1; k <= L; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) { s += w[i]; w[i] *= lambda[i]; }
    K[k] = s;
  }
  return K;
}

/**
 * The scalar coefficient β_k in (cI + ppᵀ)^k = c^k I + β_k ppᵀ, β_k = ((c+α)^k − c^k)/α.
 * For c > 0 it is evaluated as c^k·expm1(k·log1p(α/c))/α, exact even when α ≪ c (where the
 * difference form cancels); α = 0 gives the limit k·c^{k−1}.
 */
export function dplrBeta(c: number, alpha: number, k: number): number {
  if (k === 0) return 0;
  if (alpha === 0) return k * Math.pow(c, k - 1);
  if (c > 0) return (Math.pow(c, k) * Math.expm1(k * Math.log1p(alpha / c))) / alpha;
  return (Math.pow(c + alpha, k) - Math.pow(c, k)) / alpha;
}

/** DPLR A = c·I + ppᵀ in closed form: K_{k+1} = c^k·CB + β_k·(Cp)(pᵀB). O(n + L). */
export function dplrKernel(p: Float64Array, c: number, B: Float64Array, C: Float64Array, D: number, L: number): Float64Array {
  const alpha = dot(p, p), cb = dot(C, B), cp = dot(C, p), pb = dot(p, B);
  const K = new Float64Array(L + 1);
  K[0] = D;
  for (let k = 1; k <= L; k++) K[k] = Math.pow(c, k - 1) * cb + dplrBeta(c, alpha, k - 1) * cp * pb;
  return K;
}

/** The kernel of a system by its own structure (`dense` may pick a schedule). */
export function kernelOf(sys: SsmSystem, L: number, method: DenseMethod | 'auto' = 'auto'): Float64Array {
  switch (sys.kind) {
    case 'dense': return denseKernel({ ...sys, A: sys.A! }, L, method);
    case 'diagonal': return diagonalKernel(sys.lambda!, sys.B, sys.C, sys.D, L);
    case 'dplr': {
      if (!sys.lambda) return dplrKernel(sys.p!, sys.shift ?? 1, sys.B, sys.C, sys.D, L);
      const K = new Float64Array(L + 1);
      K[0] = sys.D;
      K.set(dplrGeneralMarkov(sys.lambda, sys.p!, sys.B, sys.C, L), 1);
      return K;
    }
  }
}

/**
 * Outputs y_0 … y_{T−1} by running the recurrence (x_0 = 0). Diagonal and DPLR systems use
 * their O(n) state update (A x = λ∘x, or c·x + p(pᵀx)); dense uses the O(n²) mat-vec.
 */
export function recurrence(sys: SsmSystem, u: ArrayLike<number>): Float64Array {
  const steps = recurrenceSteps(sys, u);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * `recurrence` as a generator that yields `{ step: k, total: T }` after about 4·10⁶
 * multiply-adds (n² per step for dense A, n otherwise), so a caller can hand the thread back
 * between blocks; it returns the same outputs, computed in the same order.
 */
export function* recurrenceSteps(sys: SsmSystem, u: ArrayLike<number>): Generator<{ step: number; total: number }, Float64Array> {
  const T = u.length;
  const y = new Float64Array(T);
  const block = Math.max(1, Math.ceil(4e6 / (sys.kind === 'dense' ? sys.n * sys.n : sys.n)));
  const state = { x: new Float64Array(sys.n), next: new Float64Array(sys.n) };
  for (let k = 0; k < T; k += block) {
    recurrenceBlock(sys, u, y, state, k, Math.min(T, k + block));
    if (k + block < T) yield { step: k + block, total: T };
  }
  return y;
}

/** Outputs y_from … y_{to−1}; `state` carries x (and the scratch `next`) between blocks. */
function recurrenceBlock(sys: SsmSystem, u: ArrayLike<number>, y: Float64Array, state: { x: Float64Array<ArrayBuffer>; next: Float64Array<ArrayBuffer> }, from: number, to: number): void {
  const n = sys.n, T = u.length;
  let { x, next } = state;
  const { B, C, D } = sys;
  for (let k = from; k < to; k++) {
    y[k] = dot(C, x) + D * u[k];
    if (k === T - 1) break;
    if (sys.kind === 'diagonal') {
      const lam = sys.lambda!;
      for (let i = 0; i < n; i++) next[i] = lam[i] * x[i] + B[i] * u[k];
    } else if (sys.kind === 'dplr') {
      const p = sys.p!, c = sys.shift ?? 1, lam = sys.lambda, px = dot(p, x);
      for (let i = 0; i < n; i++) next[i] = (lam ? lam[i] : c) * x[i] + p[i] * px + B[i] * u[k];
    } else {
      matvec(sys.A!, x, next);
      for (let i = 0; i < n; i++) next[i] += B[i] * u[k];
    }
    [x, next] = [next, x];
  }
  state.x = x;
  state.next = next;
}

/** The n×n matrix A of any system (built for diagonal and DPLR; O(n²) memory). */
export function denseMatrix(sys: SsmSystem): Matrix64 {
  if (sys.A) return sys.A;
  const n = sys.n;
  const A = matrix64(n, n);
  if (sys.kind === 'diagonal') for (let i = 0; i < n; i++) A.data[i * n + i] = sys.lambda![i];
  if (sys.kind === 'dplr') {
    const p = sys.p!, c = sys.shift ?? 1, lam = sys.lambda;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.data[i * n + j] = (i === j ? (lam ? lam[i] : c) : 0) + p[i] * p[j];
  }
  return A;
}
