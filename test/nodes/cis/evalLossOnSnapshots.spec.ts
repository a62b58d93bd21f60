/**
 * cis.evalLoss is a generator (one step per chunk of samples) so the final evaluation honours
 * Ctrl-C; wired to a trainer's snapshot stream it still evaluates every snapshot, each to its end
 * within that training step, from the same draws as a standalone evaluation.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { runNode } from '../../../src/testing.ts';
import { deriveRng } from '../../../src/rng.ts';
import { featureLossChunks } from '../../../nodes/cis/cisInternals.ts';
import { evalLoss } from '../../../nodes/cis/evalLoss.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import { cli, graphFile, readRun, tmp } from '../../faults/harness.ts';

describe('cis.evalLoss as a generator', () => {
  before(useWasm);

  it('should take one step per chunk and give the losses of the chunked draws', async () => {
    const n = 12, m = 5, data = { n, p: 0.2, lo: -1, hi: 1 };
    const model = { W1: tf.randomNormal([m, n], 0, 0.5, 'float32', 3) as tf.Tensor2D, W2: tf.randomNormal([n, m], 0, 0.5, 'float32', 4) as tf.Tensor2D, Wn: tf.randomNormal([n, n], 0, 0.5, 'float32', 5) as tf.Tensor2D };
    await expectNoLeak(() => {
      const stepped = runNode(evalLoss, { params: { samples: 2500, chunk: 1000 }, inputs: { model, data }, seed: 7 });
      assert.equal(stepped.steps, 3); // 1000, 1000, 500
      const it = featureLossChunks(model, data, deriveRng(7, 'cis.evalLoss'), 2500, 1000);
      let r = it.next();
      while (!r.done) r = it.next();
      assert.deepEqual(Array.from(stepped.values('feature_loss')[0] as number[]), Array.from(r.value));
      stepped.dispose();
    });
    Object.values(model).forEach((t) => t.dispose());
  });

  it('should evaluate every snapshot of a trainer when wired to its snapshot stream', async () => {
    const dir = tmp(), out = join(dir, 'out');
    const graph = graphFile({
      name: 'eval-on-snapshots',
      nodes: {
        data: { type: 'data.sparseFeatures', params: { n: 10, p: 0.1, batch: 64 } },
        wn: { type: 'wn.residual', params: { kind: 'identity', n: 10 } },
        model: { type: 'models.residualMLP', params: { m: 4 }, inputs: { wn: 'wn.out' } },
        optimizer: { type: 'optim.optimizer', params: { kind: 'adam', lr: 0.01 } },
        train: { type: 'optim.trainResidualMLP', params: { steps: 30, batch: 64, logEvery: 10, snapshotEvery: 10 }, inputs: { model: 'model.out', data: 'data.out', optimizer: 'optimizer.out' } },
        during: { type: 'cis.evalLoss', params: { samples: 500, chunk: 200 }, inputs: { model: 'train.snapshot', data: 'data.out' } },
        final: { type: 'cis.evalLoss', params: { samples: 500, chunk: 200 }, inputs: { model: 'train.model', data: 'data.out' } },
      },
    }, dir);
    const r = await cli(['run', graph, '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.err);
    const { lines } = readRun(out);
    const during = lines.filter((l) => l.node === 'during' && l.name === 'eval_loss');
    assert.deepEqual(during.map((l) => l.step), [10, 20, 30]);
    assert.ok(during.every((l) => Number.isFinite(l.value) && l.value > 0));
    const final = lines.filter((l) => l.node === 'final' && l.name === 'eval_loss');
    assert.equal(final.length, 1);
  });
});
