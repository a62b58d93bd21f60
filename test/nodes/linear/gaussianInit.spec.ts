import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { gaussianInit } from '../../../nodes/linear/gaussianInit.ts';
import { balance } from '../../../nodes/linear/linearInternals.ts';
import { scale } from '../../../src/linalg/ops.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';

describe('linear.gaussianInit', () => {
  before(useWasm);

  // Thesis Table 3.1 with ni = 40, nh = 200, no = 80: E[B] = (no·σ2² − ni·σ1²)I.
  const expected: Record<string, number> = {
    lecun: 80 / 200 - 1,
    glorot: 2 * (80 / 280 - 40 / 240),
    he: 2 * (80 / 200 - 1),
    scaled: (80 / 200) * 1.5 ** 2 - 0.5 ** 2,
    gaussian: (80 - 40) * 0.01,
  };
  for (const [scheme, e] of Object.entries(expected)) {
    it(`should give λ* ≈ E[B]/I = ${e.toFixed(3)} for ${scheme} at width 200`, async () => {
      await expectNoLeak(() => {
        const r = runNode(gaussianInit, { params: { ni: 40, nh: 200, no: 80, scheme, alpha1: 0.5, alpha2: 1.5, sigma: 0.1 }, seed: 2 });
        const lam = r.values('lambda_star')[0] as number;
        assert.ok(Math.abs((r.values('expected_lambda')[0] as number) - e) < 1e-12);
        // Var of a diagonal entry ≈ 2(no σ2⁴ + ni σ1⁴)·... ; the mean over 200 entries is within a few 0.01.
        assert.ok(Math.abs(lam - e) < 0.05, `${scheme}: λ* = ${lam}, expected ${e}`);
        r.dispose();
      });
    });
  }

  it('should have Var B_jj = 2(no·σ2⁴ + ni·σ1⁴) and Var B_jk = no·σ2⁴ + ni·σ1⁴ (Thm 3.1.1 corrected: the print has 4 on the diagonal)', () => {
    const ni = 3, nh = 2, no = 5, s1 = 0.7, s2 = 0.4, N = 3000;
    const d: number[] = [], o: number[] = [];
    for (let seed = 0; seed < N; seed++) {
      const w = runNode(gaussianInit, { params: { ni, nh, no, scheme: 'gaussian', sigma: 1, seed }, seed: 1 }).outputs.weights;
      // rescale the unit-variance draws per layer
      const B = balance({ W1: scale(w.W1, s1), W2: scale(w.W2, s2) });
      d.push(B.data[0]); o.push(B.data[1]);
    }
    const variance = (x: number[]) => { const m = x.reduce((a, b) => a + b, 0) / x.length; return x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1); };
    const base = no * s2 ** 4 + ni * s1 ** 4;
    assert.ok(Math.abs(variance(d) / (2 * base) - 1) < 0.1, `diag variance ${variance(d)} vs ${2 * base}`);
    assert.ok(Math.abs(variance(o) / base - 1) < 0.1, `off-diagonal variance ${variance(o)} vs ${base}`);
  });

  it('should reject an unknown scheme naming the choices', () => {
    assert.throws(() => runNode(gaussianInit, { params: { ni: 2, nh: 2, no: 2, scheme: 'xavier' } }), /scheme must be one of "lecun", "glorot", "he", "scaled", "gaussian"/);
  });
});
