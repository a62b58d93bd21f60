/**
 * `plainMatMul(a, b)`: a·b whose gradient uses only plain-layout products (matrices, or batches
 * of them [B, r, c]).
 *
 * On tfjs-backend-wasm a matMul with `transposeA`/`transposeB` set falls to a scalar loop that is
 * ~10× slower (and never threaded), and the autodiff gradient of `tf.matMul` is exactly such a
 * pair (dy·bᵀ, aᵀ·dy). Here the operand is transposed explicitly first, so all three products
 * take the fast path: a two-layer MLP training step went from 66 ms to 12 ms
 * (bench/wasm-threads.ts, case "gradient without transposed matMuls").
 */
import * as tf from '@tensorflow/tfjs';

/** The last two axes swapped (a batch of matrices [B, r, c] stays a batch). */
const swapLast = (x: tf.Tensor): tf.Tensor => tf.transpose(x, [...x.shape.keys()].map((i, _, all) => (i < all.length - 2 ? i : 2 * all.length - 3 - i)));

export const plainMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      return [tf.matMul(dy, swapLast(sb)), tf.matMul(swapLast(sa), dy)];
    },
  };
}) as <T extends tf.Tensor2D | tf.Tensor3D>(a: T, b: T) => T;
