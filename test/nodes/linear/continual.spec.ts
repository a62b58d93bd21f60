import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { frobNorm, sub } from '@eigenflow/linalg';
import { runNode } from '../../../src/testing.ts';
import { weights } from '../../../nodes/linear/linearInternals.ts';
import { riccatiExact } from '../../../nodes/linear/riccatiExact.ts';
import { trainSequence } from '../../../nodes/linear/trainSequence.ts';
import { taskSequence } from '../../../nodes/linear/taskSequence.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import { randomWeights } from './fixtures.ts';

describe('continual learning (linear.trainSequence, linear.riccatiExact with tasks)', () => {
  before(useWasm);
  const tasks = runNode(taskSequence, { params: { count: 3, ni: 3, no: 3, singularValues: [2, 1.2, 0.6] }, seed: 4 }).outputs.tasks;
  const w = randomWeights(3, 3, 3, 1.5, 0.3, 11);
  const init = weights('deep', w.W1, w.W2);
  const lr = 0.002, S = 2500; // t = 5 per task: converged to ~1e-6

  it('should track GD through the task sequence with the exact QQᵀ (λ-balance carries over)', async () => {
    await expectNoLeak(() => {
      const gd = runNode(trainSequence, { params: { lr, stepsPerTask: S }, inputs: { weights: init, tasks } });
      const ex = runNode(riccatiExact, { params: { lr, steps: S }, inputs: { weights: init, tasks } });
      const a = gd.values('task0_loss') as number[], b = ex.values('task0_loss') as number[];
      assert.equal(a.length, 3 * S + 1);
      assert.equal(b.length, a.length);
      const worst = Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(x, 1e-3)));
      assert.ok(worst < 0.02, `max relative gap ${worst}`);
      gd.dispose(); ex.dispose();
    });
  });

  it('should give the forgetting law F_i = ½(‖Σk − Σi‖² − ‖Σj − Σi‖²) after convergence, and the rate of loss', () => {
    const ex = runNode(riccatiExact, { params: { lr: 0.01, steps: 1000 }, inputs: { weights: init, tasks } });
    const f0 = ex.metrics.filter((m) => m.name === 'task0_forgetting');
    const last = (name: string) => ex.metrics.filter((m) => m.name === name).at(-1)!.value as number;
    const n2 = (i: number, j: number) => frobNorm(sub(tasks[i].syx, tasks[j].syx)) ** 2;
    // Forgetting of task 0 at the end of task 2, relative to the end of task 1:
    assert.ok(Math.abs(last('task0_forgetting') - 0.5 * (n2(2, 0) - n2(1, 0))) < 1e-6, `${last('task0_forgetting')} vs ${0.5 * (n2(2, 0) - n2(1, 0))}`);
    assert.ok(f0.length === 2000);
    // d/dt L_0 from the formula vs a finite difference of the streamed loss.
    const loss = ex.values('task0_loss') as number[], rate = ex.values('task0_loss_rate') as number[];
    for (const k of [1200, 1500, 2100]) {
      const fd = (loss[k + 1] - loss[k - 1]) / (2 * 0.01);
      assert.ok(Math.abs(fd - rate[k]) < 1e-3 * Math.max(1, Math.abs(rate[k])), `k=${k}: ${fd} vs ${rate[k]}`);
    }
  });
});
