import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { matrix64 } from '@eigenflow/linalg';
import { deriveRng } from '../../../src/rng.ts';
import { htsr } from '../../../nodes/spectral/htsr.ts';
import { fitPowerLaw } from '../../../nodes/spectral/spectralInternals.ts';
import { pareto } from './spectralTestUtil.ts';

/** A square diagonal W whose WᵀW has exactly the eigenvalues `lam`. */
function diagW(lam: number[]) {
  const n = lam.length, w = matrix64(n, n);
  lam.forEach((l, i) => { w.data[i * n + i] = Math.sqrt(l); });
  return w;
}

describe('spectral.htsr', () => {
  it('should recover a known power-law exponent from an exact Pareto ESD (MLE ± 3 s.e.)', () => {
    for (const alpha of [2, 3.5, 5]) {
      const lam = pareto(600, alpha, 0.7, Math.round(alpha * 10));
      const r = runNode(htsr, { inputs: { w: diagW(lam) } });
      const a = r.outputs.alpha as number, tail = r.values('tail')[0] as number;
      // the MLE's standard error is (α−1)/√n; x_min may cut a few points of the tail
      assert.ok(Math.abs(a - alpha) < 3 * (alpha - 1) / Math.sqrt(tail), `alpha ${a} vs ${alpha} (tail ${tail})`);
      assert.ok(tail > 300, `tail ${tail}`);
      assert.ok((r.values('ks')[0] as number) < 0.06);
    }
  });

  it('should place x_min at the start of the tail when a bulk sits below it', () => {
    const rng = deriveRng(4, 'bulk');
    const tail = pareto(800, 3, 2, 9);
    const bulk = Array.from({ length: 400 }, () => 0.2 + 1.6 * rng.uniform()); // uniform on [0.2, 1.8]
    const fit = fitPowerLaw([...bulk, ...tail]);
    assert.ok(fit.xmin >= 1.8 && fit.xmin < 2.3, `xmin ${fit.xmin}`);
    assert.ok(Math.abs(fit.alpha - 3) < 0.25, `alpha ${fit.alpha}`);
  });

  it('should use the squared singular values of W (the ESD of WᵀW), whatever its shape', () => {
    const w = matrix64(3, 40);
    deriveRng(1, 'w').fillNormal(w.data);
    const r = runNode(htsr, { inputs: { w }, params: { minTail: 2, emitEsd: true } });
    const esd = r.values('esd')[0] as number[];
    assert.equal(esd.length, 3);
    const fro2 = w.data.reduce((a, x) => a + x * x, 0);
    assert.ok(Math.abs(esd.reduce((a, b) => a + b, 0) - fro2) < 1e-9 * fro2, 'Σλ = ‖W‖_F²');
  });

  it('should return NaN with fewer eigenvalues than minTail, and reject minTail < 2', () => {
    const r = runNode(htsr, { inputs: { w: diagW([1, 2, 3]) }, params: { minTail: 4 } });
    assert.ok(Number.isNaN(r.outputs.alpha));
    // WeightWatcher's default allows a tail of 2: three eigenvalues fit
    assert.ok(Number.isFinite(runNode(htsr, { inputs: { w: diagW([1, 2, 3]) } }).outputs.alpha));
    assert.throws(() => runNode(htsr, { inputs: { w: diagW([1, 2]) }, params: { minTail: 1 } }), /spectral\.htsr\.params\.minTail must be ≥ 2 but got 1/);
  });
});
