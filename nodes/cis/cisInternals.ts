/**
 * Exact and Monte Carlo losses of the residual MLP y = W2·relu(W1 x) + Wn x against relu(x), and
 * spectral summaries of a target matrix.
 */
import * as tf from '@tensorflow/tfjs';
import { csrToDense, meanSquareRelu, sampleCsr } from '../data/dataInternals.ts';
import type { SparseFeatures } from '../data/types.ts';
import type { ResidualMLP } from '../models/types.ts';
import type { Rng } from '../../src/rng.ts';

/**
 * The naive loss: m features get a neuron each and are computed exactly, the other n − m are not
 * represented (output 0), so each of them costs p·E[relu(u)²] per sample. For u uniform in [−1, 1]
 * that is (n − m)/n · p/6.
 */
export function naiveLoss(spec: SparseFeatures, m: number): number {
  const { n, p, lo, hi } = spec;
  return (Math.max(0, n - m) / n) * p * meanSquareRelu(lo, hi);
}

/**
 * Mean squared error per feature over `samples` fresh inputs, drawn and evaluated in chunks of
 * `chunk` rows with dense plain-layout matMuls (X·W1ᵀ, H·W2ᵀ, X·Wnᵀ). Returns the per-feature
 * mean (length n); the loss is its mean.
 */
export function featureLosses(model: ResidualMLP, spec: SparseFeatures, rng: Rng, samples: number, chunk: number): Float64Array {
  const it = featureLossChunks(model, spec, rng, samples, chunk);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/**
 * `featureLosses` one chunk at a time: yields after each chunk the number of chunks done and
 * their total, and returns the per-feature mean. The random stream is drawn in the same order, so
 * the result is identical. Closing the generator early (`return()`) disposes its tensors.
 */
export function* featureLossChunks(model: ResidualMLP, spec: SparseFeatures, rng: Rng, samples: number, chunk: number): Generator<{ step: number; total: number }, Float64Array> {
  const n = spec.n;
  const sums = new Float64Array(n);
  const total = Math.ceil(samples / chunk);
  const w = tf.tidy(() => [tf.transpose(model.W1), tf.transpose(model.W2), tf.transpose(model.Wn)].map((t) => tf.keep(t)));
  try {
    for (let done = 0, step = 1; done < samples; done += chunk, step++) {
      const rows = Math.min(chunk, samples - done);
      const x = csrToDense(sampleCsr(spec, rng, rows));
      const part = tf.tidy(() => {
        const X = tf.tensor2d(x, [rows, n]);
        const y = tf.add(tf.matMul(tf.relu(tf.matMul(X, w[0])), w[1]), tf.matMul(X, w[2]));
        return tf.sum(tf.square(tf.sub(y, tf.relu(X))), 0);
      });
      const d = part.dataSync();
      part.dispose();
      for (let j = 0; j < n; j++) sums[j] += d[j];
      yield { step, total };
    }
  } finally {
    for (const t of w) t.dispose();
  }
  for (let j = 0; j < n; j++) sums[j] /= samples;
  return sums;
}
