import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { distinctLabels, makeAxis } from '../../src/plot/ticks.ts';
import { formatNumber } from '../../src/format.ts';
import { linePlot } from '../../src/plot/svg.ts';

const labels = (values: number[], log = false): string[] => makeAxis(values, log).ticks.filter((t) => t.label).map((t) => t.label);

test('a log axis with no positive data has no ticks (nothing to search for) and the plot says so', () => {
  const axis = makeAxis([-1, -3, 0], true);
  assert.equal(axis.empty, true);
  assert.equal(axis.ticks.length, 0);
  const svg = linePlot({ title: 'kernel', series: [{ label: 'k', points: [[1, -1], [2, -3], [3, 0]] }], logY: true });
  assert.match(svg, /no positive data \(log axis\)/);
  assert.doesNotMatch(svg, /NaN|Infinity/);
  assert.match(linePlot({ title: 'nothing', series: [] }), /no data/);
});

test('tick labels are distinct when the range is narrow (one significant digit would repeat "8e-4")', () => {
  const l = labels([8.01e-4, 8.42e-4]);
  assert.ok(l.length >= 3, l.join(' '));
  assert.equal(new Set(l).size, l.length, l.join(' '));
  assert.deepEqual(distinctLabels([8e-4, 8.1e-4, 8.2e-4], 1e-5), ['8e-4', '8.1e-4', '8.2e-4']);
  const ulp = labels([1, 1 + Number.EPSILON]);
  assert.equal(new Set(ulp).size, ulp.length, ulp.join(' '));
});

test('a log axis over less than a decade labels its data with minor-tick values', () => {
  const l = labels([0.3, 0.7], true);
  assert.ok(l.length >= 3, l.join(' '));
  assert.ok(l.includes('0.4') && l.includes('0.5'), l.join(' '));
  // Several decades: labelled decades plus unlabelled minor ticks.
  const a = makeAxis([1e-3, 10], true);
  assert.deepEqual(a.ticks.filter((t) => t.label).map((t) => t.label), ['0.001', '0.01', '0.1', '1', '10']);
  assert.ok(a.ticks.filter((t) => !t.major).length >= 20);
});

test('extreme values give finite, increasing axes', () => {
  for (const [values, log] of [[[1e308, -1e308], false], [[Number.MAX_VALUE], false], [[5e-324, Number.MAX_VALUE], true], [[5e-324], true], [[-0, 0], false]] as [number[], boolean][]) {
    const a = makeAxis(values, log);
    assert.ok(Number.isFinite(a.lo) && Number.isFinite(a.hi) && a.lo < a.hi, `${values} log=${log}: [${a.lo}, ${a.hi}]`);
    assert.ok(a.ticks.length > 0, `${values} log=${log}: no ticks`);
  }
  assert.equal(formatNumber(1.5e-7, 3), '1.5e-7');
  assert.equal(formatNumber(-2500000, 2), '-2.5e6');
});

test('random hostile inputs: total, bounded, no NaN coordinates (in a child process with a time bound)', async () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  const perSeed = 250;
  const timeLimitMs = 60_000;
  const script = fileURLToPath(new URL('./hostileFuzz.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, seeds.join(','), String(perSeed)], { encoding: 'utf8', timeout: timeLimitMs });
  assert.ok(!run.error, `plotting hung or failed to start: ${run.error?.message} (time limit ${timeLimitMs} ms)`);
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { ok: boolean; message?: string; cases: number };
  assert.ok(result.ok, result.message);
  assert.equal(result.cases, seeds.length * perSeed);
});
