import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { loadGraph, runGraph, validateGraph, withOverrides, type MetricEvent } from '../../../src/index.ts';
import { registerAllNodes } from '../../../nodes/index.ts';
import { useWasm } from '../../helpers.ts';

const one = (events: MetricEvent[], node: string, name: string) => events.find((e) => e.node === node && e.name === name)?.value as number;

describe('linear graphs', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should validate every graphs/linear-*.json', () => {
    const files = readdirSync('graphs').filter((f) => f.startsWith('linear-') && f.endsWith('.json'));
    assert.ok(files.length >= 6);
    for (const f of files) validateGraph(loadGraph(`graphs/${f}`));
  });

  for (const name of ['linear-aligned', 'linear-unaligned']) {
    it(`should run ${name} with the fixed parameters and report analytic_deviation < 0.05 at lr = 0.01`, async () => {
      const spec = loadGraph(`graphs/${name}.json`);
      for (const p of ['lambda', 'lr', 'steps', 'ni', 'nh', 'no', 'seed']) assert.ok(p in spec.params, `graph param ${p}`);
      const r = await runGraph(withOverrides(spec, { steps: 100, ni: 4, nh: 3, no: 3, lambda: -2, seed: 1 }));
      assert.equal(r.status, 'completed', String(r.error ?? ''));
      const dev = one(r.events, 'deviation', 'analytic_deviation');
      assert.ok(dev >= 0 && dev < 0.05, `analytic_deviation = ${dev}`);
      assert.equal(r.events.filter((e) => e.node === 'train' && e.name === 'loss').length, 101);
    });
  }

  it('should fail validation when shapes cannot be λ-balanced', () => {
    const spec = withOverrides(loadGraph('graphs/linear-unaligned.json'), { nh: 6, no: 5, lambda: 1 });
    assert.throws(() => validateGraph(spec), /need nh ≤ no/);
  });
});
