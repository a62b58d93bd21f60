import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identity, matmul, transpose, frobNorm, relError, scale, sub } from '@eigenflow/linalg';
import { runNode } from '../../../src/testing.ts';
import { balance } from '../../../nodes/linear/balance.ts';
import { linearFlow } from '../../../nodes/linear/flowInternals.ts';
import { gdStep, gradients, lambdaStar, weights as makeWeights } from '../../../nodes/linear/linearInternals.ts';
import { gaussianMatrix } from '../../../nodes/linear/initInternals.ts';
import { deriveRng } from '../../../src/rng.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import { randomWeights, task } from './fixtures.ts';
import { before } from 'node:test';

const deep = (w: ReturnType<typeof randomWeights>) => makeWeights('deep', w.W1, w.W2);

describe('linear.balance', () => {
  before(useWasm);
  const t = task(4, 3, [2, 1, 0.5]);

  it('should find B conserved by the gradient flow for λ > 0, λ < 0 and unbalanced starts', () => {
    const rng = deriveRng(9, 'g');
    const unbalanced = { W1: gaussianMatrix(3, 4, 0.5, rng), W2: gaussianMatrix(3, 3, 0.5, rng) };
    for (const w of [randomWeights(4, 3, 3, 1.5), randomWeights(4, 3, 3, -2), unbalanced]) {
      const [end] = linearFlow(w.W1, w.W2, t.syx, t.sxx, [5], { rtol: 1e-12, atol: 1e-14 });
      assert.ok(relError(lambdaStar(end).B, lambdaStar(w).B) < 1e-9);
    }
  });

  it('should drift under GD by exactly η²(g2ᵀg2 − g1g1ᵀ) per step, i.e. O(lr²)', () => {
    const w = deep(randomWeights(4, 3, 3, 0.7));
    const drifts = [0.02, 0.01, 0.005].map((lr) => {
      const next = gdStep(w, t, lr);
      const drift = sub(lambdaStar(next).B, lambdaStar(w).B);
      const { g1, g2 } = gradients(w, t);
      const law = scale(sub(matmul(transpose(g2), g2), matmul(g1, transpose(g1))), lr * lr);
      assert.ok(relError(drift, law) < 1e-6);
      return frobNorm(drift);
    });
    assert.ok(Math.abs(drifts[0] / drifts[1] - 4) < 1e-6 && Math.abs(drifts[1] / drifts[2] - 4) < 1e-6);
  });

  it('should emit λ* = Tr(B)/nh, the distance to λ*I and the drift from the start', async () => {
    await expectNoLeak(() => {
      const w = deep(randomWeights(4, 3, 3, -1.25));
      const moved = gdStep(w, t, 0.1);
      const r = runNode(balance, { inputs: { weights: moved, init: w } });
      const B = matmul(transpose(moved.W2), moved.W2);
      const B2 = sub(B, matmul(moved.W1, transpose(moved.W1)));
      const lam = (B2.data[0] + B2.data[4] + B2.data[8]) / 3;
      assert.ok(Math.abs((r.values('lambda_star')[0] as number) - lam) < 1e-12);
      assert.ok(Math.abs((r.values('balance_distance')[0] as number) - frobNorm(sub(B2, scale(identity(3), lam)))) < 1e-12);
      assert.ok(Math.abs((r.values('lambda_drift')[0] as number) - Math.abs(lam + 1.25)) < 1e-12);
      r.dispose();
    });
  });
});
