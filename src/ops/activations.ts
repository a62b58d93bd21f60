/**
 * The elementwise activation functions every node family uses on float64 values, with the
 * derivatives the hand-written gradients need. One table, so `relu` means the same function in
 * a generator (`gen.elementwise`) and in a trainer (`linear.train` with `model: "relu"`).
 * Tensor code uses `tf.relu` / `tf.tanh`, which agree with these entry by entry.
 */
export const ACTIVATIONS = {
  identity: (z: number) => z,
  relu: (z: number) => (z > 0 ? z : 0),
  tanh: Math.tanh,
  sin: Math.sin,
  square: (z: number) => z * z,
  abs: Math.abs,
  sign: (z: number) => Math.sign(z),
  exp: Math.exp,
} as const;

export type ActivationName = keyof typeof ACTIVATIONS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

/** φ′ for the activations that are trained through (the value at 0 of relu′ is 0, as in tfjs). */
export const ACTIVATION_GRADS = {
  identity: (_z: number) => 1,
  relu: (z: number) => (z > 0 ? 1 : 0),
  tanh: (z: number) => { const y = Math.tanh(z); return 1 - y * y; },
} as const;
