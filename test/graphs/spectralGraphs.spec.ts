import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadGraph, withOverrides, runGraph, type MetricEvent } from '../../src/index.ts';
import { registerAllNodes } from '../../nodes/index.ts';
import { useWasm } from '../helpers.ts';

const series = (events: MetricEvent[], node: string, name: string) =>
  events.filter((e) => e.node === node && e.name === name).map((e) => ({ step: e.step!, value: e.value as number }));

describe('graphs/lowrank-nonlinearity.json (seed 002)', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should keep erank_pr of φ(XYᵀ)/n flat in n while the dense baseline grows ∝ n', async () => {
    for (const phi of ['tanh', 'relu', 'exp']) {
      const spec = withOverrides(loadGraph('graphs/lowrank-nonlinearity.json'), { n: [64, 128, 256], phi });
      const before = tf.memory().numTensors;
      const r = await runGraph(spec, { seed: 1, outDir: null });
      assert.equal(r.status, 'completed', String(r.error));
      assert.equal(tf.memory().numTensors, before);
      const low = series(r.events, 'spectrum', 'erank_pr'), dense = series(r.events, 'dense_spectrum', 'erank_pr');
      assert.deepEqual(low.map((e) => e.step), [64, 128, 256]);
      assert.ok(low[2].value < 1.25 * low[0].value + 0.25, `${phi}: ${low.map((e) => e.value)}`);
      const growth = dense[2].value / dense[0].value;
      assert.ok(growth > 3.6 && growth < 4.4, `dense grows ×${growth} for n ×4`);
    }
  });
});

describe('graphs/htsr-alphareq.json (seed 004)', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should satisfy κ(Y) ≤ κ(X)κ(W) and the endpoint-exponent bound on every sample and snapshot', async () => {
    const spec = withOverrides(loadGraph('graphs/htsr-alphareq.json'), { samples: 12, n: 96, d: 24, m: 12, steps: 100, width: 64, outputs: 16 });
    const r = await runGraph(spec, { seed: 2, outDir: null });
    assert.equal(r.status, 'completed', String(r.error));
    for (const node of ['bound', 'layer1', 'layer2']) {
      const k = series(r.events, node, 'kappa_ok'), e = series(r.events, node, 'ok_end');
      assert.ok(k.length >= 4, `${node}: ${k.length} samples`);
      assert.ok(k.every((x) => x.value === 1), `${node}: κ bound fails at steps ${k.filter((x) => x.value !== 1).map((x) => x.step)}`);
      assert.ok(e.every((x) => x.value === 1), `${node}: α bound fails at steps ${e.filter((x) => x.value !== 1).map((x) => x.step)}`);
    }
    // probes attached every 25 steps ran on steps 25, 50, 75, 100 only
    assert.deepEqual(series(r.events, 'htsr_w1', 'alpha').map((e) => e.step), [25, 50, 75, 100]);
    const loss = series(r.events, 'train', 'loss');
    assert.ok(loss[loss.length - 1].value < loss[0].value);
  });
});
