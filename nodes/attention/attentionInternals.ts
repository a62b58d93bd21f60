/**
 * Shared helpers of the attention family: reading tfjs matrices into the float64 reference's
 * layout, error measures, and the float32 tolerances the checks use.
 */
import type * as tf from '@tensorflow/tfjs';
import { requireArg } from '../../src/check.ts';
import type { Qkv64 } from './ridge64Internals.ts';

/** float32 unit roundoff u = 2⁻²⁴. */
export const U32 = 2 ** -24;

/** The queries, keys and values of float32 tensors as float64 arrays (the same values, exactly). */
export function qkv64(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, node: string): Qkv64 {
  const [n, d] = k.shape;
  requireArg(q.shape[1] === d, node, 'q', `have the keys' width d = ${d} (queries and keys share it)`, `width ${q.shape[1]}`);
  requireArg(q.shape[0] === n, node, 'q', `have one row per key (n = ${n}, self-attention)`, `${q.shape[0]} rows`);
  requireArg(v.shape[0] === n, node, 'v', `have one row per key (n = ${n})`, `${v.shape[0]} rows`);
  return { n, d, dv: v.shape[1], Q: Float64Array.from(q.dataSync()), K: Float64Array.from(k.dataSync()), V: Float64Array.from(v.dataSync()) };
}

/** max |a − b| / max |b|: the error relative to the reference's scale. */
export function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) { diff = Math.max(diff, Math.abs(a[i] - b[i])); scale = Math.max(scale, Math.abs(b[i])); }
  return scale > 0 ? diff / scale : diff;
}

/** ‖a − b‖₂ / ‖b‖₂. */
export function relNormDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < b.length; i++) { diff += (a[i] - b[i]) ** 2; scale += b[i] ** 2; }
  return scale > 0 ? Math.sqrt(diff / scale) : Math.sqrt(diff);
}

/**
 * The float32 tolerance for a ridge solve of dimension d over n summed tokens with condition
 * number κ: the computed solution of a backward-stable solve has relative error ≲ c·d·κ·u
 * (Higham, Accuracy and Stability, Thm 7.2 with the growth of Cholesky/Gauss–Jordan on SPD
 * matrices bounded by a small multiple of d), and the sums A = λI + Σkkᵀ, S = Σkvᵀ carry a relative
 * error ≲ n·u each, which the solve amplifies by κ. With c = 10 as the safety factor over those
 * first-order bounds: tol = 10·(d + n)·κ·u.
 */
export function solveTolerance(d: number, n: number, kappa: number): number {
  return 10 * (d + n) * kappa * U32;
}
