/**
 * Sparse feature batches, generated directly in compressed-row form: each of the batch·n cells is
 * active with probability p, and active values are uniform in [lo, hi]. Instead of one uniform draw
 * per cell, the gap to the next active cell is drawn from the geometric distribution
 * (gap = ⌊log(1−u)/log(1−p)⌋), which is the exact law of the distance between successes of iid
 * Bernoulli(p) trials. At p = 0.01 that is ~100× fewer draws than a mask.
 */
import type { Rng } from '../../src/rng.ts';
import type { CsrBatch, SparseFeatures } from './types.ts';

export type { CsrBatch, SparseFeatures } from './types.ts';

/** Draw `rows` samples of `spec` from `rng`. */
export function sampleCsr(spec: SparseFeatures, rng: Rng, rows: number): CsrBatch {
  const { n, p, lo, hi } = spec;
  const cells = rows * n;
  let cap = Math.max(16, Math.ceil(cells * p * 1.2 + 10 * Math.sqrt(cells * p + 1)));
  let col = new Int32Array(cap);
  let val = new Float32Array(cap);
  const rowPtr = new Int32Array(rows + 1);
  let nnz = 0;
  if (p > 0) {
    const logq = Math.log1p(-p); // −∞ when p = 1: every gap is 0
    const w = hi - lo;
    let pos = -1, row = 0;
    for (;;) {
      const gap = p >= 1 ? 0 : Math.floor(Math.log1p(-rng.uniform()) / logq);
      pos += gap + 1;
      if (pos >= cells) break;
      const r = (pos / n) | 0;
      while (row < r) rowPtr[++row] = nnz;
      if (nnz === cap) {
        cap *= 2;
        const c2 = new Int32Array(cap); c2.set(col); col = c2;
        const v2 = new Float32Array(cap); v2.set(val); val = v2;
      }
      col[nnz] = pos - r * n;
      val[nnz] = lo + w * rng.uniform();
      nnz++;
    }
    while (row < rows) rowPtr[++row] = nnz;
  }
  return { rows, n, nnz, rowPtr, col, val };
}

/** The dense rows×n Float32Array of a CSR batch. */
export function csrToDense(b: CsrBatch): Float32Array {
  const out = new Float32Array(b.rows * b.n);
  for (let r = 0; r < b.rows; r++) {
    for (let k = b.rowPtr[r]; k < b.rowPtr[r + 1]; k++) out[r * b.n + b.col[k]] = b.val[k];
  }
  return out;
}

/** E[relu(u)²] for u uniform in [lo, hi]: the mean square of an active feature's target. */
export function meanSquareRelu(lo: number, hi: number): number {
  if (hi <= 0) return 0;
  const a = Math.max(lo, 0);
  return (hi ** 3 - a ** 3) / (3 * (hi - lo));
}
