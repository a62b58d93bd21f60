/**
 * Loss and gradient of the residual MLP y = W2·relu(W1 x) + Wn x against relu(x), written by hand
 * for sparse inputs (see docs/cis.md, "How training is fast"), for each of `count` independent
 * models (members), in one WebAssembly SIMD call (kernels/residualStep.wat).
 *
 * With h = relu(W1 x) and z = Wn x − relu(x), the loss is L = 1/(B n) Σ_b ‖W2 h_b + z_b‖². Expanding
 * the square with G = W2ᵀW2 (m × m) and A = W2ᵀWn (m × n) gives, exactly,
 *   ‖W2 h + z‖² = hᵀG h + 2 hᵀ(A x − W2ᵀrelu(x)) + xᵀ(WnᵀWn)x − 2 relu(x)ᵀWn x + ‖relu(x)‖²
 *   ∂L/∂h_b   = s (G h_b + A x_b − W2ᵀ relu(x_b)),                      s = 2/(B n)
 *   ∂L/∂W2    = s (W2 (HᵀH) + Wn (XᵀH) − relu(X)ᵀH)
 *   ∂L/∂W1    = Σ_b (∂L/∂h_b ⊙ [W1 x_b > 0]) x_bᵀ
 * so no B × n matrix is ever formed: every product with x is a gather or scatter over the nonzeros
 * (≈ B·n·p of them), rows with no active feature drop out (h = 0, z = 0), and G h_b and HᵀH run
 * over the units with h > 0 only (about half, by relu). The kernel does all of it in one pass over
 * the rows, on float32 vectors of m entries (float64 for the loss and the ‖z‖² terms).
 */
import type { CsrBatch } from '../data/types.ts';
import { GEMM32_PACK_BYTES, gemm32Kernel } from '@eigenflow/linalg';
import { RESIDUALSTEP_WASM_BASE64 } from './residualStepKernelBinary.ts';

interface Kernel {
  rows(n: number, m: number, mp: number, rows: number, rowPtr: number, col: number, val: number, w1: number, w2: number, wn: number, mn: number,
    noise: number, g1: number, G: number, CP: number, CN: number, PP: number, PN: number, HH: number, scratch: number, s: number): number;
  finish(nrb: number, g2: number, PP: number, PN: number, WP: number, noise: number, s: number): void;
}

/** The compiled kernel (immutable; every step instantiates it on a memory of its own). */
const MODULE = new WebAssembly.Module(Buffer.from(RESIDUALSTEP_WASM_BASE64, 'base64'));

export interface ResidualSteps {
  /**
   * Member k's mean-squared loss on batch x; writes ∂L/∂W1ᵀ into gW1T and ∂L/∂W2 into gW2
   * (n × m each, row-major, overwritten). W1T is W1 transposed.
   */
  lossAndGrad(k: number, x: CsrBatch, W1T: Float32Array, W2: Float32Array, gW1T: Float32Array, gW2: Float32Array): number;
}

export interface ResidualStep {
  /** One model's loss; writes ∂L/∂W1ᵀ into gW1T and ∂L/∂W2 into gW2 (n × m each, overwritten). */
  lossAndGrad(x: CsrBatch, W1T: Float32Array, W2: Float32Array, gW1T: Float32Array, gW2: Float32Array): number;
}

/** The step of one model. */
export function createResidualStep(n: number, m: number, Wn: Float32Array): ResidualStep {
  const steps = createResidualSteps(n, m, 1, Wn);
  return { lossAndGrad: (x, W1T, W2, gW1T, gW2) => steps.lossAndGrad(0, x, W1T, W2, gW1T, gW2) };
}

const align16 = (bytes: number): number => (bytes + 15) & ~15;

