import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { adam } from '../../../nodes/optim/adam.ts';
import { sgd } from '../../../nodes/optim/sgd.ts';
import { trainResidualMLP } from '../../../nodes/optim/trainResidualMLP.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';

function model(n: number, m: number, scale = 0.3) {
  return { W1: tf.randomNormal([m, n], 0, scale, 'float32', 1) as tf.Tensor2D, W2: tf.randomNormal([n, m], 0, scale, 'float32', 2) as tf.Tensor2D, Wn: tf.eye(n) as tf.Tensor2D };
}

describe('optim.trainResidualMLP', () => {
  before(useWasm);

  it('should lower the loss, stream snapshots and return a model of the same shapes', async () => {
    const init = model(12, 6);
    await expectNoLeak(() => {
      const optimizer = runNode(adam, { params: { lr: 0.01 } }).outputs.out;
      let snaps = 0;
      const r = runNode(trainResidualMLP, {
        params: { steps: 300, batch: 256, logEvery: 10, snapshotEvery: 100 },
        inputs: { model: init, data: { n: 12, p: 0.2, lo: -1, hi: 1 }, optimizer },
        seed: 1,
        onStep: (s) => { const snap = (s.out as { snapshot?: { W1: tf.Tensor } } | undefined)?.snapshot; if (snap) { snaps++; assert.deepEqual(snap.W1.shape, [6, 12]); } },
      });
      const loss = r.values('loss') as number[];
      assert.equal(loss.length, 30);
      assert.ok(loss.at(-1)! < 0.6 * loss[0]!, `loss ${loss[0]} → ${loss.at(-1)}`);
      assert.equal(snaps, 3);
      assert.deepEqual(r.outputs.model.W2.shape, [12, 6]);
      r.dispose();
    });
    Object.values(init).forEach((t) => t.dispose());
  });

  it('should reproduce the same losses from the same seed, and differ with another', async () => {
    const init = model(8, 4);
    await expectNoLeak(() => {
      const optimizer = runNode(sgd, { params: { lr: 0.1, momentum: 0.5, schedule: 'cosine' } }).outputs.out;
      const go = (seed: number) => { const r = runNode(trainResidualMLP, { params: { steps: 50, batch: 64 }, inputs: { model: init, data: { n: 8, p: 0.3, lo: -1, hi: 1 }, optimizer }, seed }); const l = r.values('loss'); r.dispose(); return l; };
      assert.deepEqual(go(3), go(3));
      assert.notDeepEqual(go(3), go(4));
    });
    Object.values(init).forEach((t) => t.dispose());
  });

  it('should reject data whose n differs from the model', async () => {
    const init = model(8, 4);
    const optimizer = runNode(adam, { params: { lr: 0.01 } }).outputs.out;
    await expectNoLeak(() => assert.throws(() => runNode(trainResidualMLP, { params: { steps: 5 }, inputs: { model: init, data: { n: 9, p: 0.3, lo: -1, hi: 1 }, optimizer } }), /optim\.trainResidualMLP: data must have the model's n = 8 features but got n = 9/));
    Object.values(init).forEach((t) => t.dispose());
  });

  it('should give each member of a batched call the losses and model of a separate call with its seed and optimizer', async () => {
    const inits = [model(10, 4, 0.3), model(10, 4, 0.5), model(10, 4, 0.2)];
    await expectNoLeak(() => {
      const opts = [runNode(adam, { params: { lr: 0.01 } }).outputs.out, runNode(sgd, { params: { lr: 0.05, momentum: 0.5 } }).outputs.out, runNode(adam, { params: { lr: 0.003 } }).outputs.out];
      const data = [{ n: 10, p: 0.2, lo: -1, hi: 1 }, { n: 10, p: 0.3, lo: -1, hi: 1 }, { n: 10, p: 0.2, lo: -0.5, hi: 1 }];
      const params = { steps: 40, batch: 64, logEvery: 5, snapshotEvery: 0 };
      const stacked = tf.tidy(() => ({ W1: tf.stack(inits.map((i) => i.W1)), W2: tf.stack(inits.map((i) => i.W2)), Wn: tf.stack(inits.map((i) => i.Wn)) }));
      const members = [{ seed: 4 }, { seed: 5 }, { seed: 6 }];
      const batched = runNode(trainResidualMLP, { params, members, inputs: { model: stacked, data, optimizer: opts } });
      members.forEach(({ seed }, k) => {
        const alone = runNode(trainResidualMLP, { params, seed, inputs: { model: inits[k]!, data: data[k], optimizer: opts[k] } });
        const mine = batched.metrics.filter((e) => e.member === k);
        assert.deepEqual(mine.map((e) => [e.name, e.step]), alone.metrics.map((e) => [e.name, e.step]));
        expectArraysClose(mine.map((e) => e.value as number), alone.metrics.map((e) => e.value as number), 1e-8, 1e-5);
        const w1 = tf.tidy(() => batched.outputs.model.W1.slice([k], [1]).reshape([4, 10]));
        expectArraysClose(w1, alone.outputs.model.W1, 1e-6, 1e-5);
        w1.dispose();
        alone.dispose();
      });
      batched.dispose();
      Object.values(stacked).forEach((t) => t.dispose());
    });
    inits.forEach((i) => Object.values(i).forEach((t) => t.dispose()));
  });
});
