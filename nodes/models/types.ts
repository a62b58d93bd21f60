/** Types of the `models` family (types only): the residual MLP y = W2·relu(W1 x) + Wn x as it travels between nodes. */
import type * as tf from '@tensorflow/tfjs';

export interface ResidualMLP {
  /** m × n, input → hidden. */
  W1: tf.Tensor2D;
  /** n × m, hidden → output. */
  W2: tf.Tensor2D;
  /** n × n, the fixed residual matrix. */
  Wn: tf.Tensor2D;
}

declare module '../../src/node.ts' {
  interface PortTypes {
    residualMLP: ResidualMLP;
  }
}
