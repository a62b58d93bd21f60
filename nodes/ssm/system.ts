/**
 * A single-input single-output linear SSM x_{k+1} = A x_k + B u_k, y_k = C x_k + D u_k with A
 * dense, diagonal, or diagonal-plus-low-rank A = shift·I + ppᵀ.
 *
 * Explicit values win; whatever is null is drawn from the node's random stream (forked by
 * `seed`). The structure parameter of the chosen kind is used (`A` for dense, `lambda` for
 * diagonal, `p` for dplr) and the others are ignored, so one graph can hold the seed's dense
 * worked example and still run `--set kind=dplr`.
 *
 * ## Example
 * `{"type": "ssm.system", "params": {"kind": "dense", "n": 2, "A": [[0.7, 0.1], [0.2, 0.6]], "B": [1, 0], "C": [1, 0]}}`
 */
import { defineNode } from '../../src/node.ts';
import { matrix64 } from '../../src/linalg/index.ts';
import { SSM_KINDS, type SsmKind, type SsmSystem } from './kernel_impl.ts';
import { gaussian, matrixProblem, randomDense, vectorProblem } from './ssmInternals.ts';

const RANDOM = 'drawn at random from seed';

export const system = defineNode({
  type: 'ssm.system',
  doc: 'A SISO linear state-space model (A dense | diagonal | shift·I + ppᵀ, B, C, D) from explicit values or drawn from a seed.',
  params: {
    kind: { type: 'string', doc: 'structure of A', oneOf: SSM_KINDS, default: 'dense' },
    n: { type: 'int', doc: 'state size', min: 1, max: 100000, default: 2 },
    seed: { type: 'int', doc: 'labels the random draw (forks the node stream)', min: 0, default: 0 },
    A: { type: 'json', doc: 'kind=dense: n×n rows, or null for a Gaussian matrix with spectral norm `radius`', default: null },
    lambda: { type: 'json', doc: 'kind=diagonal: the n diagonal entries, or null for uniform in [−radius, radius]', default: null },
    p: { type: 'json', doc: 'kind=dplr: the n entries of p in A = shift·I + ppᵀ, or null for a random direction with ‖p‖² = alpha', default: null },
    shift: { type: 'number', doc: 'kind=dplr: c in A = c·I + ppᵀ (the seed uses c = 1)', default: 1 },
    alpha: { type: 'number', doc: 'kind=dplr, random p: ‖p‖²', min: 0, default: 0.05 },
    radius: { type: 'number', doc: 'random dense/diagonal A: bound on |eigenvalues|', min: 0, default: 0.9 },
    B: { type: 'json', doc: 'n input weights, or null for N(0, 1)', default: null },
    C: { type: 'json', doc: 'n output weights, or null for N(0, 1/n)', default: null },
    D: { type: 'number', doc: 'feed-through (K_0)', default: 0 },
  },
  inputs: {},
  outputs: { system: { type: 'ssm', doc: 'the system (A as a dense matrix only for kind = dense)' } },
  check: (p) => {
    const problems: (string | null)[] = [];
    if (p.kind === 'dense' && p.n > 4096) problems.push(`n = ${p.n} is too large for kind = "dense" (an n×n float64 A is ${(p.n * p.n * 8 / 1e9).toFixed(1)} GB); use n ≤ 4096 or kind = "diagonal" / "dplr"`);
    if (p.kind === 'dense' && p.A !== null) problems.push(matrixProblem('A', p.A, p.n, RANDOM));
    if (p.kind === 'diagonal' && p.lambda !== null) problems.push(vectorProblem('lambda', p.lambda, p.n, RANDOM));
    if (p.kind === 'dplr' && p.p !== null) problems.push(vectorProblem('p', p.p, p.n, RANDOM));
    if (p.B !== null) problems.push(vectorProblem('B', p.B, p.n, RANDOM));
    if (p.C !== null) problems.push(vectorProblem('C', p.C, p.n, RANDOM));
    return problems.filter((x): x is string => x !== null);
  },
  run: ({ params, ctx }) => {
    const { n } = params;
    const kind = params.kind as SsmKind;
    const rng = ctx.rng.fork(`seed=${params.seed}`);
    const given = (v: unknown): Float64Array | null => (v === null ? null : Float64Array.from(v as number[]));
    let sys: SsmSystem;
    // Draw in a fixed order so B and C do not depend on which structure was explicit.
    const draws = { A: rng.fork('A'), B: rng.fork('B'), C: rng.fork('C') };
    const B = given(params.B) ?? gaussian(draws.B, n);
    const C = given(params.C) ?? gaussian(draws.C, n, 1 / Math.sqrt(n));
    if (kind === 'dense') {
      const A = params.A === null ? randomDense(draws.A, n, params.radius) : matrix64(n, n, (params.A as number[][]).flat());
      sys = { kind, n, A, B, C, D: params.D };
    } else if (kind === 'diagonal') {
      const lambda = given(params.lambda) ?? draws.A.fillUniform(new Float64Array(n), -params.radius, params.radius);
      sys = { kind, n, lambda, B, C, D: params.D };
    } else {
      let p = given(params.p);
      if (!p) {
        const g = gaussian(draws.A, n);
        const norm = Math.sqrt(g.reduce((acc, x) => acc + x * x, 0)) || 1;
        p = g.map((x) => (x * Math.sqrt(params.alpha)) / norm);
      }
      sys = { kind, n, p, shift: params.shift, B, C, D: params.D };
    }
    return { system: sys };
  },
});
