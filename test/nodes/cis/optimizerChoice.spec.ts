/**
 * graphs/cis-noise.json with the optimizer, schedule, weight decay, init and Wn diagonal chosen by
 * graph parameters (the `--set` names), at a tiny size.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadGraph, runGraph, withOverrides, type MetricEvent } from '../../../src/index.ts';
import { registerAllNodes } from '../../../nodes/index.ts';
import { useWasm } from '../../helpers.ts';

const graphPath = new URL('../../../graphs/cis-noise.json', import.meta.url).pathname;
const TINY = { n: 12, m: 6, p: 0.1, batch: 128, steps: 100, evalSamples: 2000 };

describe('cis-noise: the optimizer as a graph choice', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should run the public toy-CiS setting (adamw, wd 1e-2, cosine, noise on the diagonal) with the lr decaying to 0', async () => {
    const sets = { ...TINY, optimizer: 'adamw', weightDecay: 0.01, schedule: 'cosine', noiseDiagonal: 'keep', sigma: 0.1 };
    const r = await runGraph(withOverrides(loadGraph(graphPath), sets), { seed: 1, outDir: null });
    assert.equal(r.status, 'completed', String(r.error));
    const lr = r.events.filter((e: MetricEvent) => e.node === 'train' && e.name === 'lr').map((e) => e.value as number);
    assert.equal(lr.length, 10);
    // Cosine from 0.003 to 0 over 100 steps, logged every 10: lr(t) = 0.0015(1 + cos(πt/100)).
    lr.forEach((v, i) => assert.ok(Math.abs(v - 0.0015 * (1 + Math.cos((Math.PI * 10 * (i + 1)) / 100))) < 1e-12, `lr at step ${10 * (i + 1)}: ${v}`));
    const eval_ = r.events.find((e: MetricEvent) => e.node === 'eval' && e.name === 'eval_loss');
    assert.ok(eval_ && Number.isFinite(eval_.value as number));
  });

  it('should train differently with adamw than with adam from the same seed (the choice reaches the trainer)', async () => {
    const last = async (sets: Record<string, unknown>) => {
      const r = await runGraph(withOverrides(loadGraph(graphPath), { ...TINY, ...sets }), { seed: 1, outDir: null });
      assert.equal(r.status, 'completed', String(r.error));
      return r.events.filter((e: MetricEvent) => e.node === 'train' && e.name === 'loss').at(-1)!.value as number;
    };
    const adam = await last({}), adam2 = await last({}), adamw = await last({ optimizer: 'adamw', weightDecay: 0.5 });
    assert.equal(adam, adam2, 'same seed, same settings, same loss');
    assert.notEqual(adam, adamw);
  });

  it('should refuse an unknown optimizer or schedule naming the node and field', async () => {
    for (const [sets, re] of [[{ optimizer: 'rmsprop' }, /nodes\.optimizer\.params\.kind must be one of "adam", "adamw", "sgd"/], [{ schedule: 'step' }, /nodes\.optimizer\.params\.schedule must be one of/]] as const) {
      await assert.rejects(async () => runGraph(withOverrides(loadGraph(graphPath), { ...TINY, ...sets }), { seed: 1, outDir: null }), re);
    }
  });
});