/** Precomputes what depends only on the members' Wn (count blocks of n × n, row-major) and returns their steps. */
export function createResidualSteps(n: number, m: number, count: number, Wn: Float32Array): ResidualSteps {
  const nn = n * n;
  // The kernel's rows are padded to whole SIMD vectors: mp entries, rb bytes.
  const mp = Math.ceil(m / 4) * 4, rb = 4 * mp;
  const noise = Array.from({ length: count }, (_, k) => {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (Wn[k * nn + i * n + j] !== (i === j ? 1 : 0)) return 1;
    return 0; // Wn = I: the kernel skips its products
  });
  // Memory: every member's Wn (float32) and M = WnᵀWn (float64); padded n-row blocks for W1ᵀ, W2,
  // the two gradients, the sign tables C⁺ and C⁻ (= A), P⁺, P⁻ and Wn·XᵀH; mp-row blocks for G
  // and HᵀH; the gemm's packing scratch and the kernel's row scratch; then the batch, which may grow.
  const nrb = n * rb, mrb = mp * rb;
  const wnAt = 0, mnAt = align16(wnAt + 4 * count * nn), w1At = align16(mnAt + 8 * count * nn);
  const [w2At, g1At, g2At, cpAt, cnAt, ppAt, pnAt, wpAt] = Array.from({ length: 8 }, (_, i) => w1At + (i + 1) * nrb);
  const gAt = w1At + 9 * nrb, hhAt = gAt + mrb, packAt = hhAt + mrb, scratchAt = packAt + GEMM32_PACK_BYTES;
  const csrAt = align16(scratchAt + 4 * rb + 4 * m);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const kernel = new WebAssembly.Instance(MODULE, { env: { mem: memory } }).exports as unknown as Kernel;
  // The dense products run on the linear-algebra package's float32 SIMD gemm, on this same memory.
  const gemm = gemm32Kernel(memory);
  if (!gemm) throw new Error('optim.trainResidualMLP needs WebAssembly SIMD (Node 16.4 or later)');
  const product = (c: number, a: number, b: number, rows: number, cols: number, inner: number, transposeA: boolean) =>
    gemm.matmul(c, a, b, { batch: 1, m: rows, n: cols, k: inner, transposeA, transposeB: false }, packAt);
  let rowsCap = 0, nnzCap = 0, rowPtrAt = csrAt, colAt = csrAt, valAt = csrAt;
  let f32 = new Float32Array(0), i32 = new Int32Array(0);
  /** Room for a batch of `rows` rows and `nnz` nonzeros (the memory grows; views follow it). */
  const reserve = (rows: number, nnz: number) => {
    if (rows > rowsCap || nnz > nnzCap || f32.buffer !== memory.buffer) {
      rowsCap = Math.max(rows, rowsCap); nnzCap = Math.max(nnz, nnzCap, 16);
      colAt = align16(rowPtrAt + 4 * (rowsCap + 1)); valAt = align16(colAt + 4 * nnzCap);
      const pages = Math.ceil((valAt + 4 * nnzCap) / 65536) - memory.buffer.byteLength / 65536;
      if (pages > 0) memory.grow(pages);
      f32 = new Float32Array(memory.buffer); i32 = new Int32Array(memory.buffer);
    }
  };
  reserve(1, 16);
  f32.set(Wn.subarray(0, count * nn), wnAt / 4);
  const M = new Float64Array(memory.buffer, mnAt, count * nn);
  for (let k = 0, o = 0; k < count; k++, o += nn) {
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < n; i++) {
        const a = Wn[o + r * n + i];
        if (a !== 0) for (let j = 0; j < n; j++) M[o + i * n + j] += a * Wn[o + r * n + j];
      }
    }
  }
  /** n rows of m entries from `src` into the kernel's padded rows at byte `at`, or back. */
  const pad = (src: Float32Array, at: number) => {
    for (let r = 0; r < n; r++) f32.set(src.subarray(r * m, (r + 1) * m), at / 4 + r * mp);
  };
  const unpad = (at: number, dst: Float32Array) => {
    for (let r = 0; r < n; r++) dst.set(f32.subarray(at / 4 + r * mp, at / 4 + r * mp + m), r * m);
  };

  return {
    lossAndGrad(k, x, W1T, W2, gW1T, gW2) {
      if (x.nnz === 0) { gW1T.fill(0); gW2.fill(0); return 0; }
      reserve(x.rows, x.nnz);
      i32.set(x.rowPtr.subarray(0, x.rows + 1), rowPtrAt / 4);
      i32.set(x.col.subarray(0, x.nnz), colAt / 4);
      f32.set(x.val.subarray(0, x.nnz), valAt / 4);
      pad(W1T, w1At); pad(W2, w2At);
      const wn = wnAt + 4 * k * nn, s = 2 / (x.rows * n);
      product(gAt, w2At, w2At, mp, mp, n, true); // G = W2ᵀW2
      if (noise[k]) product(cnAt, wn, w2At, n, mp, n, true); // A = WnᵀW2
      const loss = kernel.rows(n, m, mp, x.rows, rowPtrAt, colAt, valAt, w1At, w2At, wn, mnAt + 8 * k * nn, noise[k],
        g1At, gAt, cpAt, cnAt, ppAt, pnAt, hhAt, scratchAt, s);
      product(g2At, w2At, hhAt, n, mp, mp, false); // W2·HᵀH
      if (noise[k]) product(wpAt, wn, pnAt, n, mp, n, false); // Wn·XᵀH
      kernel.finish(nrb, g2At, ppAt, pnAt, wpAt, noise[k], s);
      unpad(g1At, gW1T); unpad(g2At, gW2);
      return loss / (x.rows * n);
    },
  };
}
