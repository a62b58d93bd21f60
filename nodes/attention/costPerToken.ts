/**
 * Measured cost per token of causal ridge self-attention: recompute-and-solve (a Cholesky
 * factorisation of A_t per token, O(d³)) against the Sherman–Morrison running inverse (O(d²)),
 * both in float64 TypeScript on the same arrays so that the ratio compares the algorithms, not
 * two runtimes. Sweeps d at a fixed sequence length and n at a fixed d, reports the best of
 * `repeats` timings per point (after a warm-up pass over every size), and fits the log–log slope of time per token against d over the
 * upper half of the d grid (where the O(d³) and O(d²) terms dominate the per-token overhead).
 *
 * ## Example
 * `"cost": { "type": "attention.costPerToken", "params": { "ds": [8, 16, 32, 64, 128], "n": 256 } }`
 */
import { defineNode } from '../../src/node.ts';
import { causalCholesky64, causalShermanMorrison, type Qkv64 } from './ridge64Internals.ts';

export const costPerToken = defineNode({
  type: 'attention.costPerToken',
  doc: 'Measured seconds per token of causal ridge attention by recompute-and-solve (O(d³)) and Sherman–Morrison (O(d²)) against d and n, with fitted log–log slopes.',
  params: {
    ds: { type: 'numbers', doc: 'key dimensions d to time (ascending)', min: 1, minLength: 2, default: [8, 16, 32, 64, 128, 256] },
    n: { type: 'int', doc: 'sequence length for the d sweep', min: 1, default: 128 },
    ns: { type: 'numbers', doc: 'sequence lengths for the n sweep', min: 1, minLength: 1, default: [64, 256, 1024, 4096] },
    dForN: { type: 'int', doc: 'key dimension for the n sweep', min: 1, default: 32 },
    dv: { type: 'int', doc: 'value dimension', min: 1, default: 4 },
    lambda: { type: 'number', doc: 'ridge λ', min: 0, exclusiveMin: true, default: 1 },
    repeats: { type: 'int', doc: 'timings per point (the fastest is kept)', min: 1, default: 3 },
  },
  inputs: {},
  outputs: {},
  metrics: {
    solve_us_per_token: { kind: 'scalar', unit: 'µs', doc: 'recompute-and-solve, microseconds per token (step = d)' },
    sm_us_per_token: { kind: 'scalar', unit: 'µs', doc: 'Sherman–Morrison, microseconds per token (step = d)' },
    solve_over_sm: { kind: 'scalar', doc: 'time ratio recompute-and-solve / Sherman–Morrison (step = d)' },
    solve_slope_d: { kind: 'scalar', doc: 'fitted exponent p in time/token ∝ dᵖ for recompute-and-solve (3 expected)' },
    sm_slope_d: { kind: 'scalar', doc: 'fitted exponent p in time/token ∝ dᵖ for Sherman–Morrison (2 expected)' },
    solve_us_per_token_vs_n: { kind: 'scalar', unit: 'µs', doc: 'recompute-and-solve, µs per token at d = dForN (step = n; flat: the cost per token does not grow with n)' },
    sm_us_per_token_vs_n: { kind: 'scalar', unit: 'µs', doc: 'Sherman–Morrison, µs per token at d = dForN (step = n)' },
  },
  cost: (p) => ({ bytes: 8 * Math.max(...p.ns, p.n) * (2 * Math.max(...p.ds, p.dForN) + p.dv) * 2 }),
  // A generator: one step per timed call (the longest, d = 256 at the defaults, takes ~0.3 s), so
  // Ctrl-C and progress are honoured during the sweep; the pauses fall outside every timing.
  *run({ params, ctx }) {
    const { dv, lambda, repeats } = params;
    const sequence = (n: number, d: number): Qkv64 => ({
      n, d, dv,
      Q: ctx.rng.fillNormal(new Float64Array(n * d)), K: ctx.rng.fillNormal(new Float64Array(n * d)), V: ctx.rng.fillNormal(new Float64Array(n * dv)),
    });
    const make = (len: number) => new Float64Array(len);
    const ds = [...params.ds].sort((a, b) => a - b);
    const total = 2 * ds.length + 2 * repeats * (ds.length + params.ns.length);
    let step = 0;
    /** Best of `repeats` timings of `f`, in µs per token of an n-token sequence; a step after each call. */
    const time = function* (f: () => unknown, n: number): Generator<{ step: number; total: number }, number> {
      let best = Infinity;
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        f();
        best = Math.min(best, performance.now() - t0);
        yield { step: ++step, total };
      }
      return (best * 1000) / n;
    };
    const solveT: number[] = [], smT: number[] = [];
    const xs = ds.map((d) => sequence(params.n, d));
    // Warm-up over every size first: V8 compiles and re-optimises the loops during the first calls,
    // which would otherwise land in the first points timed.
    for (const x of xs) {
      causalCholesky64(x, lambda);
      yield { step: ++step, total };
      causalShermanMorrison(make, x, lambda);
      yield { step: ++step, total };
    }
    for (const [i, d] of ds.entries()) {
      const x = xs[i];
      const s = yield* time(() => causalCholesky64(x, lambda), params.n);
      const m = yield* time(() => causalShermanMorrison(make, x, lambda), params.n);
      solveT.push(s); smT.push(m);
      ctx.metric('solve_us_per_token', s, d);
      ctx.metric('sm_us_per_token', m, d);
      ctx.metric('solve_over_sm', s / m, d);
    }
    const half = Math.max(0, Math.floor(ds.length / 2) - (ds.length % 2 === 0 ? 1 : 0));
    ctx.metric('solve_slope_d', logLogSlope(ds.slice(half), solveT.slice(half)));
    ctx.metric('sm_slope_d', logLogSlope(ds.slice(half), smT.slice(half)));
    for (const n of params.ns) {
      const x = sequence(n, params.dForN);
      ctx.metric('solve_us_per_token_vs_n', yield* time(() => causalCholesky64(x, lambda), n), n);
      ctx.metric('sm_us_per_token_vs_n', yield* time(() => causalShermanMorrison(make, x, lambda), n), n);
    }
    return {};
  },
});

/** Least-squares slope of log y against log x. */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log), ly = y.map(Math.log), k = lx.length;
  const mx = lx.reduce((a, b) => a + b, 0) / k, my = ly.reduce((a, b) => a + b, 0) / k;
  let num = 0, den = 0;
  for (let i = 0; i < k; i++) { num += (lx[i] - mx) * (ly[i] - my); den += (lx[i] - mx) ** 2; }
  return num / den;
}
