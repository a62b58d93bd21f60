import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { gaussianInit } from '../../../nodes/linear/gaussianInit.ts';
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

  it('should reject an unknown scheme naming the choices', () => {
    assert.throws(() => runNode(gaussianInit, { params: { ni: 2, nh: 2, no: 2, scheme: 'xavier' } }), /scheme must be one of "lecun", "glorot", "he", "scaled", "gaussian"/);
  });
});
