/** Independent constructions for the spectral tests (no code under test is used). */
import { matrix64, type Matrix64 } from '@eigenflow/linalg';
import { deriveRng } from '../../../src/rng.ts';

/** n×k orthonormal columns by twice-repeated modified Gram–Schmidt on a Gaussian; optionally ⟂ 1. */
export function orthonormal(n: number, k: number, seed: number, orthToOnes = false): Matrix64 {
  const g = matrix64(n, k);
  deriveRng(seed, 'orth').fillNormal(g.data);
  const basis: Float64Array[] = orthToOnes ? [new Float64Array(n).fill(1 / Math.sqrt(n))] : [];
  const out = matrix64(n, k);
  for (let j = 0; j < k; j++) {
    const v = Float64Array.from({ length: n }, (_, i) => g.data[i * k + j]);
    for (let pass = 0; pass < 2; pass++) for (const b of basis) {
      let d = 0;
      for (let i = 0; i < n; i++) d += b[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= d * b[i];
    }
    const nv = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    for (let i = 0; i < n; i++) v[i] /= nv;
    basis.push(v);
    for (let i = 0; i < n; i++) out.data[i * k + j] = v[i];
  }
  return out;
}

/** Q diag(σ) Pᵀ with Q (rows×r), P (cols×r) orthonormal, r = σ.length. */
export function withSingularValues(rows: number, cols: number, sigma: number[], seed: number, orthToOnes = false): Matrix64 {
  const r = sigma.length, q = orthonormal(rows, r, seed, orthToOnes), p = orthonormal(cols, r, seed + 1);
  const out = matrix64(rows, cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    let acc = 0;
    for (let t = 0; t < r; t++) acc += q.data[i * r + t] * sigma[t] * p.data[j * r + t];
    out.data[i * cols + j] = acc;
  }
  return out;
}

/** Draws from the continuous power law p(x) ∝ x^(−α), x ≥ xmin, by inverse CDF. */
export function pareto(count: number, alpha: number, xmin: number, seed: number): number[] {
  const rng = deriveRng(seed, 'pareto');
  return Array.from({ length: count }, () => xmin * (1 - rng.uniform()) ** (-1 / (alpha - 1)));
}
