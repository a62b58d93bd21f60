import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identity, svd, relError } from '@eigenflow/linalg';
import { runNode } from '../../../src/testing.ts';
import { semanticTask } from '../../../nodes/linear/semanticTask.ts';
import { taskSequence } from '../../../nodes/linear/taskSequence.ts';
import { whitenedTask } from '../../../nodes/linear/whitenedTask.ts';
import { correlationLoss, linearLoss } from '../../../nodes/linear/linearInternals.ts';
import { useWasm } from '../../helpers.ts';

describe('linear tasks (whitenedTask, semanticTask, taskSequence)', () => {
  before(useWasm);

  it('should whiten the inputs exactly and give Σyx the chosen singular values', () => {
    const t = runNode(whitenedTask, { params: { ni: 5, no: 3, singularValues: [3, 1, 0.25] }, seed: 1 }).outputs.task;
    assert.ok(relError(t.sxx, identity(5)) < 1e-13);
    assert.ok(Array.from(svd(t.syx).s).every((x, i) => Math.abs(x - [3, 1, 0.25][i]) < 1e-12));
  });

  it('should add noise orthogonal to the inputs: Σyx unchanged, loss floor > 0 at W = Σyx', () => {
    const t = runNode(whitenedTask, { params: { ni: 4, no: 2, singularValues: [2, 1], noise: 0.5 }, seed: 1 }).outputs.task;
    assert.equal(t.X.cols, 8);
    assert.ok(Array.from(svd(t.syx).s).every((x, i) => Math.abs(x - [2, 1][i]) < 1e-12));
    const floor = linearLoss(t.syx, t);
    assert.ok(floor > 0.05 && Math.abs(floor - correlationLoss(t.syx, t)) < 1e-12);
  });

  it('should reject more singular values than min(ni, no) and too few samples', () => {
    assert.throws(() => runNode(whitenedTask, { params: { ni: 2, no: 3, singularValues: [1, 1, 1] } }), /singularValues has 3 values but min\(ni, no\) = 2/);
    assert.throws(() => runNode(whitenedTask, { params: { ni: 4, no: 3, samples: 3 } }), /samples must be ≥ ni/);
  });

  it('should build the Saxe hierarchy: Σxx = I and singular values √(15/8), √(7/8), √(3/8)×2, √(1/8)×4', () => {
    const t = runNode(semanticTask, {}).outputs.task;
    assert.deepEqual([t.syx.rows, t.syx.cols, t.X.cols], [15, 8, 8]);
    assert.ok(relError(t.sxx, identity(8)) < 1e-14);
    const want = [15, 7, 3, 3, 1, 1, 1, 1].map((x) => Math.sqrt(x / 8));
    Array.from(svd(t.syx).s).forEach((x, i) => assert.ok(Math.abs(x - want[i]) < 1e-12, `σ${i} = ${x}`));
    // Item 0 (canary) has 4 features: living thing, animal, bird, canary.
    let count = 0;
    for (let f = 0; f < 15; f++) count += t.Y.data[f * 8];
    assert.equal(count, 4);
  });

  it('should make a sequence of distinct tasks on shared inputs', () => {
    const r = runNode(taskSequence, { params: { count: 3, ni: 3, no: 3, singularValues: [2, 1, 0.5] }, seed: 2 });
    const ts = r.outputs.tasks;
    assert.equal(ts.length, 3);
    assert.equal(ts[1].X, ts[0].X);
    assert.ok(relError(ts[0].syx, ts[1].syx) > 0.1);
    assert.equal(r.outputs.task, ts[0]);
  });
});
