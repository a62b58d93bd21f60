/**
 * The power-law fit against WeightWatcher's own fitter: `WWFit.fit_power_law` and its x_min
 * selection, transcribed from WeightWatcher's WW_powerlaw.py (numpy), run on the same
 * eigenvalues, with the `evals > 1e-5` filter of `WeightWatcher.fit_powerlaw`. Skips, saying why,
 * when python3 or numpy is missing (.ci/run installs numpy).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { matrix64, svd } from '@eigenflow/linalg';
import { deriveRng } from '../../../src/rng.ts';
import { fitPowerLaw } from '../../../nodes/spectral/powerLawInternals.ts';
import { pareto } from './spectralTestUtil.ts';

const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const skip = probe.status !== 0 ? 'python3 with numpy is not available; install it with: pip install numpy' : false;

const WWFIT = String.raw`
import sys, json, numpy as np
out = []
for evals in json.load(sys.stdin):
    evals = np.asarray(evals, dtype=np.float64)
    data = np.sort(evals[evals > 1e-5])                      # fit_powerlaw: nz_evals = evals[evals > thresh]
    N = len(data); log_data = np.log(data)
    alphas = np.zeros(N - 1); Ds = np.ones(N - 1)
    for i, xmin in enumerate(data[:-1]):                     # WWFit.fit_power_law
        n = float(N - i)
        alpha = 1 + n / (np.sum(log_data[i:]) - n * log_data[i])
        alphas[i] = alpha
        if alpha > 1:
            Ds[i] = np.max(np.abs(1 - (data[i:] / xmin) ** (-alpha + 1) - np.arange(n) / n))
    sigmas = (alphas - 1) / np.sqrt(N - np.arange(N - 1))
    i = int(np.argmin(Ds))
    out.append({'alpha': alphas[i], 'xmin': data[i], 'D': Ds[i], 'sigma': sigmas[i], 'tail': int(np.sum(evals >= data[i]))})
print(json.dumps(out))
`;

function studentT(rows: number, cols: number, nu: number, seed: number): number[] {
  const rng = deriveRng(seed, 'student'), w = matrix64(rows, cols);
  for (let i = 0; i < w.data.length; i++) {
    let chi = 0;
    for (let k = 0; k < nu; k++) chi += rng.normal() ** 2;
    w.data[i] = rng.normal() / Math.sqrt(chi / nu);
  }
  return Array.from(svd(w).s, (s) => s * s);
}

describe('power-law fit against WeightWatcher\'s WWFit (numpy)', { skip }, () => {
  it('should give the same x_min, α, D, σ and tail on Pareto, Student-t and near-zero spectra', () => {
    const gauss = matrix64(120, 60);
    deriveRng(8, 'g').fillNormal(gauss.data);
    const spectra = [
      pareto(400, 2.5, 1, 3),
      studentT(200, 100, 4, 2),
      studentT(100, 150, 3, 3),
      studentT(10, 512, 4, 4),
      Array.from(svd(gauss).s, (s) => s * s),
      [0, 1e-9, 1e-5, 2e-5, 0.3, 0.5, 1, 2, 4, 9, 30],
    ];
    const r = spawnSync('python3', ['-c', WWFIT], { input: JSON.stringify(spectra), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ww = JSON.parse(r.stdout) as { alpha: number; xmin: number; D: number; sigma: number; tail: number }[];
    spectra.forEach((lam, k) => {
      const f = fitPowerLaw(lam), w = ww[k];
      assert.equal(f.xmin, w.xmin, `spectrum ${k}: xmin`);
      assert.equal(f.tail, w.tail, `spectrum ${k}: tail`);
      assert.ok(Math.abs(f.alpha - w.alpha) <= 1e-10 * w.alpha, `spectrum ${k}: alpha ${f.alpha} vs ${w.alpha}`);
      assert.ok(Math.abs(f.ks - w.D) <= 1e-10, `spectrum ${k}: D ${f.ks} vs ${w.D}`);
      assert.ok(Math.abs(f.sigma - w.sigma) <= 1e-10 * w.sigma, `spectrum ${k}: sigma`);
    });
  });
});
