import { defineNode } from '../../src/node.ts';
import { matmul, matrix64, type Matrix64, orthonormalColumns } from '@eigenflow/linalg';
import type { Rng } from '../../src/rng.ts';
import { gaussian } from './genInternals.ts';

/** U diag(σ) Vᵀ with random orthonormal U (rows×r), V (cols×r), r = min(rows, cols), σ_i = i^(−decay/2). */
function powerLawMatrix(rows: number, cols: number, decay: number, rng: Rng): Matrix64 {
  const r = Math.min(rows, cols);
  const q = orthonormalColumns(gaussian(rows, r, rng));
  const p = orthonormalColumns(gaussian(cols, r, rng));
  const qs = matrix64(rows, r);
  for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) qs.data[i * r + j] = q.data[i * r + j] * (j + 1) ** (-decay / 2);
  const pt = matrix64(r, cols);
  for (let i = 0; i < cols; i++) for (let j = 0; j < r; j++) pt.data[j * cols + i] = p.data[i * r + j];
  return matmul(qs, pt);
}

/**
 * Samples of seed 004's toy model Y = X·W: at step s, W (d×m) has eigenvalues of WᵀW decaying
 * as i^(−a) with a swept linearly from `decayMin` to `decayMax` over the samples, and X (n×d)
 * is Gaussian with column scales i^(−xDecay/2) (xDecay = 0: isotropic) — fresh draws each step.
 *
 * ## Example
 * `"model": {"type": "gen.linearModel", "params": {"n": 256, "d": 64, "m": 32, "samples": 40}}`
 */
export const linearModel = defineNode({
  type: 'gen.linearModel',
  doc: 'Streams samples (X, W, Y = XW) with power-law weight spectra of varying decay, for comparing HTSR α of W with α-ReQ of the features Y.',
  params: {
    n: { type: 'int', doc: 'rows of X (samples)', default: 256, min: 2 },
    d: { type: 'int', doc: 'columns of X = rows of W', default: 64, min: 2 },
    m: { type: 'int', doc: 'columns of W', default: 32, min: 2 },
    samples: { type: 'int', doc: 'number of (X, W) draws', default: 40, min: 1 },
    decayMin: { type: 'number', doc: 'smallest decay exponent a of W\'s eigenvalues i^(−a)', default: 0.1, min: 0 },
    decayMax: { type: 'number', doc: 'largest decay exponent a', default: 3, min: 0 },
    xDecay: { type: 'number', doc: 'decay exponent of X\'s column variances (0 = isotropic)', default: 0.5, min: 0 },
  },
  check: (p) => (p.decayMax < p.decayMin ? [`decayMax must be ≥ decayMin (got ${p.decayMin}, ${p.decayMax})`] : []),
  inputs: {},
  outputs: {
    x: { type: 'matrix', precision: 'float64', doc: 'n×d data', stream: true },
    w: { type: 'matrix', precision: 'float64', doc: 'd×m weights', stream: true },
    y: { type: 'matrix', precision: 'float64', doc: 'n×m features Y = X·W', stream: true },
  },
  metrics: { decay: { kind: 'scalar', doc: 'decay exponent a of this sample\'s W (eigenvalues of WᵀW ∝ i^(−a))', when: 'step' } },
  *run({ params, ctx }) {
    const { n, d, m, samples } = params;
    for (let s = 1; s <= samples; s++) {
      const rng = ctx.rng.fork(`sample=${s}`);
      const a = samples === 1 ? params.decayMin : params.decayMin + ((params.decayMax - params.decayMin) * (s - 1)) / (samples - 1);
      const x = gaussian(n, d, rng);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x.data[i * d + j] *= (j + 1) ** (-params.xDecay / 2);
      const w = powerLawMatrix(d, m, a, rng);
      ctx.metric('decay', a, s);
      yield { step: s, total: samples, out: { x, w, y: matmul(x, w) } };
    }
  },
});
