/**
 * Loss and gradient of the residual MLP y = W2·relu(W1 x) + Wn x against relu(x), written by hand
 * for sparse inputs (see docs/cis.md, "How training is fast"), for a batch of `count` independent
 * models (members) at once.
 *
 * With h = relu(W1 x) and z = Wn x − relu(x), the loss is L = 1/(B n) Σ_b ‖W2 h_b + z_b‖². Expanding
 * the square with G = W2ᵀW2 (m × m) and A = W2ᵀWn (m × n) gives, exactly,
 *   ‖W2 h + z‖² = hᵀG h + 2 hᵀ(A x − W2ᵀrelu(x)) + xᵀ(WnᵀWn)x − 2 relu(x)ᵀWn x + ‖relu(x)‖²
 *   ∂L/∂h_b   = s (G h_b + A x_b − W2ᵀ relu(x_b)),                      s = 2/(B n)
 *   ∂L/∂W2    = s (W2 (HᵀH) + Wn (XᵀH) − relu(X)ᵀH)
 *   ∂L/∂W1    = Σ_b (∂L/∂h_b ⊙ [W1 x_b > 0]) x_bᵀ
 * so no B × n matrix is ever formed: every product with x is a gather or scatter over the nonzeros
 * (≈ B·n·p of them, in JavaScript, member by member), rows with no active feature drop out (h = 0,
 * z = 0), and the dense work is H·G and HᵀH (B × m × m each) plus a few n × m × m products. Those
 * run as batched tfjs matMuls over all members at once ([count, …] operands; the active rows of
 * member k are padded with zero rows to the largest count of any member), so a step costs a fixed
 * handful of tfjs ops whatever the number of members. WᵀW and HᵀH use matMul's transpose flag
 * (as fast as a plain product with eigenflow's wasm kernel, src/backend/matMulWasm.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { CsrBatch } from '../data/types.ts';

/**
 * Float32 values as int32 bit patterns, for tests of sign without a branch (which the CPU mispredicts
 * half the time on random signs): `(bits >> 31) & half` is 0 for a positive value and `half` for a
 * negative one (the offset of the second of two side-by-side tables; a zero value may pick either,
 * it adds nothing), and for h ≥ +0 (relu's output, never −0) `(−bits) >>> 31` is [h > 0].
 */
