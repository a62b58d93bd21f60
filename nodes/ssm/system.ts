/**
 * A single-input single-output linear SSM x_{k+1} = A x_k + B u_k, y_k = C x_k + D u_k with A
 * dense, diagonal, or diagonal-plus-low-rank A = shift·I + ppᵀ (or Λ + ppᵀ with `lambda`).
 *
 * Explicit values win; whatever is null is drawn from the node's random stream (forked by
 * `seed`). Each kind has its own structure parameter: `A` (dense), `lambda` (diagonal), `p`
 * and optionally `lambda` (dplr). With `onMismatch: "error"` (default) a value that does not fit the kind or `n` is an
 * error naming the fix; with `"random"` it is replaced by a random draw and the log says so,
 * which lets a graph hold the seed's dense worked example as defaults and still run
 * `--set kind=dplr n=16`.
 *
 * ## Example
 * `{"type": "ssm.system", "params": {"kind": "dense", "n": 2, "A": [[0.7, 0.1], [0.2, 0.6]], "B": [1, 0], "C": [1, 0]}}`
 */
import { defineNode } from '../../src/node.ts';
import { matrix64 } from '@eigenflow/linalg';
import { SSM_KINDS } from './kernelInternals.ts';
import type { SsmSystem } from './types.ts';
import { gaussian, givenValues, randomDense } from './ssmInternals.ts';

export const system = defineNode({
  type: 'ssm.system',
  doc: 'A SISO linear state-space model (A dense | diagonal | shift·I + ppᵀ, B, C, D) from explicit values or drawn from a seed.',
  params: {
    kind: { type: 'string', doc: 'structure of A', oneOf: SSM_KINDS, default: 'dense' },
    n: { type: 'int', doc: 'state size', min: 1, max: 100000, default: 2 },
    seed: { type: 'int', doc: 'labels the random draw (forks the node stream)', min: 0, default: 0 },
    A: { type: 'json', doc: 'kind=dense: n×n rows, or null for a Gaussian matrix with spectral norm `radius`', default: null },
    lambda: { type: 'json', doc: 'kind=diagonal: the n diagonal entries, or null for uniform in [−radius, radius]; kind=dplr: optional diagonal Λ in A = Λ + ppᵀ', default: null },
    dplrDiagonal: { type: 'string', doc: 'kind=dplr with lambda = null: "shift" (A = shift·I + ppᵀ, the seed) or "random" (Λ uniform in [−radius, radius])', oneOf: ['shift', 'random'], default: 'shift' },
    p: { type: 'json', doc: 'kind=dplr: the n entries of p in A = shift·I + ppᵀ, or null for a random direction with ‖p‖² = alpha', default: null },
    shift: { type: 'number', doc: 'kind=dplr: c in A = c·I + ppᵀ (the seed uses c = 1)', default: 1 },
    alpha: { type: 'number', doc: 'kind=dplr, random p: ‖p‖²', min: 0, default: 0.05 },
    radius: { type: 'number', doc: 'random dense/diagonal A: bound on |eigenvalues|', min: 0, default: 0.9 },
    B: { type: 'json', doc: 'n input weights, or null for N(0, 1)', default: null },
    C: { type: 'json', doc: 'n output weights, or null for N(0, 1/n)', default: null },
    D: { type: 'number', doc: 'feed-through (K_0)', default: 0 },
    onMismatch: {
      type: 'string', doc: 'explicit values that do not fit kind or n: error, or replace by a random draw (logged)',
      oneOf: ['error', 'random'], default: 'error',
    },
  },
  inputs: {},
  outputs: { system: { type: 'ssm', doc: 'the system (A as a dense matrix only for kind = dense)' } },
  metrics: {},
  check: (p) => {
    const problems = givenValues(p as never).problems;
    if (p.kind === 'dense' && p.n > 4096) problems.push(`n = ${p.n} is too large for kind = "dense" (an n×n float64 A is ${(p.n * p.n * 8 / 1e9).toFixed(1)} GB); use n ≤ 4096 or kind = "diagonal" / "dplr"`);
    return problems;
  },
  cost: (p) => ({ bytes: 8 * (p.kind === 'dense' ? p.n * p.n : 3 * p.n) }),
  run: ({ params, ctx }) => {
    const { n } = params;
    const kind = params.kind;
    const given = givenValues(params as never);
    for (const note of given.replaced) ctx.log(note);
    // Separate forks, so B and C do not depend on which structure was drawn.
    const rng = ctx.rng.fork(`seed=${params.seed}`);
    const draws = { A: rng.fork('A'), B: rng.fork('B'), C: rng.fork('C') };
    const B = given.B ?? gaussian(draws.B, n);
    const C = given.C ?? gaussian(draws.C, n, 1 / Math.sqrt(n));
    let sys: SsmSystem;
    if (kind === 'dense') {
      const A = given.A ? matrix64(n, n, given.A) : randomDense(draws.A, n, params.radius);
      sys = { kind, n, A, B, C, D: params.D };
    } else if (kind === 'diagonal') {
      const lambda = given.lambda ?? draws.A.fillUniform(new Float64Array(n), -params.radius, params.radius);
      sys = { kind, n, lambda, B, C, D: params.D };
    } else {
      let p = given.p;
      if (!p) {
        const g = gaussian(draws.A, n);
        const norm = Math.sqrt(g.reduce((acc, x) => acc + x * x, 0)) || 1;
        p = g.map((x) => (x * Math.sqrt(params.alpha)) / norm);
      }
      const lambda = given.lambda ?? (params.dplrDiagonal === 'random' ? draws.A.fork('lambda').fillUniform(new Float64Array(n), -params.radius, params.radius) : undefined);
      sys = { kind, n, p, shift: params.shift, ...(lambda ? { lambda } : {}), B, C, D: params.D };
    }
    return { system: sys };
  },
});
