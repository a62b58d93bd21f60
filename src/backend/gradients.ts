/**
 * Gradients of `Sum` and `Mean` whose tensor of ones comes from the backend's `Fill` kernel.
 *
 * tfjs-core's own gradients multiply dy by `tf.ones(x.shape)`, which is built in JavaScript one
 * entry at a time and then copied to the backend: on the wasm backend ~200 µs for a 1000×100 loss,
 * a third of the whole gradient of `tf.losses.meanSquaredError` and more than the loss's matrix
 * product; `tf.fill` is ~9 µs. (`tf.broadcastTo` would save the multiply but is wasm's Tile kernel,
 * 7 ms here.) Same values on every backend; registered by selectBackend (tfjs's gradient registry
 * is process-wide, as its kernel registry is).
 */
import * as tf from '@tensorflow/tfjs';

/** dy reshaped to x's rank (size 1 on the reduced axes) times ones of x's shape. */
function broadcastBack(dy: tf.Tensor, x: tf.Tensor, axis: unknown): { derX: tf.Tensor; reduceSize: number } {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const expanded = x.shape.slice();
  for (const a of axes) expanded[a] = 1;
  const reduceSize = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return { derX: tf.mul(tf.reshape(dy, expanded), tf.fill(x.shape, 1, 'float32')), reduceSize };
}

export function registerReductionGradients(): void {
  tf.registerGradient({
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const { derX } = broadcastBack(dy as tf.Tensor, saved[0]!, (attrs as { axis: unknown }).axis);
      return { x: () => derX };
    },
  });
  tf.registerGradient({
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => {
        const { derX, reduceSize } = broadcastBack(dy as tf.Tensor, saved[0]!, (attrs as { axis: unknown }).axis);
        return tf.div(derX, reduceSize);
      },
    }),
  });
}
