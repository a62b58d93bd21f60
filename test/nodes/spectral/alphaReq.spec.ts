import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { alphaReq } from '../../../nodes/spectral/alphaReq.ts';
import { fitDecay } from '../../../nodes/spectral/spectralInternals.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';
import { withSingularValues } from './spectralTestUtil.ts';

/** n×d features with column means 0 and centred-covariance eigenvalues exactly c·i^(−α). */
function features(n: number, d: number, alpha: number, seed: number, shift = 3) {
  const sigma = Array.from({ length: d }, (_, i) => Math.sqrt((n - 1) * (i + 1) ** -alpha));
  const x = withSingularValues(n, d, sigma, seed, true);
  for (let i = 0; i < x.data.length; i++) x.data[i] += shift * ((i % d) - d / 2); // column offsets: removed by centring
  return x;
}

describe('spectral.alphaReq', () => {
  before(useWasm);

  it('should recover the exact exponent with R² = 1 from a constructed covariance spectrum', () => {
    for (const alpha of [0.6, 1, 2.2]) {
      const r = runNode(alphaReq, { inputs: { features: features(300, 120, alpha, 7) } });
      expectArraysClose([r.outputs.alpha], [alpha], 1e-9);
      expectArraysClose(r.values('r2') as number[], [1], 1e-12);
      assert.deepEqual(r.values('hi_used'), [100]);
    }
  });

  it('should fit only ranks lo..hi: a spectrum with a kink gives each side its own slope', () => {
    const lam = Array.from({ length: 200 }, (_, i) => (i < 50 ? (i + 1) ** -1 : 50 ** -1 * ((i + 1) / 50) ** -3));
    expectArraysClose([fitDecay(lam, 5, 40).alpha, fitDecay(lam, 60, 200).alpha, fitDecay(lam, 60, 200, 'uniform').alpha], [1, 3, 3], 1e-9);
    assert.ok(fitDecay(lam, 11, 100).r2 < 0.99);
  });

  it('should truncate the range at the number of positive eigenvalues, on a tensor, without leaks', async () => {
    await expectNoLeak(() => {
      const x = tf.tensor2d(Array.from(features(64, 20, 1.5, 3).data), [64, 20]); // widened at the edge by runNode
      const r = runNode(alphaReq, { inputs: { features: x }, params: { lo: 2, hi: 100 } });
      assert.deepEqual(r.values('hi_used'), [20]);
      assert.ok(Math.abs((r.outputs.alpha as number) - 1.5) < 1e-3, `float32 input: ${r.outputs.alpha}`);
      r.dispose(); x.dispose();
    });
  });

  it('should cap the range at the numerical rank: n = 50 samples ≤ hi give centred rank 49, and round-off eigenvalues stay out', () => {
    // 50 samples × 200 features, centred covariance eigenvalues exactly i^(−0.8) for i ≤ 49 and 0 beyond
    const sigma = Array.from({ length: 49 }, (_, i) => Math.sqrt(49 * (i + 1) ** -0.8));
    const x = withSingularValues(50, 200, sigma, 5, true);
    const r = runNode(alphaReq, { inputs: { features: x } });
    assert.deepEqual(r.values('rank'), [49]);
    assert.deepEqual(r.values('lo_used'), [11]);
    assert.deepEqual(r.values('hi_used'), [49]);
    expectArraysClose([r.outputs.alpha], [0.8], 1e-9);
  });

  it('should reject hi ≤ lo', () => {
    assert.throws(() => runNode(alphaReq, { inputs: { features: features(10, 4, 1, 1) }, params: { lo: 5, hi: 5 } }), /hi must be greater than lo \(got lo=5, hi=5\)/);
  });
});
