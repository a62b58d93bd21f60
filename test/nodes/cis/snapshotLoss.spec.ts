/**
 * cis.snapshotLoss is cis.evalLoss in one call, so that it can follow a trainer's snapshot
 * stream: the same per-feature losses from the same random draws, and one evaluation per snapshot
 * when lifted in a graph.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { runNode } from '../../../src/testing.ts';
import { deriveRng } from '../../../src/rng.ts';
import { featureLossChunks } from '../../../nodes/cis/cisInternals.ts';
import { evalLoss } from '../../../nodes/cis/evalLoss.ts';
import { snapshotLoss } from '../../../nodes/cis/snapshotLoss.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';
import { cli, graphFile, readRun, tmp } from '../../faults/harness.ts';

describe('cis.snapshotLoss', () => {
  before(useWasm);

  it('should give the per-feature losses of cis.evalLoss (chunk by chunk, same draws) in one call', async () => {
    const n = 12, m = 5, data = { n, p: 0.2, lo: -1, hi: 1 };
    const model = { W1: tf.randomNormal([m, n], 0, 0.5, 'float32', 3) as tf.Tensor2D, W2: tf.randomNormal([n, m], 0, 0.5, 'float32', 4) as tf.Tensor2D, Wn: tf.randomNormal([n, n], 0, 0.5, 'float32', 5) as tf.Tensor2D };
    await expectNoLeak(() => {
      const params = { samples: 2500, chunk: 1000 };
      const one = runNode(snapshotLoss, { params, inputs: { model, data }, seed: 7 });
      const stepped = runNode(evalLoss, { params, inputs: { model, data }, seed: 7 });
      assert.equal(one.steps, 0);
      assert.equal(stepped.steps, 3); // one step per chunk: 1000, 1000, 500
      // Each node draws from its own stream (seed, node type); replay both with the stepping generator.
      const drain = (type: string) => {
        const it = featureLossChunks(model, data, deriveRng(7, type), 2500, 1000);
        for (let r = it.next(); ; r = it.next()) if (r.done) return r.value;
      };
      const feature = (r: typeof one) => r.metrics.find((e) => e.name === 'feature_loss')!.value as number[];
      assert.deepEqual(Array.from(feature(one)), Array.from(drain('cis.snapshotLoss')));
      assert.deepEqual(Array.from(feature(stepped)), Array.from(drain('cis.evalLoss')));
    });
    Object.values(model).forEach((t) => t.dispose());
  });

  it('should evaluate every snapshot of a trainer when wired to its snapshot stream', async () => {
    const dir = tmp(), out = join(dir, 'out');
    const graph = graphFile({
      name: 'snapshot-loss',
      nodes: {
        data: { type: 'data.sparseFeatures', params: { n: 10, p: 0.1, batch: 64 } },
        wn: { type: 'wn.residual', params: { kind: 'identity', n: 10 } },
        model: { type: 'models.residualMLP', params: { m: 4 }, inputs: { wn: 'wn.out' } },
        optimizer: { type: 'optim.optimizer', params: { kind: 'adam', lr: 0.01 } },
        train: { type: 'optim.trainResidualMLP', params: { steps: 30, batch: 64, logEvery: 10, snapshotEvery: 10 }, inputs: { model: 'model.out', data: 'data.out', optimizer: 'optimizer.out' } },
        during: { type: 'cis.snapshotLoss', params: { samples: 500 }, inputs: { model: 'train.snapshot', data: 'data.out' } },
      },
    }, dir);
    const r = await cli(['run', graph, '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.err);
    const { lines } = readRun(out);
    const losses = lines.filter((l) => l.node === 'during' && l.name === 'eval_loss');
    assert.deepEqual(losses.map((l) => l.step), [10, 20, 30]);
    assert.ok(losses.every((l) => Number.isFinite(l.value) && l.value > 0));
  });
});