function signBits(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

/** Models up to this many weights (m·n) batch their dense products over members (see `group`). */
const SMALL_MODEL = 400;

export interface ResidualStepBatch {
  /**
   * Member k's mean-squared loss of its batch xs[k] into losses[k], ∂L/∂W1ᵀ into gW1T and ∂L/∂W2
   * into gW2 (overwritten). W1T (W1 transposed), W2, gW1T and gW2 hold count blocks of n × m,
   * row-major, member k's at offset k·n·m. A member whose batch is null is skipped (loss 0, zero
   * gradient): a member that has diverged.
   */
  lossAndGrad(xs: readonly (CsrBatch | null)[], W1T: Float32Array, W2: Float32Array, gW1T: Float32Array, gW2: Float32Array, losses: Float64Array): void;
  /** Release the kept Wn tensors. */
  dispose(): void;
}

export interface ResidualStep {
  /** One model's loss; writes ∂L/∂W1ᵀ into gW1T and ∂L/∂W2 into gW2 (n × m each, overwritten). */
  lossAndGrad(x: CsrBatch, W1T: Float32Array, W2: Float32Array, gW1T: Float32Array, gW2: Float32Array): number;
  dispose(): void;
}

/** The step of one model (the batched step with one member). */
export function createResidualStep(n: number, m: number, Wn: Float32Array): ResidualStep {
  const batch = createResidualStepBatch(n, m, 1, Wn);
  const loss = new Float64Array(1);
  return {
    lossAndGrad(x, W1T, W2, gW1T, gW2) { batch.lossAndGrad([x], W1T, W2, gW1T, gW2, loss); return loss[0]; },
    dispose: () => batch.dispose(),
  };
}

/** Precomputes what depends only on the members' Wn (count blocks of n × n, row-major) and returns the step. */
export function createResidualStepBatch(n: number, m: number, count: number, Wn: Float32Array): ResidualStepBatch {
  const nn = n * n, nm = n * m;
  let anyNoise = false;
  for (let k = 0; k < count; k++) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (Wn[k * nn + i * n + j] !== (i === j ? 1 : 0)) anyNoise = true;
  }
  const WnT = new Float32Array(count * nn);
  // M = WnᵀWn in float64, for ‖Wn x‖² over pairs of active features.
  const M = new Float64Array(count * nn);
  for (let k = 0, o = 0; k < count; k++, o += nn) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) WnT[o + j * n + i] = Wn[o + i * n + j];
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < n; i++) {
        const a = Wn[o + r * n + i];
        if (a !== 0) for (let j = 0; j < n; j++) M[o + i * n + j] += a * Wn[o + r * n + j];
      }
    }
  }
  // The dense products run for `group` members at a time as batched [group, …] matMuls. On stock
  // tfjs-wasm a batched matMul of larger matrices is 2-3× slower than separate products, so large
  // models go one member at a time. With eigenflow's BatchMatMul (src/backend/matMulWasm.ts) the
  // two are equal within noise at n = 100, m = 50, 27 members (~0.8 ms per model-step either way,
  // the same as one model alone: the sparse JavaScript loops dominate), so the threshold stays.
  const group = m * n <= SMALL_MODEL ? count : 1;
  // With Wn = I for every member, I·W2 = W2 exactly: skip those products.
  const groupOf = (a: Float32Array, k0: number) => {
    const g = Math.min(group, count - k0);
    return tf.keep(g === 1 ? tf.tensor2d(a.subarray(k0 * nn, (k0 + 1) * nn), [n, n]) : tf.tensor3d(a.subarray(k0 * nn, (k0 + g) * nn), [g, n, n]));
  };
  const starts = Array.from({ length: Math.ceil(count / group) }, (_, i) => i * group);
  const WnGroups = anyNoise ? starts.map((k0) => groupOf(Wn, k0)) : [];
  const WnTGroups = anyNoise ? starts.map((k0) => groupOf(WnT, k0)) : [];

  let cap = 0;
  let pre = new Float32Array(0), H = new Float32Array(0), HG = new Float32Array(0);
  const AT = new Float32Array(count * nm), D2 = new Float32Array(count * nm);
  const rowsIdx: Int32Array[] = [];
  const R = new Int32Array(count);
  const Ppos = new Float32Array(count * nm), Pneg = new Float32Array(count * nm);
  const Psum = new Float32Array(count * nm), Cpos = new Float32Array(count * nm), dpre = new Float32Array(m);
  // One member's two tables side by side ([P⁺ | P⁻], [Cpos | A]), picked by the sign of x as an offset.
  const bySign = new Float32Array(2 * nm);

  return {
    lossAndGrad(xs, W1T, W2, gW1T, gW2, losses) {
      let Rmax = 0;
      for (let k = 0; k < count; k++) {
        const x = xs[k];
        R[k] = 0;
        if (!x) continue;
        if (!rowsIdx[k] || rowsIdx[k].length < x.rows) rowsIdx[k] = new Int32Array(x.rows);
        const idx = rowsIdx[k], { rowPtr } = x;
        for (let b = 0; b < x.rows; b++) if (rowPtr[b + 1] > rowPtr[b]) idx[R[k]++] = b;
        Rmax = Math.max(Rmax, R[k]);
      }
      gW1T.fill(0); gW2.fill(0); losses.fill(0);
      if (Rmax === 0) return;
      if (count * Rmax * m > cap) { cap = count * Rmax * m; pre = new Float32Array(cap); H = new Float32Array(cap); HG = new Float32Array(cap); }
      for (let k = 0; k < count; k++) {
        const o = k * Rmax * m;
        H.fill(0, o + R[k] * m, o + Rmax * m);
        bySign.fill(0);
        if (R[k] > 0) forwardSparse(xs[k]!, R[k], rowsIdx[k], m, W1T.subarray(k * nm, (k + 1) * nm), pre.subarray(o), H.subarray(o), bySign);
        Ppos.set(bySign.subarray(0, nm), k * nm); Pneg.set(bySign.subarray(nm), k * nm);
      }
      for (let j = 0; j < count * nm; j++) Psum[j] = Ppos[j] + Pneg[j];
      for (let k0 = 0; k0 < count; k0 += group) {
        const g = Math.min(group, count - k0);
        // One group of members: [g, …] operands (plain 2-D ones for a group of one).
        const t = (a: Float32Array, off: number, rows: number, cols: number) => (g === 1 ? tf.tensor2d(a.subarray(off, off + rows * cols), [rows, cols]) : tf.tensor3d(a.subarray(off, off + g * rows * cols), [g, rows, cols]));
        tf.tidy(() => {
          const w2 = t(W2, k0 * nm, n, m);
          const h = t(H, k0 * Rmax * m, Rmax, m);
          const G = tf.matMul(w2, w2, true);
          const hg = tf.matMul(h, G);
          const hth = tf.matMul(h, h, true);
          const wn = WnGroups[k0 / group], wnT = WnTGroups[k0 / group];
          const at = wnT ? tf.matMul(wnT, w2) : w2;
          // P = XᵀH = P⁺ + P⁻ (split by the sign of x), and relu(X)ᵀH = P⁺.
          const p = t(Psum, k0 * nm, n, m);
          const d2 = tf.add(tf.matMul(w2, hth), wn ? tf.matMul(wn, p) : p);
          HG.set(hg.dataSync(), k0 * Rmax * m); AT.set(at.dataSync(), k0 * nm); D2.set(d2.dataSync(), k0 * nm);
        });
      }
      // W2ᵀ(Wn x − relu(x)) = Σ_k v_k·(A − [v_k > 0]·W2ᵀ)[:, c_k]: one table per sign.
      for (let j = 0; j < count * nm; j++) Cpos[j] = AT[j] - W2[j];
      for (let k = 0; k < count; k++) {
        const x = xs[k];
        if (!x || R[k] === 0) continue;
        const o = k * Rmax * m, s = 2 / (x.rows * n), block = (a: Float32Array) => a.subarray(k * nm, (k + 1) * nm);
        bySign.set(block(Cpos), 0); bySign.set(block(AT), nm);
        const loss = backwardSparse(x, R[k], rowsIdx[k], n, m, s, Wn.subarray(k * nn, (k + 1) * nn), M.subarray(k * nn, (k + 1) * nn),
          pre.subarray(o), H.subarray(o), HG.subarray(o), bySign, dpre, block(gW1T));
        losses[k] = loss / (x.rows * n);
        for (let j = k * nm; j < (k + 1) * nm; j++) gW2[j] = s * (D2[j] - Ppos[j]);
      }
    },
    dispose() { for (const t of [...WnGroups, ...WnTGroups]) t.dispose(); },
  };
}

