import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifest, declarationOf } from '../../src/record/manifest.ts';
import { readMetricsFile, type RecordedEvent } from '../../src/record/metricsFile.ts';
import { summarizePoints } from '../../src/record/summary.ts';
import { seedStats } from '../../src/record/stats.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'ef-record-'));

describe('the metrics.jsonl reader', () => {
  it('should read every event across chunk boundaries, count a torn last line and malformed ones, and keep member and nulls', () => {
    const file = join(tmp(), 'metrics.jsonl');
    const big = Array.from({ length: 40_000 }, (_, i) => i / 7); // one line of ~0.8 MB, so lines straddle the 1 MiB chunks
    const lines = [
      { node: 'a', name: 'loss', step: 1, value: 0.5, time: 1 },
      { node: 'a', name: 'spec', step: null, value: big, time: 2 },
      { node: 'a', name: 'loss', step: 2, value: null, time: 3 }, // NaN, as JSON writes it
      { node: 'a', name: 'loss', step: 3, value: 0.25, time: 4, member: 2 },
      { node: 'a', name: 'spec', step: null, value: big, time: 5 },
    ].map((e) => JSON.stringify(e));
    writeFileSync(file, `${lines.join('\n')}\nnot json\n{"node":1,"name":"x","value":1}\n${lines[0]}\n{"node":"a","name":"lo`);
    const seen: RecordedEvent[] = [];
    const { skippedLines } = readMetricsFile(file, (e) => seen.push(e));
    assert.equal(skippedLines, 3, 'the malformed line, the line without a node name, the torn last line');
    assert.deepEqual(seen.map((e) => [e.name, e.step, Array.isArray(e.value) ? e.value.length : e.value, e.member]), [
      ['loss', 1, 0.5, undefined], ['spec', null, 40_000, undefined], ['loss', 2, null, undefined], ['loss', 3, 0.25, 2], ['spec', null, 40_000, undefined], ['loss', 1, 0.5, undefined],
    ]);
    assert.equal((seen[4]!.value as number[])[39_999], 39_999 / 7);
  });

  it('should read nothing from a missing file', () => {
    assert.deepEqual(readMetricsFile(join(tmp(), 'none.jsonl'), () => assert.fail('no events')), { skippedLines: 0 });
  });
});

describe('the manifest reader', () => {
  it('should read a format-2 manifest\'s declarations, an older one without them, and name a file that is not JSON', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ formatVersion: 2, status: 'completed', seed: 3, graph: { name: 'g', params: { a: 1 }, nodes: {} }, metrics: { 'fc.alpha_*': { kind: 'scalar', when: 'once' }, 'm.w': { kind: 'matrix', when: 'once', cols: 5 }, 'bad.x': { kind: 'nonsense' } } }));
    const m = readManifest(dir)!;
    assert.deepEqual([m.formatVersion, m.status, m.seed, m.graphName, m.params], [2, 'completed', 3, 'g', { a: 1 }]);
    assert.deepEqual(declarationOf(m.metrics, 'm.w'), { kind: 'matrix', when: 'once', cols: 5 });
    assert.deepEqual(declarationOf(m.metrics, 'fc.alpha_fc1'), { kind: 'scalar', when: 'once' }, 'a declared pattern covers the name');
    assert.equal(declarationOf(m.metrics, 'bad.x'), undefined, 'an unknown kind is not trusted');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ status: 'running', graph: { name: 'old' } }));
    assert.deepEqual([readManifest(dir)!.formatVersion, readManifest(dir)!.status, readManifest(dir)!.metrics], [1, 'running', {}]);
    writeFileSync(join(dir, 'manifest.json'), '{"status": "compl');
    assert.throws(() => readManifest(dir), new RegExp(`${join(dir, 'manifest.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
    assert.equal(readManifest(tmp()), null);
  });
});

describe('summarizePoints', () => {
  it('should group runs whose parameters are equal in any order, with the seeds\' statistics', () => {
    const points = summarizePoints([
      { point: { a: 1, b: 'x' }, seed: 0, status: 'completed', metrics: { loss: 1 } },
      { point: { b: 'x', a: 1 }, seed: 1, status: 'completed', metrics: { loss: 3 } },
      { point: { a: 2, b: 'x' }, seed: 0, status: 'failed', metrics: {} },
    ]);
    assert.equal(points.length, 2);
    assert.deepEqual([points[0]!.runs, points[0]!.completed, points[0]!.metrics.loss!.values], [2, 2, { 0: 1, 1: 3 }]);
    assert.deepEqual({ ...points[0]!.metrics.loss!, values: undefined }, { ...seedStats([1, 3]), values: undefined });
    assert.deepEqual([points[1]!.runs, points[1]!.completed, points[1]!.metrics], [1, 0, {}]);
  });
});
