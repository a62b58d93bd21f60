/** Shared pieces of the matrix generators: float64 builders, and φ from the shared activation table. */
import { matrix64, type Matrix64 } from '@eigenflow/linalg';
import { ACTIVATION_NAMES, ACTIVATIONS, type ActivationName } from '../../src/ops/activations.ts';
import type { Rng } from '../../src/rng.ts';

export type PhiName = ActivationName;
export const PHI_NAMES = ACTIVATION_NAMES;

export function gaussian(rows: number, cols: number, rng: Rng, std = 1): Matrix64 {
  const m = matrix64(rows, cols);
  rng.fillNormal(m.data, 0, std);
  return m;
}

/** X·Yᵀ·scale for X (n×k), Y (m×k) with standard Gaussian entries. */
export function lowRank(n: number, m: number, k: number, rng: Rng, scale = 1): Matrix64 {
  const x = gaussian(n, k, rng), y = gaussian(m, k, rng), out = matrix64(n, m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let acc = 0;
    for (let t = 0; t < k; t++) acc += x.data[i * k + t] * y.data[j * k + t];
    out.data[i * m + j] = acc * scale;
  }
  return out;
}

/** φ applied to every entry, then multiplied by `scale`. */
export function elementwise(a: Matrix64, phi: PhiName, scale = 1): Matrix64 {
  const f = ACTIVATIONS[phi], out = matrix64(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = f(a.data[i]) * scale;
  return out;
}

/**
 * Seed 002's matrix at size n: (1/n)·φ∘(X Yᵀ) with X, Y ∈ ℝ^{n×k} standard Gaussian (the
 * entries of XYᵀ are O(√k), φ acts on them, the 1/n is outside φ), or for φ = 'dense' the
 * full-rank baseline G/√n with i.i.d. standard Gaussian G.
 */
export function nonlinearLowRank(n: number, k: number, phi: PhiName | 'dense', rng: Rng): Matrix64 {
  if (phi === 'dense') return gaussian(n, n, rng, 1 / Math.sqrt(n));
  return elementwise(lowRank(n, n, k, rng), phi, 1 / n);
}
