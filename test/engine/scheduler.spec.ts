import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defaultSinks, graph, runGraph, startRun, observeRun, registerNodes, unregisterNode, GraphValidationError, type MetricEvent } from '../../src/index.ts';
import { registerAllNodes } from '../../nodes/index.ts';
import { nodes } from '../fixtures/nodes.ts';
import { useWasm } from '../helpers.ts';
import { spectralMethod } from '@eigenflow/linalg';

const values = (events: MetricEvent[], node: string, name: string) => events.filter((e) => e.node === node && e.name === name).map((e) => e.value);

/** init → trainer → (probe of each snapshot → echo) and a value branch. */
function trainingGraph(steps: number, extra: Record<string, unknown> = {}) {
  return graph('t', { steps, noise: 0 })
    .node('init', 'fx.constant', { value: 0.5 })
    .node('train', 'fx.trainer', { steps: '$steps', noise: '$noise', ...extra }, { init: 'init' })
    .node('probe', 'fx.probe', { scale: 2 }, { x: 'train.snapshot', offset: 'init' })
    .node('echo', 'fx.echo', {}, { x: 'probe' })
    .node('sq', 'fx.square', {}, { x: 'train.final' })
    .build();
}

describe('scheduler', () => {
  before(async () => { await useWasm(); registerNodes(nodes); });
  after(() => nodes.forEach((n) => unregisterNode(n.type)));

  it('should stream every snapshot through lifted probes in step order', async () => {
    const r = await runGraph(trainingGraph(5));
    assert.equal(r.status, 'completed', r.error ?? '');
    // snapshot after step s is 0.5 + s; probe = 2 · mean(snapshot + 0.5) = 2 (s + 1)
    assert.deepEqual(values(r.events, 'probe', 'mean'), [4, 6, 8, 10, 12]);
    assert.deepEqual(values(r.events, 'echo', 'value'), [4, 6, 8, 10, 12]);
    assert.deepEqual(r.events.filter((e) => e.node === 'probe').map((e) => e.step), [1, 2, 3, 4, 5]);
    // final w = 5.5 everywhere: sum of squares over 2×2
    assert.deepEqual(values(r.events, 'sq', 'sum'), [4 * 5.5 * 5.5]);
  });

  it('should run a lifted node only every k steps with `every`', async () => {
    const spec = graph('t', {}).node('train', 'fx.trainer', { steps: 10 })
      .node('probe', 'fx.probe', {}, { x: 'train.snapshot' }, { every: 4 })
      .node('echo', 'fx.echo', {}, { x: 'probe' }).build();
    const r = await runGraph(spec);
    assert.deepEqual(r.events.filter((e) => e.node === 'probe').map((e) => e.step), [4, 8]);
    assert.deepEqual(values(r.events, 'echo', 'value'), [4, 8]);
  });

  it('should keep tf.memory().numTensors flat over thousands of streamed steps', async () => {
    const before = tf.memory().numTensors;
    const r = await runGraph(trainingGraph(3000));
    assert.equal(r.status, 'completed');
    assert.equal(values(r.events, 'probe', 'mean').length, 3000);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked across the run');
  });

  it('should pass one tensor through two ports and still dispose it exactly once', async () => {
    const before = tf.memory().numTensors;
    const spec = graph('t', {}).node('c', 'fx.constant', {}).node('sq', 'fx.square', {}, { x: 'c' })
      .node('p1', 'fx.probe', {}, { x: 'sq.same' }).node('p2', 'fx.probe', {}, { x: 'sq.same' }).build();
    const r = await runGraph(spec);
    assert.equal(r.status, 'completed');
    assert.deepEqual([...values(r.events, 'p1', 'mean'), ...values(r.events, 'p2', 'mean')], [1, 1]);
    assert.equal(tf.memory().numTensors, before);
  });

  it('should give identical metrics for the same seed and different ones for another seed', async () => {
    const spec = trainingGraph(50, { noise: 0.1 });
    const strip = (ev: MetricEvent[]) => ev.map(({ time: _t, ...rest }) => rest);
    const a = await runGraph(spec, { seed: 7 });
    const b = await runGraph(spec, { seed: 7 });
    const c = await runGraph(spec, { seed: 8 });
    assert.deepEqual(strip(a.events), strip(b.events));
    assert.notDeepEqual(values(a.events, 'train', 'loss'), values(c.events, 'train', 'loss'));
  });

  it('should fail the run naming the node, release every tensor, and still flush sinks', async () => {
    const before = tf.memory().numTensors;
    const seen: MetricEvent[] = [];
    const r = await runGraph(trainingGraph(100, { throwAt: 30 }), { sinks: [(e) => { seen.push(e); }] });
    assert.equal(r.status, 'failed');
    assert.equal(r.failedNode, 'train');
    assert.match(r.error!, /node 'train' \(fx\.trainer\) failed after step 29: boom at step 30/);
    assert.equal(values(seen, 'train', 'loss').length, 29, 'the buffered sink got every event before the failure');
    assert.equal(tf.memory().numTensors, before);
  });

  it('should fail with the node id when a probe throws on a stream', async () => {
    const spec = graph('t', {}).node('train', 'fx.trainer', { steps: 5 }).node('bad', 'fx.fail', {}, { x: 'train.snapshot' }).build();
    const r = await runGraph(spec);
    assert.equal(r.status, 'failed');
    assert.match(r.error!, /node 'bad' \(fx\.fail\) failed at step 1: deliberate failure/);
  });

  it('should stop as diverged on a NaN loss with every metric up to then on disk', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ef-')), 'run');
    const spec = trainingGraph(100, { nanAt: 40 });
    const r = await runGraph(spec, { outDir: dir, sinks: defaultSinks(dir, spec) });
    assert.equal(r.status, 'diverged');
    assert.match(r.error!, /train\.loss became NaN at step 40/);
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.name === 'loss').length, 40);
    assert.equal(lines.at(-1).value, null, 'NaN is written as null');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.status, 'diverged');
    assert.equal(manifest.error.node, 'train');
  });

  it('should cancel through an AbortSignal, leaving a cancelled manifest and the metrics so far', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ef-')), 'run');
    const controller = new AbortController();
    const spec = trainingGraph(1_000_000, { slowMs: 1 });
    const handle = startRun(spec, { outDir: dir, sinks: defaultSinks(dir, spec), signal: controller.signal });
    let count = 0;
    handle.metrics$.subscribe({ next: () => { if (++count === 50) controller.abort(); }, error: () => {} });
    const r = await handle.result;
    assert.equal(r.status, 'cancelled');
    const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    assert.ok(lines.length >= 50 && lines.length < 1_000_000);
    assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).status, 'cancelled');
  });

  it('should cancel a run when its Observable is unsubscribed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ef-')), 'run');
    const before = tf.memory().numTensors;
    await new Promise<void>((resolve) => {
      let count = 0;
      const sub = observeRun(trainingGraph(1_000_000, { slowMs: 1 }), { outDir: dir }).subscribe((e) => {
        if (e.name === 'loss' && ++count === 20) { sub.unsubscribe(); resolve(); }
      });
    });
    const started = Date.now();
    while (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).status === 'running' && Date.now() - started < 10_000) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).status, 'cancelled');
    assert.equal(tf.memory().numTensors, before);
  });

  it('should run independent generators concurrently', async () => {
    const spec = graph('t', {}).node('a', 'fx.trainer', { steps: 40, slowMs: 2 }).node('b', 'fx.trainer', { steps: 40, slowMs: 2 }).build();
    const r = await runGraph(spec);
    const order = r.events.map((e) => e.node);
    const firstB = order.indexOf('b'), lastA = order.lastIndexOf('a');
    assert.ok(firstB < lastA, 'b started before a finished (interleaved slices)');
  });

  it('should report a throwing sink, detach it, and let the others complete', async () => {
    const good: MetricEvent[] = [];
    const r = await runGraph(trainingGraph(20), { sinks: [{ name: 'broken', mode: 'sync', write: () => { throw new Error('disk full'); } }, (e) => { good.push(e); }] });
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.sinks.errors, { broken: 'disk full' });
    assert.equal(good.length, r.events.length);
  });

  it('should drop-and-count events for a buffered sink that cannot keep up, without blocking the run', async () => {
    let written = 0;
    const slow = { name: 'slow', capacity: 10, write: () => new Promise<void>((res) => setTimeout(() => { written++; res(); }, 1)) };
    const r = await runGraph(trainingGraph(500), { sinks: [slow] });
    assert.equal(r.status, 'completed');
    const dropped = r.sinks.dropped.slow ?? 0;
    assert.ok(dropped > 0, 'some events were dropped');
    assert.equal(written + dropped, r.events.length, 'every event is either written or counted');
  });

  it('should write only manifest.json when given no sinks: the caller chooses the files', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ef-')), 'run');
    const r = await runGraph(trainingGraph(5), { outDir: dir });
    assert.equal(r.status, 'completed');
    assert.deepEqual(readdirSync(dir), ['manifest.json']);
  });

  it('should write metrics.jsonl, metrics.csv, manifest.json (describing its metrics) and plots with the default sinks', async () => {
    registerAllNodes(); // the node library registers what the manifest says about its spectral routines
    const dir = join(mkdtempSync(join(tmpdir(), 'ef-')), 'run');
    const spec = graph('t', { steps: 20 }).node('train', 'fx.trainer', { steps: '$steps' })
      .plot({ title: 'Training loss', y: ['train.loss'], logY: true }).build();
    const r = await runGraph(spec, { outDir: dir, seed: 3, sinks: defaultSinks(dir, spec) });
    assert.equal(r.status, 'completed');
    assert.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'metrics.csv', 'metrics.jsonl', 'plots']);
    const first = JSON.parse(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n')[0]!);
    assert.deepEqual(Object.keys(first), ['node', 'name', 'step', 'value', 'time']);
    assert.deepEqual([first.node, first.name, first.step, first.value], ['train', 'loss', 1, 1]);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    assert.equal(m.status, 'completed');
    assert.equal(m.seed, 3);
    assert.equal(m.backend.name, 'wasm');
    assert.equal(m.graph.params.steps, 20);
    assert.ok(m.versions['@tensorflow/tfjs'] && m.start && m.end);
    assert.equal(m.spectralMethod, spectralMethod(), 'the linalg backend (and LAPACK library) the settings select');
    assert.equal(m.formatVersion, 2);
    assert.deepEqual(m.metrics['train.loss'], { kind: 'scalar', when: 'step' });
    const svg = readFileSync(join(dir, 'plots', 'training-loss.svg'), 'utf8');
    assert.match(svg, /<path d="M[^"]+L/);
  });

  it('should validate before writing anything', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ef-')), 'run');
    const spec = graph('t', {}).node('train', 'fx.trainer', { steps: -1 }).build();
    assert.throws(() => startRun(spec, { outDir: dir }), GraphValidationError);
    assert.equal(existsSync(dir), false);
  });
});
