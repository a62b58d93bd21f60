/**
 * Ridge attention on tfjs tensors (float32), written only with differentiable ops so that
 * `tf.grad` gives gradients with respect to λ, keys, values and queries by autodiff.
 *
 * tfjs has no linear solve; `spdSolve` is Gauss–Jordan elimination without pivoting, batched over
 * a leading dimension. Without pivoting it is backward stable for symmetric positive definite
 * matrices, which A = KᵀK + λI (λ > 0) always is.
 */
import * as tf from '@tensorflow/tfjs';

/** X = A⁻¹B for a batch of SPD matrices: A [b, d, d], B [b, d, k] → [b, d, k]. */
export function spdSolve(A: tf.Tensor3D, B: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, d] = A.shape;
    const k = B.shape[2];
    let M = tf.concat([A, B], 2) as tf.Tensor3D; // [b, d, d + k]
    for (let i = 0; i < d; i++) {
      const pivotRow = tf.div(tf.slice(M, [0, i, 0], [b, 1, d + k]), tf.slice(M, [0, i, i], [b, 1, 1]));
      // Subtract (column i − e_i) ⊗ pivot row: row i becomes the normalised pivot row, every other
      // row j loses M_ji times it.
      const col = tf.slice(M, [0, 0, i], [b, d, 1]);
      const e = tf.oneHot(tf.tensor1d([i], 'int32'), d).reshape([1, d, 1]);
      M = tf.sub(M, tf.mul(tf.sub(col, e), pivotRow));
    }
    return tf.slice(M, [0, 0, d], [b, d, k]);
  });
}

/** A = KᵀK + λI (d × d) as a tensor; λ a scalar tensor (so it can be a variable). */
function gram(K: tf.Tensor2D, lambda: tf.Scalar): tf.Tensor2D {
  const d = K.shape[1];
  return tf.add(tf.matMul(tf.transpose(K), K), tf.mul(lambda, tf.eye(d))) as tf.Tensor2D;
}

/**
 * Non-causal ridge attention: out = Q A⁻¹ KᵀV (n_q × d_v) and the weights W = Q A⁻¹ Kᵀ
 * (n_q × n, row j holds wᵢ = kᵢᵀA⁻¹q_j), so out = W V.
 */
export function ridgeAttention(Q: tf.Tensor2D, K: tf.Tensor2D, V: tf.Tensor2D, lambda: tf.Scalar): { out: tf.Tensor2D; weights: tf.Tensor2D } {
  return tf.tidy(() => {
    const d = K.shape[1];
    const Z = spdSolve(gram(K, lambda).reshape([1, d, d]), tf.transpose(Q).expandDims(0) as tf.Tensor3D).squeeze([0]) as tf.Tensor2D; // d × n_q
    const weights = tf.transpose(tf.matMul(K, Z)) as tf.Tensor2D;
    return { out: tf.matMul(weights, V), weights };
  });
}

/**
 * Causal ridge attention for a batch of sequences, each token's system solved afresh (O(d³) per
 * token, all tokens at once): K [b, n, d], V [b, n, dv], Q [b, n, d].
 * `exclusive` — token t sees tokens < t (in-context regression: predict yₜ from earlier pairs);
 * otherwise tokens ≤ t (causal self-attention). `lambda` is one λ, or one per sequence [b, 1, 1, 1].
 */
export function causalRidgeSolve(Q: tf.Tensor3D, K: tf.Tensor3D, V: tf.Tensor3D, lambda: tf.Tensor, exclusive = false): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, n, d] = K.shape;
    const dv = V.shape[2];
    const outerKK = tf.mul(K.reshape([b, n, d, 1]), K.reshape([b, n, 1, d])); // [b, n, d, d]
    const outerKV = tf.mul(K.reshape([b, n, d, 1]), V.reshape([b, n, 1, dv]));
    const A = tf.add(tf.cumsum(outerKK, 1, exclusive), tf.mul(lambda, tf.eye(d))).reshape([b * n, d, d]) as tf.Tensor3D;
    const S = tf.cumsum(outerKV, 1, exclusive).reshape([b * n, d, dv]);
    const z = spdSolve(A, Q.reshape([b * n, d, 1]) as tf.Tensor3D); // [bn, d, 1]
    return tf.sum(tf.mul(S, z), 1).reshape([b, n, dv]) as tf.Tensor3D;
  });
}

/**
 * Causal ridge self-attention by the Sherman–Morrison running inverse on tensors, token by token
 * (O(d²) per token): P_t = P_{t−1} − u uᵀ/(1 + kᵀu), u = P_{t−1}k, S_t = S_{t−1} + k vᵀ,
 * out_t = S_tᵀ P_t q_t. Forward only (a sequential loop; gradients go through `causalRidgeSolve`).
 */
export function causalRidgeShermanMorrison(Q: tf.Tensor2D, K: tf.Tensor2D, V: tf.Tensor2D, lambda: number): tf.Tensor2D {
  const [n, d] = K.shape;
  const dv = V.shape[1];
  let P = tf.tidy(() => tf.mul(tf.eye(d), 1 / lambda) as tf.Tensor2D);
  let S = tf.zeros([d, dv]) as tf.Tensor2D;
  const rows: tf.Tensor2D[] = [];
  try {
    for (let t = 0; t < n; t++) {
      const next = tf.tidy(() => {
        const k = tf.slice(K, [t, 0], [1, d]); // 1 × d
        const u = tf.matMul(k, P); // 1 × d  (= (P k)ᵀ, P symmetric)
        const denom = tf.add(1, tf.sum(tf.mul(k, u)));
        const Pn = tf.sub(P, tf.div(tf.matMul(tf.transpose(u), u), denom)) as tf.Tensor2D;
        const Sn = tf.add(S, tf.matMul(tf.transpose(k), tf.slice(V, [t, 0], [1, dv]))) as tf.Tensor2D;
        const row = tf.matMul(tf.matMul(tf.slice(Q, [t, 0], [1, d]), Pn), Sn) as tf.Tensor2D; // 1 × dv
        return { Pn, Sn, row };
      });
      P.dispose(); S.dispose();
      P = next.Pn; S = next.Sn;
      rows.push(next.row);
    }
    return tf.concat(rows, 0) as tf.Tensor2D;
  } finally {
    P.dispose(); S.dispose();
    for (const r of rows) r.dispose();
  }
}
