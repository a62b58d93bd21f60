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
import type { CsrBatch } from '../data/dataInternals.ts';

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
  let rowsIdx = new Int32Array(0), pre = new Float32Array(0), H = new Float32Array(0), HT = new Float32Array(0);
  const W2T = new Float32Array(m * n), P = new Float32Array(n * m), Q = new Float32Array(n * m);
  const c = new Float64Array(m), dpre = new Float64Array(m);

  return {
    lossAndGrad(x, W1T, W2, gW1T, gW2) {
      const B = x.rows, { rowPtr } = x;
      if (B > cap) { cap = B; rowsIdx = new Int32Array(B); pre = new Float32Array(B * m); H = new Float32Array(B * m); HT = new Float32Array(B * m); }
      const s = 2 / (B * n);
      let R = 0;
      for (let b = 0; b < B; b++) if (rowPtr[b + 1] > rowPtr[b]) rowsIdx[R++] = b;
      if (R === 0) { gW1T.fill(0); gW2.fill(0); return 0; }
      forwardSparse(x, R, rowsIdx, m, W1T, pre, H, HT, P, Q);
      for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) W2T[j * n + i] = W2[i * m + j];
      // Results leave the tidy through outer variables: returning typed arrays from tf.tidy makes it
      // walk every element looking for tensors.
      let HG!: Float32Array, AT!: Float32Array, D2!: Float32Array;
      tf.tidy(() => {
        const w2 = tf.tensor2d(W2, [n, m]);
        const w2t = tf.tensor2d(W2T, [m, n]);
        const h = tf.tensor2d(H.subarray(0, R * m), [R, m]);
        const ht = tf.tensor2d(HT.subarray(0, R * m), [m, R]);
        const G = tf.matMul(w2t, w2);
        const hg = tf.matMul(h, G);
        const hth = tf.matMul(ht, h);
        const at = WnTTensor ? tf.matMul(WnTTensor, w2) : w2;
        const p = tf.tensor2d(P, [n, m]);
        const d2 = tf.add(tf.matMul(w2, hth), WnTensor ? tf.matMul(WnTensor, p) : p);
        HG = hg.dataSync() as Float32Array; AT = at.dataSync() as Float32Array; D2 = d2.dataSync() as Float32Array;
      });
      const loss = backwardSparse(x, R, rowsIdx, n, m, s, W2, Wn, M, pre, H, HG, AT, c, dpre, gW1T);
      for (let j = 0; j < n * m; j++) gW2[j] = s * (D2[j] - Q[j]);
      return loss / (B * n);
    },
    dispose() { WnTensor?.dispose(); WnTTensor?.dispose(); },
  };
}

/** pre = W1 x and H = relu(pre) for the R rows with active features (H also transposed into HT),
 * and the scatters P = XᵀH, Q = relu(X)ᵀH. */
function forwardSparse(x: CsrBatch, R: number, rowsIdx: Int32Array, m: number, W1T: Float32Array,
  pre: Float32Array, H: Float32Array, HT: Float32Array, P: Float32Array, Q: Float32Array): void {
  const { rowPtr, col, val } = x;
  P.fill(0); Q.fill(0);
  for (let r = 0; r < R; r++) {
    const b = rowsIdx[r], base = r * m, k0 = rowPtr[b], k1 = rowPtr[b + 1];
    pre.fill(0, base, base + m);
    for (let k = k0; k < k1; k++) {
      const v = val[k], off = col[k] * m;
      for (let i = 0; i < m; i++) pre[base + i] += v * W1T[off + i];
    }
    for (let i = 0; i < m; i++) { const a = pre[base + i], h = a > 0 ? a : 0; H[base + i] = h; HT[i * R + r] = h; }
    for (let k = k0; k < k1; k++) {
      const v = val[k], rv = v > 0 ? v : 0, off = col[k] * m;
      for (let i = 0; i < m; i++) { const h = H[base + i]; P[off + i] += v * h; Q[off + i] += rv * h; }
    }
  }
}

/** The loss sum over the R active rows, and ∂L/∂W1ᵀ scattered into gW1T (zeroed here). */
function backwardSparse(x: CsrBatch, R: number, rowsIdx: Int32Array, n: number, m: number, s: number,
  W2: Float32Array, Wn: Float32Array, M: Float64Array, pre: Float32Array, H: Float32Array,
  HG: Float32Array, AT: Float32Array, c: Float64Array, dpre: Float64Array, gW1T: Float32Array): number {
  const { rowPtr, col, val } = x;
  gW1T.fill(0);
  let loss = 0;
  for (let r = 0; r < R; r++) {
    const b = rowsIdx[r], base = r * m, k0 = rowPtr[b], k1 = rowPtr[b + 1];
    c.fill(0);
    let z2 = 0;
    for (let k = k0; k < k1; k++) {
      const v = val[k], rv = v > 0 ? v : 0, ck = col[k], off = ck * m;
      for (let i = 0; i < m; i++) c[i] += v * AT[off + i] - rv * W2[off + i];
      for (let l = k0; l < k1; l++) z2 += v * val[l] * M[ck * n + col[l]] - 2 * rv * val[l] * Wn[ck * n + col[l]];
      z2 += rv * rv;
    }
    let lh = 0;
    for (let i = 0; i < m; i++) {
      const hgi = HG[base + i];
      lh += H[base + i] * (hgi + 2 * c[i]);
      dpre[i] = pre[base + i] > 0 ? s * (hgi + c[i]) : 0;
    }
    loss += lh + z2;
    for (let k = k0; k < k1; k++) {
      const v = val[k], off = col[k] * m;
      for (let i = 0; i < m; i++) gW1T[off + i] += v * dpre[i];
    }
  }
  return loss;
}
