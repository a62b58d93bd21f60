/**
 * `plainMatMul(a, b)`: a·b whose gradient uses only plain-layout products.
 *
 * On tfjs-backend-wasm a matMul with `transposeA`/`transposeB` set falls to a scalar loop that is
 * ~10× slower (and never threaded), and the autodiff gradient of `tf.matMul` is exactly such a
 * pair (dy·bᵀ, aᵀ·dy). Here the operand is transposed explicitly first, so all three products
 * take the fast path: a two-layer MLP training step went from 66 ms to 12 ms
 * (bench/wasm-threads.ts, case "gradient without transposed matMuls").
 */
import * as tf from '@tensorflow/tfjs';

export const plainMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
