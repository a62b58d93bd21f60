/**
 * General matrix–matrix product in float64, row-major: C ← β·C + α·A·B (BLAS dgemm without
 * transposes), A m×k, B k×n, C m×n, with leading dimensions (the distance between rows, in
 * entries) lda ≥ k, ldb ≥ n, ldc ≥ n.
 *
 * The product runs on the `gemm` WebAssembly kernel (kernels/linalg.wat): B is packed in blocks of
 * 256×64 entries, and each 4×4 block of C is kept in eight f64x2 registers over a block's 256 terms.
 * Large products are split over worker threads by rows of C. `gemmJs` below states exactly what
 * the kernel computes (same operations in the same order, so the results are bit-identical); it
 * is the reference the kernel is tested against and the fallback without WebAssembly SIMD.
 */
import { kernelMemory, kernelModule, loadKernels, type Kernels } from './wasmKernel.ts';
import { linalgThreads, splitRows, startTeam, type Team } from './threads.ts';
import { GEMM_PACK_BYTES } from './threadSlice.js';
import { GEMM_COPY_MIN, GEMM_THREADED_MIN } from './constants.ts';

/** Terms per block: each entry of C gets α·(sum of up to GEMM_KC products, in order) per block. */
export const GEMM_KC = 256;

/**
 * C ← C + α·A·B, in blocks of GEMM_KC terms: for each block p0 ≤ p < p0 + GEMM_KC,
 * C[i,j] += α·(A[i,p0]·B[p0,j] + A[i,p0+1]·B[p0+1,j] + …). The `gemm` kernel's statement.
 */
export function gemmJs(m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, c: Float64Array, ldc: number): void {
  const s = new Float64Array(n);
  for (let p0 = 0; p0 < k; p0 += GEMM_KC) {
    const p1 = Math.min(k, p0 + GEMM_KC);
    for (let i = 0; i < m; i++) {
      s.fill(0);
      const ra = i * lda;
      for (let p = p0; p < p1; p++) {
        const x = a[ra + p], rb = p * ldb;
        for (let j = 0; j < n; j++) s[j] += x * b[rb + j];
      }
      const rc = i * ldc;
      for (let j = 0; j < n; j++) c[rc + j] += alpha * s[j];
    }
  }
}

/**
 * The kernels and (optionally) helper threads for products of arrays that live in the kernels'
 * memory: `pack` is the byte offset of team size × GEMM_PACK_BYTES of scratch in that memory.
 */
export interface GemmWork { k: Kernels; team: Team | null; pack: number }

export interface GemmOptions {
  /** Run on these kernels, in place, when a, b and c are views of its memory (no copies). */
  work?: GemmWork | null;
  /** Threads when the product is copied into a fresh kernel memory (default: linalgThreads()). */
  threads?: number;
  /** false: the TypeScript statement (gemmJs). */
  wasm?: boolean;
}

function check(name: string, arr: Float64Array, rows: number, cols: number, ld: number): void {
  if (!(Number.isInteger(ld) && ld >= Math.max(1, cols))) throw new Error(`gemm: ld${name} must be an integer ≥ max(1, ${cols}) but got ${ld}`);
  if (rows > 0 && cols > 0 && arr.length < (rows - 1) * ld + cols) {
    throw new Error(`gemm: ${name.toUpperCase()} needs ${(rows - 1) * ld + cols} entries (${rows}×${cols}, ld${name} ${ld}) but has ${arr.length}`);
  }
}

