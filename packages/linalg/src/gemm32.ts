/**
 * float32 matrix products C = op(A)·op(B), batched, with transposes, on the WebAssembly SIMD kernel
 * of kernels/gemm32.wat (`npm run build:kernels` rebuilds src/gemm32KernelBinary.ts).
 *
 * Two ways in: `matmul32` takes and returns Float32Arrays (it copies into a memory of its own);
 * `gemm32Kernel(memory)` binds the kernel to an existing WebAssembly memory, such as the wasm
 * backend's, so products run on tensors where they already are (src/backend/matMulWasm.ts).
 * No tfjs here.
 */
import { GEMM32_WASM_BASE64 } from './gemm32KernelBinary.ts';

/** Scratch the kernel needs per call, at most: one KC×NC (256×512) packed block of B. */
export const GEMM32_PACK_BYTES = 256 * 512 * 4;

/** The shape of a batched product: `batch` products op(A_t) (m×k) · op(B_t) (k×n). */
export interface MatMulShape {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** A_t is stored k×m (row-major) and used transposed. */
  transposeA: boolean;
  /** B_t is stored n×k and used transposed. */
  transposeB: boolean;
  /** A or B is one matrix used for every product of the batch (a batch of one, broadcast). */
  broadcastA?: boolean;
  broadcastB?: boolean;
}

export interface Gemm32Kernel {
  /**
   * C ← op(A)·op(B) for every product of the batch; a, b, c, pack are byte offsets into the
   * kernel's memory (C contiguous, batch·m·n entries; pack: GEMM32_PACK_BYTES, 16-byte aligned).
   */
  matmul(c: number, a: number, b: number, shape: MatMulShape, pack: number): void;
  readonly memory: WebAssembly.Memory;
}

type RawMatmul = (c: number, a: number, b: number, batch: number, m: number, n: number, k: number,
  sar: number, sac: number, sbr: number, sbc: number, batchA: number, batchB: number, pack: number) => void;

/** The compiled module (immutable, shared by every memory), or null without WebAssembly SIMD. */
const MODULE: WebAssembly.Module | null = (() => {
  try { return new WebAssembly.Module(Buffer.from(GEMM32_WASM_BASE64, 'base64')); } catch { return null; }
})();

/** Whether this runtime compiled the kernel (WebAssembly SIMD). */
export function gemm32Available(): boolean {
  return MODULE !== null;
}

/** The kernel bound to `memory` (a non-shared memory; it may grow), or null without SIMD. */
export function gemm32Kernel(memory: WebAssembly.Memory): Gemm32Kernel | null {
  if (!MODULE) return null;
  const raw = (new WebAssembly.Instance(MODULE, { env: { mem: memory } }).exports as { matmul: RawMatmul }).matmul;
  return {
    memory,
    matmul(c, a, b, s, pack) {
      const { batch, m, n, k } = s;
      if (batch === 0 || m === 0 || n === 0) return;
      if (k === 0) { new Float32Array(memory.buffer, c, batch * m * n).fill(0); return; }
      // A[i, p] at a + 4·(i·sar + p·sac); B[p, j] at b + 4·(p·sbr + j·sbc)
      const [sar, sac] = s.transposeA ? [1, m] : [k, 1];
      const [sbr, sbc] = s.transposeB ? [1, k] : [n, 1];
      raw(c, a, b, batch, m, n, k, sar, sac, sbr, sbc, s.broadcastA ? 0 : m * k, s.broadcastB ? 0 : k * n, pack);
    },
  };
}

/**
 * C = op(A)·op(B) for Float32Arrays (A: batch·m·k entries, or m·k when broadcast; B likewise),
 * on a memory of its own. Returns C (batch·m·n), or null without WebAssembly SIMD.
 */
export function matmul32(a: Float32Array, b: Float32Array, shape: MatMulShape): Float32Array | null {
  const { batch, m, n, k } = shape;
  const sizeA = (shape.broadcastA ? 1 : batch) * m * k, sizeB = (shape.broadcastB ? 1 : batch) * k * n, sizeC = batch * m * n;
  if (a.length !== sizeA || b.length !== sizeB) throw new Error(`matmul32: A has ${a.length} entries and B ${b.length}, but the shape needs ${sizeA} and ${sizeB}`);
  const bytes = 4 * (sizeA + sizeB + sizeC) + GEMM32_PACK_BYTES + 16;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const kernel = gemm32Kernel(memory);
  if (!kernel) return null;
  const f = new Float32Array(memory.buffer);
  f.set(a, 0);
  f.set(b, sizeA);
  const c = 4 * (sizeA + sizeB), pack = (c + 4 * sizeC + 15) & ~15;
  kernel.matmul(c, 0, 4 * sizeA, shape, pack);
  return f.slice(sizeA + sizeB, sizeA + sizeB + sizeC);
}
