/**
 * Sparse features: x ∈ ℝⁿ with each feature active independently with probability p, active values
 * uniform in [lo, hi]. Emits the distribution itself (`out`, which trainers and probes sample from
 * with their own seeded streams) and one dense sample batch `x` (batch × n) for probes that want a
 * fixed batch. Batched over members; p, lo and hi may differ between them.
 *
 * ## Example
 * `"data": { "type": "data.sparseFeatures", "params": { "n": "$n", "p": "$p", "batch": 2048 } }`
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import { csrToDense, sampleCsr } from './dataInternals.ts';
import type { SparseFeatures } from './types.ts';

export const sparseFeatures = defineNode({
  type: 'data.sparseFeatures',
  doc: 'Sparse inputs: each of n features active with probability p, active values uniform in [lo, hi]. Emits the distribution (out) and one dense sample batch (x).',
  params: {
    n: { type: 'int', doc: 'number of features', min: 1 },
    p: { type: 'number', doc: 'probability that a feature is active', min: 0, max: 1, exclusiveMin: true },
    lo: { type: 'number', doc: 'lower end of active values', default: -1 },
    hi: { type: 'number', doc: 'upper end of active values', default: 1 },
    batch: { type: 'int', doc: 'rows of the sample batch x', default: 2048, min: 1 },
  },
  inputs: {},
  outputs: {
    out: { type: 'sparseFeatures', doc: 'the input distribution {n, p, lo, hi}' },
    x: { type: 'matrix', precision: 'float32', doc: 'one sample batch, batch × n', shape: (p) => [p.batch, p.n] },
  },
  metrics: {},
  check: (p) => (p.lo < p.hi ? [] : [`lo must be smaller than hi (got lo=${p.lo}, hi=${p.hi})`]),
  cost: (p) => ({ bytes: 4 * p.batch * p.n * (1 + 2 * p.p) }),
  members: 'batched',
  memberParams: ['p', 'lo', 'hi'],
  run({ params, ctx }) {
    // Batched (see src/node.ts): one distribution per member, x stacked [count, batch, n].
    const { count, params: each, rng } = ctx.members!;
    const { n, batch } = params;
    const specs = each.map((p): SparseFeatures => ({ n, p: p.p as number, lo: p.lo as number, hi: p.hi as number }));
    const x = new Float32Array(count * batch * n);
    specs.forEach((spec, k) => x.set(csrToDense(sampleCsr(spec, rng[k], batch)), k * batch * n));
    return { out: specs as unknown as SparseFeatures, x: tf.tensor3d(x, [count, batch, n]) };
  },
});
