import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSinks, loadGraph, withOverrides, runGraph } from '../../src/index.ts';
import { registerAllNodes } from '../../nodes/index.ts';
import { useWasm } from '../helpers.ts';
import { mlpCheckpointBytes } from '../fixtures/mlpCheckpoint.ts';

describe('graphs/weights-report.json', () => {
  let dir = '';
  before(async () => { await useWasm(); registerAllNodes(); dir = mkdtempSync(join(tmpdir(), 'eigenflow-wr-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should write layers.csv, layers.json and one ESD figure per weight of a 3-layer MLP checkpoint', async () => {
    const path = join(dir, 'mlp.safetensors');
    writeFileSync(path, mlpCheckpointBytes());
    const out = join(dir, 'run');
    const spec = withOverrides(loadGraph('graphs/weights-report.json'), { path });
    const r = await runGraph(spec, { seed: 1, outDir: out, sinks: defaultSinks(out, spec) });
    assert.equal(r.status, 'completed', String(r.error));
    const rows = JSON.parse(readFileSync(join(out, 'layers.json'), 'utf8')) as { name: string; shape: string; alpha: number; num_spikes: number; warning: string }[];
    assert.deepEqual(rows.map((x) => [x.name, x.shape]), [['fc1.weight', '256x784'], ['fc2.weight', '128x256'], ['fc3.weight', '10x128']]);
    for (const name of ['fc1.weight', 'fc2.weight', 'fc3.weight']) assert.ok(existsSync(join(out, 'esd', `${name}.svg`)), name);
    assert.equal(readFileSync(join(out, 'layers.csv'), 'utf8').trim().split('\n').length, 4);
    // the Gaussian layer has no spikes above its MP bulk; the two planted rank-one spikes of fc3 are found
    assert.equal(rows[0].num_spikes, 0);
    assert.equal(rows[2].num_spikes, 2);
  });

  it('should refuse a missing file at validation, naming the node and field, and write nothing', async () => {
    const out = join(dir, 'failed-run');
    await assert.rejects(async () => runGraph(withOverrides(loadGraph('graphs/weights-report.json'), { path: join(dir, 'missing.safetensors') }), { seed: 1, outDir: out }),
      /nodes\.ckpt\.params: path: no such file \(file .*missing\.safetensors\)/);
    assert.ok(!existsSync(out));
  });
});

describe('graphs/weights-live.json', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should report α per layer and α-ReQ of the features every k steps of training', async () => {
    const spec = withOverrides(loadGraph('graphs/weights-live.json'), { steps: 40, every: 20, n: 128, d: 32, width: 64, outputs: 16 });
    const r = await runGraph(spec, { seed: 3, outDir: null });
    assert.equal(r.status, 'completed', String(r.error));
    const steps = (node: string, name: string) => r.events.filter((e) => e.node === node && e.name === name).map((e) => e.step);
    for (const node of ['w1', 'w2']) {
      assert.deepEqual(steps(node, 'alpha'), [20, 40], node);
      assert.deepEqual(steps(node, 'mp_softrank'), [20, 40], node);
    }
    assert.deepEqual(steps('req_hidden', 'alpha'), [20, 40]);
    assert.ok(r.events.filter((e) => e.node === 'w1' && e.name === 'alpha').every((e) => Number.isFinite(e.value as number)));
  });
});
