import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gridPoints } from '../../src/sweep/grid.ts';
import { samplePoints } from '../../src/sweep/sampling.ts';
import { checkPointCount, parseDist, parseDists, parseGrid, parseSeeds, parseSummaryOption } from '../../src/cli/sweepOptions.ts';
import { reduceRunMetrics } from '../../src/record/summary.ts';

describe('sweep points', () => {
  it('should expand grids, refuse a name given twice and cap absurd ranges before allocating', () => {
    assert.deepEqual(gridPoints(parseGrid(['a=1,2', 'b=x,y'])), [{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]);
    assert.throws(() => parseGrid(['sigma=1,2', 'sigma=3']), /'sigma' is given by more than one --grid/);
    assert.throws(() => parseGrid(['sigma=0:1:1e-12']), /gives 1000000000001 values, more than the cap of 10000 points.*--max-points/);
    assert.equal(parseGrid(['sigma=0:1:0.0001'], 20_000)[0]![1].length, 10_001);
    assert.throws(() => checkPointCount(20_000, 10_000, '100 a × 200 b'), /20000 runs \(100 a × 200 b\)/);
    assert.deepEqual(Object.keys(gridPoints(parseGrid(['__proto__=1']))[0]!), ['__proto__'], 'an own key, not a prototype');
  });

  it('should parse seeds as lists or ranges and reject anything else', () => {
    assert.deepEqual(parseSeeds('0,1,2'), [0, 1, 2]);
    assert.deepEqual(parseSeeds('3:9:3'), [3, 6, 9]);
    for (const bad of ['', 'a', '1.5', '-1', '0,0', '1,,2']) assert.throws(() => parseSeeds(bad), /--seeds/, bad);
  });

  it('should parse distributions and reject malformed ones naming the --dist', () => {
    assert.deepEqual(parseDist('sigma=loguniform:0.001:0.1'), { name: 'sigma', kind: 'loguniform', lo: 0.001, hi: 0.1 });
    assert.deepEqual(parseDist('wn=choice:a,b'), { name: 'wn', kind: 'choice', values: ['a', 'b'] });
    for (const [bad, msg] of [['sigma', /NAME=KIND:ARGS/], ['s=normal:0:1', /unknown distribution 'normal'/], ['s=uniform:1', /two numbers/],
      ['s=uniform:2:1', /LO < HI/], ['s=loguniform:0:1', /0 < LO/], ['s=int:0.5:2', /integer bounds/], ['s=choice:', /at least one value/]] as const) {
      assert.throws(() => parseDist(bad), (e: Error) => e.message.startsWith(`--dist ${bad}:`) && msg.test(e.message), bad);
    }
    assert.throws(() => parseDists(['a=uniform:0:1', 'a=int:0:3']), /'a' is given more than once/);
  });

  it('should draw samples reproducibly from the seed, inside their ranges, covering every choice', () => {
    const dists = parseDists(['sigma=loguniform:0.001:0.1', 'k=int:1:3', 'wn=choice:a,b', 'u=uniform:-1:1']);
    const a = samplePoints(400, dists, 7);
    assert.deepEqual(samplePoints(400, dists, 7), a);
    assert.notDeepEqual(samplePoints(400, dists, 8), a);
    for (const p of a) {
      assert.ok((p.sigma as number) >= 0.001 && (p.sigma as number) <= 0.1);
      assert.ok([1, 2, 3].includes(p.k as number));
      assert.ok((p.u as number) >= -1 && (p.u as number) <= 1);
    }
    assert.deepEqual(new Set(a.map((p) => p.wn)), new Set(['a', 'b']));
    // log-uniform: about half the draws fall below the geometric midpoint 0.01 (binomial sd = 10 at n = 400).
    const below = a.filter((p) => (p.sigma as number) < 0.01).length;
    assert.ok(Math.abs(below - 200) < 50, `${below} of 400 below 0.01`);
  });
});

describe('reading run metrics', () => {
  const file = (text: string): string => {
    const f = join(mkdtempSync(join(tmpdir(), 'ef-sweep-')), 'metrics.jsonl');
    writeFileSync(f, text);
    return f;
  };
  const line = (name: string, step: number | null, value: unknown): string => `${JSON.stringify({ node: 't', name, step, value, time: 0 })}\n`;

  it('should reduce stepped metrics by last, min or mean of the last K and keep one-off values', () => {
    const f = file([4, 1, 3, 2].map((v, i) => line('loss', i + 1, v)).join('') + line('final', null, 9) + line('spectrum', 4, [1, 2]));
    assert.deepEqual(reduceRunMetrics(f, parseSummaryOption('last')).values, { 't.loss': 2, 't.final': 9 });
    assert.equal(reduceRunMetrics(f, parseSummaryOption('min')).values['t.loss'], 1);
    assert.equal(reduceRunMetrics(f, parseSummaryOption('mean-of-last-3')).values['t.loss'], 2);
    assert.equal(reduceRunMetrics(f, parseSummaryOption('mean-of-last-10')).values['t.loss'], 2.5);
    for (const bad of ['max', 'mean-of-last-0', 'mean-of-last-']) assert.throws(() => parseSummaryOption(bad), /--summary/);
  });

  it('should skip and count a torn last line instead of failing', () => {
    const r = reduceRunMetrics(file(line('loss', 1, 0.5) + line('loss', 2, 0.25) + '{"node":"t","name":"loss","st'), parseSummaryOption('last'));
    assert.deepEqual(r, { values: { 't.loss': 0.25 }, skippedLines: 1 });
  });
});
