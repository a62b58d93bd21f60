/**
 * Loss and gradient of the residual MLP y = W2·relu(W1 x) + Wn x against relu(x), written by hand
 * for sparse inputs (see docs/cis.md, "How training is fast").
 *
 * With h = relu(W1 x) and z = Wn x − relu(x), the loss is L = 1/(B n) Σ_b ‖W2 h_b + z_b‖². Expanding
 * the square with G = W2ᵀW2 (m × m) and A = W2ᵀWn (m × n) gives, exactly,
 *   ‖W2 h + z‖² = hᵀG h + 2 hᵀ(A x − W2ᵀrelu(x)) + xᵀ(WnᵀWn)x − 2 relu(x)ᵀWn x + ‖relu(x)‖²
 *   ∂L/∂h_b   = s (G h_b + A x_b − W2ᵀ relu(x_b)),                      s = 2/(B n)
 *   ∂L/∂W2    = s (W2 (HᵀH) + Wn (XᵀH) − relu(X)ᵀH)
 *   ∂L/∂W1    = Σ_b (∂L/∂h_b ⊙ [W1 x_b > 0]) x_bᵀ
 * so no B × n matrix is ever formed: every product with x is a gather or scatter over the nonzeros
 * (≈ B·n·p of them), rows with no active feature drop out (h = 0, z = 0), and the dense work is
 * H·G and HᵀH (B × m × m each) plus a few n × m × m products, all as plain-layout tfjs matMuls
 * (transposed operands are transposed explicitly in JS: wasm matMul with a transpose flag is ~10×
 * slower).
 */
import * as tf from '@tensorflow/tfjs';
import type { CsrBatch } from '../data/types.ts';

export interface ResidualStep {
  /**
   * Mean-squared loss of the batch; writes ∂L/∂W1ᵀ into gW1T (n × m, overwritten) and ∂L/∂W2
   * into gW2 (n × m, overwritten). W1T is W1 transposed (n × m), W2 is n × m, both row-major.
   */
  lossAndGrad(x: CsrBatch, W1T: Float32Array, W2: Float32Array, gW1T: Float32Array, gW2: Float32Array): number;
  /** Release the kept Wn tensors. */
  dispose(): void;
}

/** Precomputes what depends only on Wn (n × n, row-major) and returns the step function. */
export function createResidualStep(n: number, m: number, Wn: Float32Array): ResidualStep {
  let isIdentity = true;
  for (let i = 0; i < n && isIdentity; i++) for (let j = 0; j < n; j++) if (Wn[i * n + j] !== (i === j ? 1 : 0)) { isIdentity = false; break; }
  const WnT = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) WnT[j * n + i] = Wn[i * n + j];
  // M = WnᵀWn in float64, for ‖Wn x‖² over pairs of active features.
  const M = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) { const a = Wn[k * n + i]; if (a !== 0) for (let j = 0; j < n; j++) M[i * n + j] += a * Wn[k * n + j]; }
  const WnTensor = isIdentity ? null : tf.keep(tf.tensor2d(Wn, [n, n]));
  const WnTTensor = isIdentity ? null : tf.keep(tf.tensor2d(WnT, [n, n]));

  let cap = 0;
  let rowsIdx = new Int32Array(0), pre = new Float32Array(0), H = new Float32Array(0);
  const W2T = new Float32Array(m * n), Ppos = new Float32Array(n * m), Pneg = new Float32Array(n * m), Psum = new Float32Array(n * m);
  const Cpos = new Float32Array(n * m), dpre = new Float32Array(m);

  return {
    lossAndGrad(x, W1T, W2, gW1T, gW2) {
      const B = x.rows, { rowPtr } = x;
      if (B > cap) { cap = B; rowsIdx = new Int32Array(B); pre = new Float32Array(B * m); H = new Float32Array(B * m); }
      const s = 2 / (B * n);
      let R = 0;
      for (let b = 0; b < B; b++) if (rowPtr[b + 1] > rowPtr[b]) rowsIdx[R++] = b;
      if (R === 0) { gW1T.fill(0); gW2.fill(0); return 0; }
      forwardSparse(x, R, rowsIdx, m, W1T, pre, H, Ppos, Pneg);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) W2T[j * n + i] = W2[i * m + j];
      for (let j = 0; j < n * m; j++) Psum[j] = Ppos[j] + Pneg[j];
      // Results leave the tidy through outer variables: returning typed arrays from tf.tidy makes it
      // walk every element looking for tensors.
      let HG!: Float32Array, AT!: Float32Array, D2!: Float32Array;
      tf.tidy(() => {
        const w2 = tf.tensor2d(W2, [n, m]);
        const w2t = tf.tensor2d(W2T, [m, n]);
        const h = tf.tensor2d(H.subarray(0, R * m), [R, m]);
        const G = tf.matMul(w2t, w2);
        const hg = tf.matMul(h, G);
        const hth = tf.matMul(tf.transpose(h), h);
        const at = WnTTensor ? tf.matMul(WnTTensor, w2) : w2;
        // P = XᵀH = P⁺ + P⁻ (split by the sign of x), and relu(X)ᵀH = P⁺.
        const p = tf.tensor2d(Psum, [n, m]);
        const d2 = tf.add(tf.matMul(w2, hth), WnTensor ? tf.matMul(WnTensor, p) : p);
        HG = hg.dataSync() as Float32Array; AT = at.dataSync() as Float32Array; D2 = d2.dataSync() as Float32Array;
      });
      // W2ᵀ(Wn x − relu(x)) = Σ_k v_k·(A − [v_k > 0]·W2ᵀ)[:, c_k]: one table per sign.
      for (let j = 0; j < n * m; j++) Cpos[j] = AT[j] - W2[j];
      const loss = backwardSparse(x, R, rowsIdx, n, m, s, Wn, M, pre, H, HG, AT, Cpos, dpre, gW1T);
      for (let j = 0; j < n * m; j++) gW2[j] = s * (D2[j] - Ppos[j]);
      return loss / (B * n);
    },
    dispose() { WnTensor?.dispose(); WnTTensor?.dispose(); },
  };
}

