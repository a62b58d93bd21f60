import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identity, matmul, transpose, svd, diag, relError, scale, sub } from '@eigenflow/linalg';
import { resolveParams } from '../../../src/graph/params.ts';
import { runNode } from '../../../src/testing.ts';
import { balancedInit } from '../../../nodes/linear/balancedInit.ts';
import { balance, networkFunction } from '../../../nodes/linear/linearInternals.ts';
import { riccatiSolution } from '../../../nodes/linear/riccatiInternals.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import { task } from './fixtures.ts';

describe('linear.balancedInit', () => {
  before(useWasm);

  const shapes: [number, number, number, number][] = [
    [4, 4, 4, 2], [4, 4, 4, -2], [5, 3, 4, 0.7], [5, 4, 3, -0.7], [3, 5, 4, 0], [2, 3, 4, 1.5], [4, 3, 2, -1.5],
  ];
  for (const [ni, nh, no, lambda] of shapes) {
    it(`should make W2ᵀW2 − W1W1ᵀ = λI exactly (ni=${ni}, nh=${nh}, no=${no}, λ=${lambda})`, async () => {
      await expectNoLeak(() => {
        const r = runNode(balancedInit, { params: { ni, nh, no, lambda, scale: 0.4 }, seed: 3 });
        const w = r.outputs.weights;
        assert.deepEqual([w.W1.rows, w.W1.cols, w.W2.rows, w.W2.cols], [nh, ni, no, nh]);
        const dev = sub(balance(w), scale(identity(nh), lambda));
        assert.ok(Math.max(...dev.data.map(Math.abs)) < 1e-12 * Math.max(1, Math.abs(lambda)));
        r.dispose();
      });
    });
  }

  it('should refuse shapes that cannot be λ-balanced, saying why', () => {
    const err = (p: Record<string, unknown>) => resolveParams(balancedInit, p, 'init').errors.join('\n');
    assert.match(err({ ni: 4, nh: 5, no: 4, lambda: 1 }), /λ = 1 > 0 need nh ≤ no .* got nh=5, no=4/);
    assert.match(err({ ni: 4, nh: 5, no: 6, lambda: -1 }), /λ = -1 < 0 need nh ≤ ni .* got nh=5, ni=4/);
    assert.equal(err({ ni: 2, nh: 5, no: 3, lambda: 0 }), '');
  });

  it('should align W2W1 to the task singular vectors with singular values = scale', () => {
    const t = task(4, 3, [2, 1, 0.5]);
    const w = runNode(balancedInit, { params: { ni: 4, nh: 3, no: 3, lambda: -0.8, aligned: true, scale: 0.25 }, inputs: { task: t } }).outputs.weights;
    const { U, V } = svd(t.syx, { vectors: true });
    const proj = matmul(matmul(transpose(U!), networkFunction(w)), V!);
    assert.ok(relError(proj, diag([0.25, 0.25, 0.25])) < 1e-12);
    assert.throws(() => runNode(balancedInit, { params: { ni: 4, nh: 3, no: 3, lambda: 1, aligned: true } }), /aligned=true needs the task/);
  });

  it('should avoid starts with no component along a growing mode of the task (λ = 0, odd n)', () => {
    const t = task(3, 3, [2, 1, 0.5]);
    for (let seed = 0; seed < 6; seed++) {
      const w = runNode(balancedInit, { params: { ni: 3, nh: 3, no: 3, lambda: 0, scale: 0.3 }, inputs: { task: t }, seed }).outputs.weights;
      assert.equal(riccatiSolution(t.syx, w.W1, w.W2, 0).dormant, 0);
    }
  });
});
