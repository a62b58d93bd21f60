import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { alignedLambda, alignedSigmoid, alignedThesisForm, largeLambda, shallowExp } from '../../../nodes/linear/alignedInternals.ts';
import { alignedExact } from '../../../nodes/linear/alignedExact.ts';
import { balancedInit } from '../../../nodes/linear/balancedInit.ts';
import { linearFlow } from '../../../nodes/linear/flowInternals.ts';
import { networkFunction, weights } from '../../../nodes/linear/linearInternals.ts';
import { lossDeviation } from '../../../nodes/linear/lossDeviation.ts';
import { train } from '../../../nodes/linear/train.ts';
import { whitenedTask } from '../../../nodes/linear/whitenedTask.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import { alignedWeights, task, taskModes } from './fixtures.ts';

const s = [2, 1, 0.4];
const times = [0, 0.3, 1, 3, 12];

/** a_α(t) of the numerically integrated flow from an aligned λ-balanced start. */
function flowModes(lambda: number, a0: number): number[][] {
  const t = task(3, 3, s);
  const w = alignedWeights(t, 3, lambda, a0);
  return linearFlow(w.W1, w.W2, t.syx, t.sxx, times, { rtol: 1e-12, atol: 1e-15 }).map((x) => taskModes(t, networkFunction(x)));
}

describe('linear.alignedExact', () => {
  before(useWasm);

  for (const lambda of [2.5, -2.5, 1e-7, -1e-7]) {
    it(`should match the integrated flow mode by mode for λ = ${lambda} (stable and corrected thesis forms)`, () => {
      const flow = flowModes(lambda, 0.05);
      times.forEach((t, k) => s.forEach((sa, a) => {
        assert.ok(Math.abs(alignedLambda(sa, lambda, 0.05, t) - flow[k][a]) < 1e-8, `stable form t=${t} mode ${a}`);
        assert.ok(Math.abs(alignedThesisForm(sa, lambda, 0.05, t) - flow[k][a]) < 1e-6, `thesis form t=${t} mode ${a}`);
      }));
    });
  }

  it('should match the flow with the λ = 0 sigmoid, and the λ form should tend to it as λ → 0', () => {
    const flow = flowModes(0, 0.05);
    times.forEach((t, k) => s.forEach((sa, a) => {
      assert.ok(Math.abs(alignedSigmoid(sa, 0.05, t) - flow[k][a]) < 1e-8);
      assert.ok(Math.abs(alignedLambda(sa, 1e-9, 0.05, t) - flow[k][a]) < 1e-8);
    }));
  });

  it('should stay finite and converge to s at huge t and |λ| (no overflow)', () => {
    for (const lambda of [1e4, -1e4, 0, 3]) for (const t of [1e3, 1e8]) {
      const a = alignedLambda(1.5, lambda, 0.01, t);
      assert.ok(Math.abs(a - 1.5) < 1e-9, `λ=${lambda} t=${t}: ${a}`);
    }
  });

  it('should reproduce the shallow exponential at large |λ|, with error shrinking like 1/λ²', () => {
    const err = (lambda: number) => Math.max(...[0.001, 0.01, 0.05, 0.2].map((u) =>
      Math.abs(alignedLambda(1.5, lambda, 0.2, u) - shallowExp(1.5, 0.2, Math.abs(lambda) * u))));
    for (const lambda of [50, -50]) assert.ok(err(lambda) < 2e-3, `λ=${lambda}: ${err(lambda)}`);
    assert.ok(err(500) < err(50) / 50);
    assert.equal(largeLambda(1.5, -50, 0.2, 0.01), shallowExp(1.5, 0.2, 0.5));
  });

  it('should stream a loss that GD follows with mean relative deviation < 0.05 for lr ≤ 0.01 (λ = 3, thesis Fig. 3.4)', async () => {
    await expectNoLeak(() => {
      // As in the thesis the targets carry noise (a loss floor); without it the relative deviation
      // of a loss decaying to 0 grows like k·lr² in the tail (see docs/linear.md).
      const dev = (lr: number, n: number) => {
        const tk = runNode(whitenedTask, { params: { ni: n, no: n, noise: 1 }, seed: 5 }).outputs.task;
        const init = runNode(balancedInit, { params: { ni: n, nh: n, no: n, lambda: 3, aligned: true, scale: 0.05 }, inputs: { task: tk }, seed: 5 }).outputs.weights;
        const emp = runNode(train, { params: { lr, steps: 200 }, inputs: { weights: init, task: tk } }).outputs.losses;
        const an = runNode(alignedExact, { params: { lr, steps: 200 }, inputs: { weights: init, task: tk } }).outputs.losses;
        return runNode(lossDeviation, { inputs: { empirical: emp, analytic: an } }).values('analytic_deviation')[0] as number;
      };
      for (const n of [3, 6]) {
        const d = [0.0001, 0.001, 0.01].map((lr) => dev(lr, n));
        assert.ok(d.every((x) => x < 0.05), `n=${n}: ${d}`);
        assert.ok(d[0] < d[1] && d[1] < d[2], `deviation should grow with lr: ${d}`);
      }
    });
  });

  it('should stream each solution on the GD axis: shallow ≈ shallow GD, sigmoid = lambda at λ = 0, largeLambda ≈ lambda at λ = 80', () => {
    const tk = runNode(whitenedTask, { params: { ni: 3, no: 3, singularValues: [2, 1, 0.5] }, seed: 2 }).outputs.task;
    const init = (lambda: number) => runNode(balancedInit, { params: { ni: 3, nh: 3, no: 3, lambda, aligned: true, scale: 0.1 }, inputs: { task: tk } }).outputs.weights;
    const curve = (solution: string, lambda: number, lr = 0.001, steps = 2000) =>
      runNode(alignedExact, { params: { lr, steps, solution }, inputs: { weights: init(lambda), task: tk } }).outputs.losses as number[];
    const gdShallow = runNode(train, { params: { lr: 0.001, steps: 2000, model: 'shallow' }, inputs: { weights: init(0), task: tk } }).outputs.losses as number[];
    const gap = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]) / b[i]));
    assert.ok(gap(curve('shallow', 0), gdShallow) < 5e-3);
    assert.ok(gap(curve('sigmoid', 0), curve('lambda', 0)) < 1e-12);
    assert.ok(gap(curve('largeLambda', 80, 1e-4, 500), curve('lambda', 80, 1e-4, 500)) < 0.02);
  });

  it('should reject a task with Σxx ≠ I', () => {
    const t = task(3, 3, s);
    const bad = { ...t, sxx: { ...t.sxx, data: t.sxx.data.map((x) => 2 * x) } };
    const w = alignedWeights(t, 3, 1, 0.1);
    assert.throws(() => runNode(alignedExact, { params: { lr: 0.1, steps: 2 }, inputs: { weights: weights('deep', w.W1, w.W2), task: bad } }), /whitened inputs/);
  });
});
