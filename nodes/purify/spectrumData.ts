/**
 * A data matrix X = U diag(σ) Vᵀ (features × samples) with prescribed singular values and
 * random orthonormal U, V from the node's stream: the setting of the purification problem.
 * The default σ are the seed's {10, 8, 4, 1, 0.5, 0.36, 0.16, 0.01}.
 *
 * ## Example
 * `{"type": "purify.spectrumData", "params": {"sigmas": [10, 8, 4, 1], "samples": 32}}`
 */
import { defineNode } from '../../src/node.ts';
import { matmul, matrix64, transpose, randomOrthonormal } from '@eigenflow/linalg';

export const spectrumData = defineNode({
  type: 'purify.spectrumData',
  doc: 'Data matrix X = U diag(σ) Vᵀ (features = σ.length rows, `samples` columns) with random orthonormal U, V.',
  params: {
    sigmas: { type: 'numbers', doc: 'singular values (≥ 0), one per feature', min: 0, minLength: 1, default: [10, 8, 4, 1, 0.5, 0.36, 0.16, 0.01] },
    samples: { type: 'int', doc: 'number of columns (samples), at least the number of features', min: 1, default: 32 },
  },
  inputs: {},
  outputs: {
    X: { type: 'matrix', precision: 'float64', doc: 'features × samples' },
    sigmas: { type: 'numbers', doc: 'the prescribed singular values, sorted descending' },
  },
  metrics: {},
  check: (p) => (p.samples < p.sigmas.length
    ? [`samples must be ≥ the number of singular values (${p.sigmas.length}) so that X can have them all, but got ${p.samples}`]
    : []),
  run: ({ params, ctx }) => {
    const s = [...params.sigmas].sort((a, b) => b - a);
    const m = s.length;
    const U = randomOrthonormal(m, m, ctx.rng);
    const V = randomOrthonormal(params.samples, m, ctx.rng);
    const US = matrix64(m, m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) US.data[i * m + j] = U.data[i * m + j] * s[j];
    return { X: matmul(US, transpose(V)), sigmas: s };
  },
});
