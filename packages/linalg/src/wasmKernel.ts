/**
 * The SIMD (f64x2) WebAssembly kernels of the float64 decompositions, loaded from the binary built
 * out of kernels/linalg.wat (readable WebAssembly text: every kernel is documented there, next to
 * the TypeScript loop it replaces). `npm run build:kernels` rebuilds src/linalgKernelBinary.ts.
 *
 * If the runtime cannot compile the module (no WebAssembly SIMD), `loadKernels` returns null and
 * every caller runs its plain TypeScript loop instead; those loops are the reference the kernels
 * are tested against (test/wasmKernel.spec.ts).
 *
 * The compiled module is immutable and shared; each caller instantiates it on its own memory, so
 * concurrent analyses never share state.
 */
import { LINALG_WASM_BASE64 } from './linalgKernelBinary.ts';

/** Rows first..last−1 of step k (all of them: k+1..m−1). */
export type RowsKernel = (a: number, n: number, first: number, last: number, k: number, w: number, u: number, p: number, tl: number, tr: number, scale: number) => void;
/** Rows first..last−1 of the step whose trailing block starts at lo (all of them: lo..n−1). */
export type TriKernel = (a: number, n: number, lo: number, first: number, last: number, v: number, w: number, vn: number, yn: number) => void;
export interface Kernels {
  /** Step k of the one-pass bidiagonalisation over rows k+1..m−1 (bidiagonalize.ts `rowsJs`). */
  rows: RowsKernel;
  /** Symmetric rank-2 update + product of one tridiagonalisation step (tridiagonalize.ts). */
  tri: TriKernel;
  /** Apply I − τ·v·vᵀ from the right to `rows` rows `stride` bytes apart. */
  refl: (base: number, rows: number, stride: number, len: number, v: number, tau: number) => void;
  /** Rotate two rows: p ← c·p + s·q, q ← c·q − s·p. */
  rot: (p: number, q: number, len: number, c: number, s: number) => void;
  /** C ← C + α·A·B on rows first..last−1 of C; `pack`: GEMM_PACK_BYTES of scratch (gemm.ts `gemmJs`). */
  gemm: (c: number, ldc: number, a: number, lda: number, b: number, ldb: number, first: number, last: number, n: number, k: number, alpha: number, pack: number) => void;
  memory: WebAssembly.Memory;
}

/** The compiled kernel module, or null when this runtime lacks WebAssembly SIMD. */
const KERNEL_MODULE: WebAssembly.Module | null = compileKernels();

function compileKernels(): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(Buffer.from(LINALG_WASM_BASE64, 'base64'));
  } catch {
    return null;
  }
}

/** The compiled kernel module (to hand to worker threads), or null without SIMD. */
export function kernelModule(): WebAssembly.Module | null {
  return KERNEL_MODULE;
}

/**
 * A WebAssembly memory of at least `bytes` bytes, shared (the kernels import a shared memory so
 * that worker threads can work on it), with its maximum equal to its size: it never grows.
 */
export function kernelMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Whether the SIMD kernels compiled in this runtime (false: the TypeScript loops run). */
export function kernelsAvailable(): boolean {
  return KERNEL_MODULE !== null;
}

/** The kernels bound to `memory`, or null when WebAssembly SIMD is unavailable. */
export function loadKernels(memory: WebAssembly.Memory): Kernels | null {
  if (!KERNEL_MODULE) return null;
  const inst = new WebAssembly.Instance(KERNEL_MODULE, { env: { mem: memory } });
  const x = inst.exports as unknown as Omit<Kernels, 'memory'>;
  return { rows: x.rows, tri: x.tri, refl: x.refl, rot: x.rot, gemm: x.gemm, memory };
}

/** The bidiagonalisation row kernel bound to `memory`, or null. */
export function loadBidiagKernel(memory: WebAssembly.Memory): RowsKernel | null {
  return loadKernels(memory)?.rows ?? null;
}

/** Fresh zeroed arrays of the given lengths in one WebAssembly memory, with its kernels; or null. */
export function kernelArrays(lengths: number[]): { k: Kernels; arrays: Float64Array[] } | null {
  const total = lengths.reduce((a, b) => a + b, 0) + 2;
  const memory = kernelMemory(total * 8);
  const k = loadKernels(memory);
  if (!k) return null;
  let off = 0;
  const arrays = lengths.map((len) => { const a = new Float64Array(memory.buffer, off * 8, len); off += len; return a; });
  return { k, arrays };
}
