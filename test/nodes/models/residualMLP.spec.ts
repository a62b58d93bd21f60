import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { residualMLP } from '../../../nodes/models/residualMLP.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';

describe('models.residualMLP', () => {
  before(useWasm);

  it('should draw Xavier-normal W1 (m × n) and W2 (n × m): mean 0, std √(2/(n+m)), and pass Wn through', async () => {
    const wn = tf.eye(200);
    await expectNoLeak(() => {
      const r = runNode(residualMLP, { params: { m: 100 }, inputs: { wn }, seed: 1 });
      const { W1, W2, Wn } = r.outputs.out;
      assert.deepEqual(W1.shape, [100, 200]);
      assert.deepEqual(W2.shape, [200, 100]);
      const std = Math.sqrt(2 / 300);
      for (const w of [W1, W2]) {
        const d = w.dataSync(); let s = 0, s2 = 0;
        for (const x of d) { s += x; s2 += x * x; }
        assert.ok(Math.abs(s / d.length) < 5 * std / Math.sqrt(d.length));
        assert.ok(Math.abs(Math.sqrt(s2 / d.length) / std - 1) < 0.02);
      }
      expectArraysClose(Wn, wn.dataSync());
      assert.notDeepEqual(Array.from(W1.dataSync().slice(0, 5)), Array.from(W2.dataSync().slice(0, 5)));
      r.dispose();
    });
    wn.dispose();
  });

  it('should reject a non-square Wn', async () => {
    const wn = tf.zeros([3, 4]);
    await expectNoLeak(() => assert.throws(() => runNode(residualMLP, { params: { m: 2 }, inputs: { wn } }), /models\.residualMLP: wn must be square but got 3 × 4/));
    wn.dispose();
  });
});