/** pre = W1 x and H = relu(pre) for the R rows with active features, and the scatters
 * P⁺ = Σ_{x>0} x·h and P⁻ = Σ_{x<0} x·h (so XᵀH = P⁺ + P⁻ and relu(X)ᵀH = P⁺). */
function forwardSparse(x: CsrBatch, R: number, rowsIdx: Int32Array, m: number, W1T: Float32Array,
  pre: Float32Array, H: Float32Array, Ppos: Float32Array, Pneg: Float32Array): void {
  const { rowPtr, col, val } = x;
  Ppos.fill(0); Pneg.fill(0);
  for (let r = 0; r < R; r++) {
    const b = rowsIdx[r], base = r * m, k0 = rowPtr[b], k1 = rowPtr[b + 1];
    { const v = val[k0], off = col[k0] * m; for (let i = 0; i < m; i++) pre[base + i] = v * W1T[off + i]; }
    for (let k = k0 + 1; k < k1; k++) {
      const v = val[k], off = col[k] * m;
      for (let i = 0; i < m; i++) pre[base + i] += v * W1T[off + i];
    }
    for (let i = 0; i < m; i++) { const a = pre[base + i]; H[base + i] = a > 0 ? a : 0; }
    for (let k = k0; k < k1; k++) {
      const v = val[k], off = col[k] * m, P = v > 0 ? Ppos : Pneg;
      for (let i = 0; i < m; i++) P[off + i] += v * H[base + i];
    }
  }
}

/** The loss sum over the R active rows, and ∂L/∂W1ᵀ scattered into gW1T (zeroed here). */
function backwardSparse(x: CsrBatch, R: number, rowsIdx: Int32Array, n: number, m: number, s: number,
  Wn: Float32Array, M: Float64Array, pre: Float32Array, H: Float32Array,
  HG: Float32Array, AT: Float32Array, Cpos: Float32Array, dpre: Float32Array, gW1T: Float32Array): number {
  const { rowPtr, col, val } = x;
  gW1T.fill(0);
  let loss = 0;
  for (let r = 0; r < R; r++) {
    const b = rowsIdx[r], base = r * m, k0 = rowPtr[b], k1 = rowPtr[b + 1];
    // dpre first holds c = W2ᵀ z_b.
    { const v = val[k0], off = col[k0] * m, C = v > 0 ? Cpos : AT; for (let i = 0; i < m; i++) dpre[i] = v * C[off + i]; }
    for (let k = k0 + 1; k < k1; k++) {
      const v = val[k], off = col[k] * m, C = v > 0 ? Cpos : AT;
      for (let i = 0; i < m; i++) dpre[i] += v * C[off + i];
    }
    let z2 = 0;
    for (let k = k0; k < k1; k++) {
      const v = val[k], rv = v > 0 ? v : 0, ck = col[k];
      for (let l = k0; l < k1; l++) z2 += v * val[l] * M[ck * n + col[l]] - 2 * rv * val[l] * Wn[ck * n + col[l]];
      z2 += rv * rv;
    }
    let lh = 0;
    for (let i = 0; i < m; i++) {
      const hgi = HG[base + i], ci = dpre[i];
      lh += H[base + i] * (hgi + 2 * ci);
      dpre[i] = pre[base + i] > 0 ? s * (hgi + ci) : 0;
    }
    loss += lh + z2;
    for (let k = k0; k < k1; k++) {
      const v = val[k], off = col[k] * m;
      for (let i = 0; i < m; i++) gW1T[off + i] += v * dpre[i];
    }
  }
  return loss;
}
