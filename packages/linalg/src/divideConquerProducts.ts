/**
 * The matrix products of the divide-and-conquer SVD (bidiagDivideConquer.ts merges, bidiagBackTransform.ts blocks),
 * with the scratch arrays their operands are gathered into.
 *
 * With WebAssembly SIMD, one kernel memory per `svd` call holds the output vectors U and V and
 * three scratch arrays sized for the largest operands; the products run in place on the `gemm`
 * kernel (gemm.ts), split over one team of worker threads kept for the whole call. Without SIMD
 * (or asked with wasm: false), scratch arrays are plain and the products run as gemm.ts's
 * TypeScript statement.
 */
import { gemm, gemmArrays, type GemmWork } from './gemm.ts';

export interface Products {
  /**
   * C ← β·C + α·A·B, row-major (A m×k, B k×n, C m×n), rows lda, ldb, ldc entries apart
   * (default: contiguous).
   */
  mul(m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array, lda?: number, ldb?: number, ldc?: number): void;
  /**
   * A zeroed array of `len` entries in scratch slot 0 … 6; it stays valid until that slot is asked
   * for again. Operands taken from here multiply in place on the kernel. Slots 0–2 hold up to
   * n·(n/2 + 1), n² and n·(n/2 + 1) entries (a merge's operands) or nb·m, nb·m, nb·n (a block of
   * reflectors: Y, Yᵀ, X·Y); slots 3, 4 and 6 nb² (the block's Gram matrix, T and Tᵀ), slot 5
   * nb·n (X·Y·Tᵀ).
   */
  scratch(slot: number, len: number): Float64Array;
}

/** Products as TypeScript loops (gemm.ts's statement of the kernel), fresh scratch arrays. */
export function jsProducts(): Products {
  return {
    mul: (m, n, k, alpha, a, b, beta, c, lda = k, ldb = n, ldc = n) => gemm(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, { wasm: false }),
    scratch: (_slot, len) => new Float64Array(len),
  };
}

export interface KernelProducts extends Products {
  /** Uᵀ (n×m) and Vᵀ (n×n) in the kernel memory, row-major (the vectors as rows), zeroed. */
  u: Float64Array;
  v: Float64Array;
  /** Stop the helper threads (always call, in a finally). */
  close(): void;
}

/**
 * One kernel memory for an m×n (m ≥ n) SVD's vectors: U, V, and the scratch slots (see
 * Products.scratch) for the merges' operands and the back-transformation's blocks of nb
 * reflectors. Null without WebAssembly SIMD.
 */
export function kernelProducts(m: number, n: number, nb: number, threads: number): KernelProducts | null {
  const half = n * (Math.ceil(n / 2) + 1);
  const caps = [Math.max(half, nb * m), Math.max(n * n, nb * m), Math.max(half, nb * n), nb * nb, nb * nb, nb * n, nb * nb];
  const mem = gemmArrays([m * n, n * n, ...caps], threads);
  if (!mem) return null;
  const [u, v, ...slots] = mem.arrays;
  const work: GemmWork = mem.work;
  return {
    u, v,
    mul: (m_, n_, k, alpha, a, b, beta, c, lda = k, ldb = n_, ldc = n_) => gemm(m_, n_, k, alpha, a, lda, b, ldb, beta, c, ldc, { work }),
    scratch: (slot, len) => {
      // larger than its slot (never, by the sizes above): a plain array, multiplied by copying
      if (len > slots[slot].length) return new Float64Array(len);
      const x = slots[slot].subarray(0, len);
      x.fill(0);
      return x;
    },
    close: mem.close,
  };
}
