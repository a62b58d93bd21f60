/**
 * The "Must show" list, reduced to what needs no training: the graph end to end at a tiny
 * size, and the effective-rank ordering of the residual targets at step 1. The trained
 * comparisons (2000 Adam steps per run, about 40 s) are mustShow.e2e.spec.ts.
 * The thresholds come from `eigenflow sweep` runs of this graph at these settings over seeds
 * (docs/cis.md, "Small-size checks"); the margins are several times the seed-to-seed spread.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { registerAllNodes } from '../../../nodes/index.ts';
import { run, SMALL } from './mustShowRun.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import * as tf from '@tensorflow/tfjs';


describe('CiS with a residual noise matrix: the must-show list (graphs/cis-noise.json, small)', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should run the graph end to end at a tiny size with loss, eval_loss and naive_loss', async () => {
    const before = tf.memory().numTensors;
    const get = await run({ n: 12, m: 6, p: 0.1, batch: 128, steps: 50, evalSamples: 2000, wn: 'lowRank', rank: 2, alpha: 1 });
    assert.ok(Number.isFinite(get('train', 'loss')));
    assert.ok(Math.abs(get('naive', 'naive_loss') - (6 / 12) * (0.1 / 6)) < 1e-15);
    assert.ok(get('eval', 'eval_loss') > 0);
    assert.ok(get('target', 'erank_pr') < get('target', 'relu_erank_pr'));
    assert.equal(tf.memory().numTensors, before, 'the run left tensors behind');
  });

  it('should order the effective rank of the residual target: relu(x) > relu(x) − Wn_asym x > relu(x) − Wn_sym x', async () => {
    await expectNoLeak(async () => {
      for (const seed of [0, 1, 2]) {
        const sets = { ...SMALL, steps: 1, evalSamples: 1 };
        const asym = await run({ ...sets, wn: 'asymmetric', sigma: 0.05 }, seed);
        const sym = await run({ ...sets, wn: 'symmetric', sigma: 0.05 }, seed);
        // Same seed, same data batch (the data node's stream does not depend on wn).
        assert.equal(asym('target', 'relu_erank_pr'), sym('target', 'relu_erank_pr'));
        const relu = asym('target', 'relu_erank_pr'), a = asym('target', 'erank_pr'), s = sym('target', 'erank_pr');
        assert.ok(relu > a + 0.5 && a > s + 0.5, `seed ${seed}: relu ${relu}, asym ${a}, sym ${s}`);
      }
    });
  });
});
