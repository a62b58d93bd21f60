/**
 * The gradients attention.gradCheck compares, and its λ comparison, shared with the tests that
 * perturb a gradient to see the check fail.
 */
import * as tf from '@tensorflow/tfjs';
import { U32 } from './attentionInternals.ts';
import { conditionAt, lambdaGradient64, type Qkv64 } from './ridge64Internals.ts';
import { ridgeAttention } from './ridgeTensorInternals.ts';

/** tfjs autodiff (float32) of L = Σ G ⊙ ridgeAttention(Q, K, V, λ).out w.r.t. Q, K, V and λ. */
export function ridgeAutodiff(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, G: Float64Array, lambda: number): { q: Float32Array; k: Float32Array; v: Float32Array; lambda: Float32Array } {
  const grads = tf.tidy(() => {
    const Gt = tf.tensor2d(Float32Array.from(G), [k.shape[0], v.shape[1]]);
    return tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, l: tf.Tensor) =>
      tf.sum(tf.mul(ridgeAttention(q as tf.Tensor2D, k as tf.Tensor2D, v as tf.Tensor2D, l as tf.Scalar).out, Gt)))([q, k, v, tf.scalar(lambda)]);
  });
  const [gq, gk, gv, gl] = grads.map((g) => g.dataSync() as Float32Array);
  tf.dispose(grads);
  return { q: gq, k: gk, v: gv, lambda: gl };
}

/** The float32 tolerance of a gradient that applies A⁻¹ twice: 10·(d + n)·κ²·u. */
export const autodiffTolerance = (d: number, n: number, kappa: number): number => 10 * (d + n) * kappa * kappa * U32;

export interface LambdaCheck {
  /** ∂L/∂λ from the eigendecomposition (float64). */
  reference: number;
  /** Σ|terms| / |sum| of ∂L/∂λ written as a sum over query tokens and value columns. */
  cancellation: number;
  autodiffErr: number;
  /**
   * (d + n)·κ²·u (the first-order bound of a term's float32 error, without the safety factor 10 of
   * `autodiffTolerance`) times the cancellation: the float32 error is relative to the terms, not
   * to their sum. Over 20 seeds at (n, d) = (256, 4) and (4096, 32), λ = 10⁻³, the error stays
   * below a tenth of it.
   */
  autodiffTol: number;
  closedErr: number;
  /** float64 against float64: 1e-9 leaves room for a cancellation of 10⁶ at ε = 2.2·10⁻¹⁶. */
  closedTol: number;
}

/**
 * Compare two λ-gradients (tfjs autodiff in float32 and the closed form in float64) with the
 * eigendecomposition's ∂L/∂λ. ∂L/∂λ is a sum over every token and value column that can cancel
 * to a small fraction of its terms (Σ|terms|/|sum| in the hundreds at n = 256, d = 4, λ = 10⁻³;
 * above 10⁵ for some seeds at n = 4096): a float32 result is accurate relative to the terms, so
 * its tolerance is scaled by the cancellation, and it cannot tell a 1% error from rounding where
 * that tolerance exceeds 1% (most seeds at n = 4096); the float64 closed form is held to 1e-9
 * whatever the cancellation, and a 1% error in it fails on every seed.
 */
export function checkLambdaGradient(x: Qkv64, G: Float64Array, lambda: number, autodiff: number, closed: number, kappa = conditionAt(x.K, x.n, x.d, lambda)): LambdaCheck {
  const { gLambda, cancellation } = lambdaGradient64(x.Q, x.K, x.V, G, x.n, x.d, x.dv, lambda);
  const rel = (g: number): number => Math.abs(g - gLambda) / Math.abs(gLambda);
  return {
    reference: gLambda, cancellation,
    autodiffErr: rel(autodiff), autodiffTol: (autodiffTolerance(x.d, x.n, kappa) / 10) * cancellation,
    closedErr: rel(closed), closedTol: 1e-9,
  };
}
