import { defineNode } from '../../src/node.ts';
import { nonlinearLowRank as build, PHI_NAMES, type PhiName } from './genInternals.ts';

function sizes(n: unknown): number[] {
  return typeof n === 'number' ? [n] : (n as number[]);
}

/**
 * Seed 002's matrices over a list of sizes: at each n, (1/n)·φ∘(X Yᵀ) with X, Y ∈ ℝ^{n×k}
 * Gaussian, or the dense baseline G/√n for φ = "dense". A generator: one stream item per size,
 * with `step` = n, so a probe lifted onto `out` plots its metrics against n.
 *
 * ## Example
 * `"a": {"type": "gen.nonlinearLowRank", "params": {"n": [128, 256, 512], "k": 1, "phi": "tanh"}}`
 */
export const nonlinearLowRank = defineNode({
  type: 'gen.nonlinearLowRank',
  doc: 'Streams (1/n)·φ∘(XYᵀ) (X, Y: n×k Gaussian) or a dense Gaussian baseline for each n in a list; step = n.',
  params: {
    n: { type: 'json', doc: 'a size or an increasing list of sizes, e.g. [128, 256, 512, 1024, 2048]' },
    k: { type: 'int', doc: 'rank of XYᵀ', default: 1, min: 1 },
    phi: { type: 'string', doc: 'the nonlinearity, or "dense" for the full-rank baseline', default: 'tanh', oneOf: [...PHI_NAMES, 'dense'] },
  },
  check: (p) => {
    const n = sizes(p.n);
    if (!Array.isArray(n) || n.length === 0 || !n.every((v) => Number.isInteger(v) && v >= 1)) return [`n must be a positive integer or a non-empty list of them but got ${JSON.stringify(p.n)}`];
    if (n.some((v, i) => i > 0 && v <= n[i - 1])) return [`n must be increasing (each size is a step) but got ${JSON.stringify(p.n)}`];
    if (p.k > n[0]) return [`k must be ≤ the smallest n (got k=${p.k}, n=${n[0]})`];
    return [];
  },
  inputs: {},
  outputs: {
    out: { type: 'matrix', precision: 'float64', doc: 'the n×n matrix for the current size', stream: true },
    last: { type: 'matrix', precision: 'float64', doc: 'the matrix at the largest n' },
  },
  // the largest size: X Yᵀ and φ of it (n² each), plus the factors
  cost: (p) => { const n = Math.max(0, ...(Array.isArray(sizes(p.n)) ? sizes(p.n).filter(Number.isFinite) : [])); return { bytes: 8 * (2 * n * n + 2 * n * p.k) }; },
  *run({ params, ctx }) {
    const ns = sizes(params.n);
    let last = null;
    for (const n of ns) {
      last = build(n, params.k, params.phi as PhiName | 'dense', ctx.rng.fork(`n=${n}`));
      yield { step: n, total: ns[ns.length - 1], out: { out: last } };
    }
    return { last: last! };
  },
});