/** pre = W1 x and H = relu(pre) for the R rows with active features,
 * and the scatters P⁺ = Σ_{x>0} x·h and P⁻ = Σ_{x<0} x·h (so XᵀH = P⁺ + P⁻ and relu(X)ᵀH = P⁺). */
function forwardSparse(x: CsrBatch, R: number, rowsIdx: Int32Array, m: number, W1T: Float32Array,
  pre: Float32Array, H: Float32Array, P: Float32Array): void {
  const { rowPtr, col, val } = x, nm = W1T.length, bits = signBits(val);
  for (let r = 0; r < R; r++) {
    const b = rowsIdx[r], base = r * m, k0 = rowPtr[b], k1 = rowPtr[b + 1];
    { const v = val[k0], off = col[k0] * m; for (let i = 0; i < m; i++) pre[base + i] = v * W1T[off + i]; }
    for (let k = k0 + 1; k < k1; k++) {
      const v = val[k], off = col[k] * m;
      for (let i = 0; i < m; i++) pre[base + i] += v * W1T[off + i];
    }
    for (let i = 0; i < m; i++) { const a = pre[base + i]; H[base + i] = (a + Math.abs(a)) * 0.5; } // relu without a branch, exactly
    for (let k = k0; k < k1; k++) {
      const v = val[k], off = col[k] * m + ((bits[k] >> 31) & nm);
      for (let i = 0; i < m; i++) P[off + i] += v * H[base + i];
    }
  }
}

/** The loss sum over the R active rows, and ∂L/∂W1ᵀ scattered into gW1T (zeroed by the caller). C is [Cpos | A] (n × m each). */
function backwardSparse(x: CsrBatch, R: number, rowsIdx: Int32Array, n: number, m: number, s: number,
  Wn: Float32Array, M: Float64Array, pre: Float32Array, H: Float32Array,
  HG: Float32Array, C: Float32Array, dpre: Float32Array, gW1T: Float32Array): number {
  const { rowPtr, col, val } = x, nm = C.length / 2, bits = signBits(val), on = signBits(H);
  let loss = 0;
  for (let r = 0; r < R; r++) {
    const b = rowsIdx[r], base = r * m, k0 = rowPtr[b], k1 = rowPtr[b + 1];
    // dpre first holds c = W2ᵀ z_b.
    { const v = val[k0], off = col[k0] * m + ((bits[k0] >> 31) & nm); for (let i = 0; i < m; i++) dpre[i] = v * C[off + i]; }
    for (let k = k0 + 1; k < k1; k++) {
      const v = val[k], off = col[k] * m + ((bits[k] >> 31) & nm);
      for (let i = 0; i < m; i++) dpre[i] += v * C[off + i];
    }
    let z2 = 0;
    for (let k = k0; k < k1; k++) {
      const v = val[k], rv = (v + Math.abs(v)) * 0.5, ck = col[k];
      for (let l = k0; l < k1; l++) z2 += v * val[l] * M[ck * n + col[l]] - 2 * rv * val[l] * Wn[ck * n + col[l]];
      z2 += rv * rv;
    }
    let lh = 0;
    for (let i = 0; i < m; i++) {
      const hgi = HG[base + i], ci = dpre[i];
      lh += H[base + i] * (hgi + 2 * ci);
      dpre[i] = s * (hgi + ci) * (-on[base + i] >>> 31);
    }
    loss += lh + z2;
    for (let k = k0; k < k1; k++) {
      const v = val[k], off = col[k] * m;
      for (let i = 0; i < m; i++) gW1T[off + i] += v * dpre[i];
    }
  }
  return loss;
}
