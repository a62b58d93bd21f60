import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { gaussianInit } from '../../../nodes/linear/gaussianInit.ts';
import { balance } from '../../../nodes/linear/linearInternals.ts';
import { scale } from '@eigenflow/linalg';
import { expectNoLeak, useWasm } from '../../helpers.ts';

describe('linear.gaussianInit', () => {
  before(useWasm);

  // Thesis Table 3.1 with ni = 40, nh = 200, no = 80: E[B] = (no·σ2² − ni·σ1²)I, with the
  // per-entry variances σ1² (W1: fan-in ni, fan-out nh) and σ2² (W2: fan-in nh, fan-out no)
  // written out here, independently of the node's schemeStd.
  const ni = 40, nh = 200, no = 80;
  const variances: Record<string, [number, number]> = {
    lecun: [1 / ni, 1 / nh],
    glorot: [2 / (ni + nh), 2 / (nh + no)],
    he: [2 / ni, 2 / nh],
    scaled: [0.5 ** 2 / ni, 1.5 ** 2 / nh],
    gaussian: [0.01, 0.01],
  };
  // λ* = Tr(B)/nh = (‖W2‖² − ‖W1‖²)/nh is a sum of independent scaled χ²₁ terms, so
  // Var λ* = 2(no·nh·σ2⁴ + ni·nh·σ1⁴)/nh² exactly. The test averages R independent draws and
  // allows 4 standard deviations of that mean (a false failure on ~6e-5 of seeds per scheme; the
  // mean of R·nh·(ni + no) χ² terms is Gaussian to a good approximation); it also asserts that this
  // tolerance is below 10% of |E[B]|, so an implementation 10% off fails.
  const R = 16;
  for (const [scheme, [v1, v2]] of Object.entries(variances)) {
    const e = no * v2 - ni * v1;
    const sd = Math.sqrt((2 * (no * v2 * v2 + ni * v1 * v1)) / nh);
    const tol = (4 * sd) / Math.sqrt(R);
    it(`should give λ* ≈ E[B]/I = ${e.toFixed(3)} for ${scheme} at width 200 (mean of ${R} draws, ±${tol.toFixed(4)})`, async () => {
      assert.ok(tol < 0.1 * Math.abs(e), `tolerance ${tol} must be below 10% of ${e}`);
      await expectNoLeak(() => {
        let sum = 0;
        for (let draw = 0; draw < R; draw++) {
          const r = runNode(gaussianInit, { params: { ni, nh, no, scheme, alpha1: 0.5, alpha2: 1.5, sigma: 0.1, seed: draw }, seed: 2 });
          assert.ok(Math.abs((r.values('expected_lambda')[0] as number) - e) < 1e-12);
          sum += r.values('lambda_star')[0] as number;
          r.dispose();
        }
        assert.ok(Math.abs(sum / R - e) < tol, `${scheme}: mean λ* = ${sum / R}, expected ${e} ± ${tol}`);
      });
    });
  }

  it('should have Var B_jj = 2(no·σ2⁴ + ni·σ1⁴) and Var B_jk = no·σ2⁴ + ni·σ1⁴ (Thm 3.1.1 corrected: the print has 4 on the diagonal)', () => {
    // N draws; the tolerance is 4 standard errors of the sample variance, estimated from the
    // sample's own fourth moment, SE² = (m₄ − s⁴)/N (the entries are far from Gaussian, so the
    // Gaussian 2s⁴/N would be too small). At N = 20000 that is ≈ 6% of the variance, so a 10%
    // error in either variance fails.
    const ni = 3, nh = 2, no = 5, s1 = 0.7, s2 = 0.4, N = 20000;
    const d: number[] = [], o: number[] = [];
    for (let seed = 0; seed < N; seed++) {
      const w = runNode(gaussianInit, { params: { ni, nh, no, scheme: 'gaussian', sigma: 1, seed }, seed: 1 }).outputs.weights;
      // rescale the unit-variance draws per layer
      const B = balance({ W1: scale(w.W1, s1), W2: scale(w.W2, s2) });
      d.push(B.data[0]); o.push(B.data[1]);
    }
    const moments = (x: number[]) => {
      const m = x.reduce((a, b) => a + b, 0) / x.length;
      const v = x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1);
      const m4 = x.reduce((a, b) => a + (b - m) ** 4, 0) / x.length;
      return { v, se: Math.sqrt((m4 - v * v) / x.length) };
    };
    const base = no * s2 ** 4 + ni * s1 ** 4;
    for (const [name, x, expected] of [['diagonal', d, 2 * base], ['off-diagonal', o, base]] as const) {
      const { v, se } = moments(x);
      assert.ok(4 * se < 0.1 * expected, `${name}: 4 SE = ${4 * se} must be below 10% of ${expected}`);
      assert.ok(Math.abs(v - expected) < 4 * se, `${name} variance ${v} vs ${expected} (4 SE = ${4 * se})`);
    }
  });

  it('should reject an unknown scheme naming the choices', () => {
    assert.throws(() => runNode(gaussianInit, { params: { ni: 2, nh: 2, no: 2, scheme: 'xavier' } }), /scheme must be one of "lecun", "glorot", "he", "scaled", "gaussian"/);
  });
});
