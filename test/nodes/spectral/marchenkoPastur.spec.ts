import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { matrix64, svd } from '@eigenflow/linalg';
import { deriveRng } from '../../../src/rng.ts';
import { marchenkoPastur } from '../../../nodes/spectral/marchenkoPastur.ts';
import { mpDensity } from '../../../nodes/spectral/spectralInternals.ts';

function gaussian(n: number, p: number, seed: number, std = 1) {
  const x = matrix64(n, p);
  deriveRng(seed, 'mp').fillNormal(x.data, 0, std);
  return x;
}

/** MP CDF of the nonzero eigenvalues by the midpoint rule on the density. */
function mpCdf(x: number, gamma: number, sigma2: number): number {
  const a = sigma2 * (1 - Math.sqrt(gamma)) ** 2, steps = 4000, h = (x - a) / steps;
  let acc = 0;
  for (let i = 0; i < steps; i++) acc += mpDensity(a + (i + 0.5) * h, gamma, sigma2) * h;
  return x <= a ? 0 : acc;
}

describe('spectral.marchenkoPastur', () => {
  it('should find the eigenvalues of a Gaussian XᵀX/n inside the MP edges, distributed by the MP law', () => {
    for (const [n, p, std] of [[800, 200, 1], [200, 500, 0.5]] as const) {
      const x = gaussian(n, p, n + p, std);
      const r = runNode(marchenkoPastur, { inputs: { x } });
      const gamma = p / n, s2 = std * std;
      assert.ok(Math.abs((r.values('sigma2')[0] as number) / s2 - 1) < 0.02);
      assert.ok(Math.abs((r.values('mp_upper')[0] as number) - s2 * (1 + Math.sqrt(gamma)) ** 2) < 0.03 * s2 * (1 + Math.sqrt(gamma)) ** 2);
      assert.deepEqual(r.values('outside'), [0]);
      // Kolmogorov–Smirnov distance to the MP law, evaluated at 30 quantile points
      const lam = Array.from(svd(x).s, (v) => (v * v) / n).sort((a, b) => a - b);
      let ks = 0;
      for (let q = 1; q < 30; q++) {
        const i = Math.floor((q / 30) * lam.length);
        ks = Math.max(ks, Math.abs(mpCdf(lam[i], gamma, s2) - i / lam.length));
      }
      assert.ok(ks < 0.03, `KS ${ks}`);
    }
  });

  it('should count a spike above the BBP threshold as the one eigenvalue above the bulk', () => {
    const n = 1000, p = 250, gamma = p / n, ell = 1 + 3 * Math.sqrt(gamma); // population variance ℓ on one axis
    const x = gaussian(n, p, 3);
    for (let i = 0; i < n; i++) x.data[i * p] *= Math.sqrt(ell);
    const r = runNode(marchenkoPastur, { inputs: { x }, params: { sigma2: 1 } });
    assert.deepEqual(r.values('above'), [1]);
    const expected = ell * (1 + gamma / (ell - 1)); // Baik–Ben Arous–Péché outlier location
    assert.ok(Math.abs((r.values('lambda_max')[0] as number) / expected - 1) < 0.06, `λ_max ${r.values('lambda_max')[0]} vs ${expected}`);
  });

  it('should reject a negative variance', () => {
    assert.throws(() => runNode(marchenkoPastur, { inputs: { x: gaussian(4, 2, 1) }, params: { sigma2: -1 } }), /sigma2 must be ≥ 0 but got -1/);
  });
});
