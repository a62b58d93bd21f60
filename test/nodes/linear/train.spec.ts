import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addScaled, relError, sub } from '@eigenflow/linalg';
import { runNode } from '../../../src/testing.ts';
import { linearFlow } from '../../../nodes/linear/flowInternals.ts';
import { gradientFlow } from '../../../nodes/linear/gradientFlow.ts';
import { networkFunction, weights, type LinearWeights } from '../../../nodes/linear/linearInternals.ts';
import { train } from '../../../nodes/linear/train.ts';
import { trainSequence } from '../../../nodes/linear/trainSequence.ts';
import { gaussianMatrix } from '../../../nodes/linear/initInternals.ts';
import { deriveRng } from '../../../src/rng.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import { randomWeights, task } from './fixtures.ts';

describe('linear.train', () => {
  before(useWasm);
  const t = task(3, 3, [2, 1, 0.5]);
  const w0 = (() => { const w = randomWeights(3, 3, 3, 0.5); return weights('deep', w.W1, w.W2); })();

  it('should approach the gradient flow as lr → 0 (error ∝ lr at fixed time)', async () => {
    await expectNoLeak(() => {
      const T = 2;
      const [flow] = linearFlow(w0.W1, w0.W2, t.syx, t.sxx, [T], { rtol: 1e-12, atol: 1e-15 });
      const errs = [0.01, 0.005].map((lr) => {
        const r = runNode(train, { params: { lr, steps: Math.round(T / lr) }, inputs: { weights: w0, task: t } });
        const e = relError(networkFunction(r.outputs.final), networkFunction(flow));
        r.dispose();
        return e;
      });
      assert.ok(errs[0] < 0.02 && Math.abs(errs[0] / errs[1] - 2) < 0.2, `${errs}`);
    });
  });

  it('should follow the shallow closed form W(t) = Σ + (W(0) − Σ)(1 − lr)^k exactly, and the exponential as lr → 0', () => {
    const lr = 0.01, k = 150;
    const r = runNode(train, { params: { lr, steps: k, model: 'shallow' }, inputs: { weights: w0, task: t } });
    const W0 = networkFunction(w0);
    assert.ok(relError(r.outputs.final.W2, addScaled(t.syx, sub(W0, t.syx), (1 - lr) ** k)) < 1e-12);
    assert.ok(relError(r.outputs.final.W2, addScaled(t.syx, sub(W0, t.syx), Math.exp(-lr * k))) < 1e-2);
  });

  it('should stream snapshots 0..steps and the loss of each', () => {
    const steps: number[] = [];
    const r = runNode(train, { params: { lr: 0.1, steps: 3 }, inputs: { weights: w0, task: t }, onStep: (s) => steps.push((s.out!.snapshot as LinearWeights).step) });
    assert.deepEqual(steps, [0, 1, 2, 3]);
    assert.equal(r.values('loss').length, 4);
    assert.ok((r.values('loss')[3] as number) < (r.values('loss')[0] as number));
  });

  it('should keep λ* of a ReLU net within GD error (drift ∝ lr at fixed time) but not of a Tanh net', () => {
    const rng = deriveRng(7, 'relu');
    const tk = task(4, 3, [2, 1, 0.5]);
    const W = weights('deep', gaussianMatrix(6, 4, 0.6, rng), gaussianMatrix(3, 6, 0.6, rng));
    const drift = (model: string, lr: number) => {
      const r = runNode(trainSequence, { params: { lr, stepsPerTask: Math.round(1 / lr), model }, inputs: { weights: W, tasks: [tk, task(4, 3, [1, 1, 1], 9)] } });
      const l = r.values('lambda_star') as number[];
      return Math.max(...l.map((x) => Math.abs(x - l[0])));
    };
    const relu = [0.02, 0.01].map((lr) => drift('relu', lr));
    assert.ok(relu[0] < 5e-3, `relu drift ${relu}`);
    assert.ok(Math.abs(relu[0] / relu[1] - 2) < 0.3, `relu drift should halve with lr: ${relu}`);
    const tanh = [0.02, 0.01].map((lr) => drift('tanh', lr));
    assert.ok(tanh[1] > 10 * relu[1], `tanh drift ${tanh} should not vanish with lr`);
  });

  it('should match the integrated flow node on the same axis', () => {
    const a = runNode(gradientFlow, { params: { lr: 0.01, steps: 50 }, inputs: { weights: w0, task: t } }).outputs.losses as number[];
    const b = runNode(train, { params: { lr: 0.001, steps: 500 }, inputs: { weights: w0, task: t } }).outputs.losses as number[];
    assert.ok(Math.abs(a[50] - b[500]) / a[50] < 0.01);
  });
});