/** Rows of C split over the team when the product is large enough, else all on the calling thread. */
function runKernel(w: GemmWork, m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void {
  const { k: kern, team, pack } = w;
  if (!team || m * n * k < GEMM_THREADED_MIN || m < 8 * team.size) {
    kern.gemm(c, ldc, a, lda, b, ldb, 0, m, n, k, alpha, pack);
    return;
  }
  // whole blocks of four rows per thread where possible
  const bounds = splitRows(0, m, team.size, 0).map((r, t, all) => (t === 0 || t === all.length - 1 ? r : r - (r % 4)));
  team.gemm(() => kern.gemm(c, ldc, a, lda, b, ldb, bounds[0], bounds[1], n, k, alpha, pack), bounds, c, ldc, a, lda, b, ldb, n, k, alpha, pack);
}

/**
 * C ← β·C + α·A·B (row-major float64; A m×k with rows lda apart, B k×n with rows ldb apart, C m×n
 * with rows ldc apart). β = 0 sets C to zero first (whatever it held, NaN included), as BLAS does.
 * With `opts.work` and all three arrays in its memory, runs in place on its kernels and team;
 * otherwise large products are copied into a fresh kernel memory (and split over threads).
 */
export function gemm(
  m: number, n: number, k: number, alpha: number,
  a: Float64Array, lda: number, b: Float64Array, ldb: number,
  beta: number, c: Float64Array, ldc: number, opts: GemmOptions = {},
): void {
  for (const [name, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!(Number.isInteger(v) && v >= 0)) throw new Error(`gemm: ${name} must be a non-negative integer but got ${v}`);
  }
  check('a', a, m, k, lda); check('b', b, k, n, ldb); check('c', c, m, n, ldc);
  if (beta !== 1) {
    for (let i = 0; i < m; i++) {
      const r = i * ldc;
      if (beta === 0) c.fill(0, r, r + n);
      else for (let j = 0; j < n; j++) c[r + j] *= beta;
    }
  }
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  const w = opts.work;
  if (opts.wasm === false) { gemmJs(m, n, k, alpha, a, lda, b, ldb, c, ldc); return; }
  if (w && [a, b, c].every((x) => x.buffer === w.k.memory.buffer)) {
    runKernel(w, m, n, k, alpha, a.byteOffset, lda, b.byteOffset, ldb, c.byteOffset, ldc);
    return;
  }
  const module = kernelModule();
  if (!module || m * n * k < GEMM_COPY_MIN) { gemmJs(m, n, k, alpha, a, lda, b, ldb, c, ldc); return; }
  // copy into one kernel memory: A (m×k), B (k×n), C (m×n), packing scratch per thread
  const size = m * n * k >= GEMM_THREADED_MIN ? Math.min(linalgThreads(opts.threads), Math.max(1, Math.floor(m / 8))) : 1;
  const entries = m * k + k * n + m * n;
  const memory = kernelMemory(entries * 8 + size * GEMM_PACK_BYTES);
  const kern = loadKernels(memory)!;
  const A = new Float64Array(memory.buffer, 0, m * k), B = new Float64Array(memory.buffer, m * k * 8, k * n);
  const C = new Float64Array(memory.buffer, (m * k + k * n) * 8, m * n);
  for (let i = 0; i < m; i++) A.set(a.subarray(i * lda, i * lda + k), i * k);
  for (let p = 0; p < k; p++) B.set(b.subarray(p * ldb, p * ldb + n), p * n);
  for (let i = 0; i < m; i++) C.set(c.subarray(i * ldc, i * ldc + n), i * n);
  const team = size > 1 ? startTeam(module, memory, size) : null;
  try {
    runKernel({ k: kern, team, pack: entries * 8 }, m, n, k, alpha, A.byteOffset, k, B.byteOffset, n, C.byteOffset, n);
  } finally {
    team?.close();
  }
  for (let i = 0; i < m; i++) c.set(C.subarray(i * n, i * n + n), i * ldc);
}

/** Bytes of packing scratch a GemmWork with `threads` threads (team size) needs at its `pack` offset. */
export function gemmPackBytes(threads: number): number {
  return threads * GEMM_PACK_BYTES;
}

/**
 * Fresh zeroed arrays of the given lengths in one kernel memory, with a GemmWork on it (`size`
 * threads, the caller's included; 1: no helper threads), so that products of them run in place.
 * Call `close()` when done (it stops the helper threads). Null without WebAssembly SIMD.
 */
export function gemmArrays(lengths: number[], size = 1): { work: GemmWork; arrays: Float64Array[]; close(): void } | null {
  const module = kernelModule();
  if (!module) return null;
  const total = lengths.reduce((s, x) => s + x, 0);
  const memory = kernelMemory(total * 8 + gemmPackBytes(size));
  const k = loadKernels(memory)!;
  let off = 0;
  const arrays = lengths.map((len) => { const x = new Float64Array(memory.buffer, off * 8, len); off += len; return x; });
  const team = size > 1 ? startTeam(module, memory, size) : null;
  return { work: { k, team, pack: total * 8 }, arrays, close: () => team?.close() };
}
