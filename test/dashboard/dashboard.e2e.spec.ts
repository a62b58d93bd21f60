import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardSink, defineNode, graph, registerNodes, runGraph, unregisterNode, type DashboardState } from '../../src/index.ts';
import { useWasm } from '../helpers.ts';

const emitter = defineNode({
  type: 'dash.emitter',
  doc: 'Per step: `loss` = 1/step; every 5 steps a spectrum `sv` = [1, 1/2, …, 1/8]; at the end a one-off `final`.',
  params: {
    steps: { type: 'int', doc: 'steps', min: 1 },
    slowMs: { type: 'number', doc: 'busy-wait per step, ms', min: 0, default: 0 },
    nanAt: { type: 'int', doc: 'step whose loss is NaN (0: never)', min: 0, default: 0 },
  },
  inputs: {},
  outputs: { tick: { type: 'number', doc: 'unused', stream: true } },
  metrics: {
    loss: { kind: 'scalar', doc: '1/step', when: 'step' },
    sv: { kind: 'array', doc: 'step/rank for ranks 1…8, every 5 steps', when: 'step' },
    final: { kind: 'scalar', doc: '42, once at the end', when: 'once' },
  },
  *run({ params, ctx }) {
    for (let s = 1; s <= params.steps; s++) {
      const t0 = Date.now();
      while (Date.now() - t0 < params.slowMs) { /* simulate compute */ }
      ctx.metric('loss', s === params.nanAt ? NaN : 1 / s, s);
      if (s % 5 === 0) ctx.metric('sv', Array.from({ length: 8 }, (_, i) => s / (i + 1)), s);
      yield { step: s, total: params.steps };
    }
    ctx.metric('final', 42);
  },
});

const spec = (steps: number, slowMs = 0, nanAt = 0) => graph('dash-test', {}).node('train', emitter, { steps, slowMs, nanAt }).build();

interface Sse { event: string; data: unknown }

/** Read an SSE stream until the server ends it (or `timeoutMs`). */
function readEvents(url: string, timeoutMs = 10_000): Promise<{ messages: Sse[]; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const messages: Sse[] = [];
    let buf = '';
    const req = get(url, (res) => {
      assert.equal(res.headers['content-type'], 'text/event-stream');
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i); buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) messages.push({ event, data: JSON.parse(data) });
        }
      });
      res.on('end', () => { clearTimeout(timer); resolve({ messages, ended: true }); });
    });
    req.on('error', reject);
    const timer = setTimeout(() => { req.destroy(); resolve({ messages, ended: false }); }, timeoutMs);
  });
}

const state = async (url: string): Promise<DashboardState> => (await (await fetch(`${url}state`)).json()) as DashboardState;
const listening = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

describe('dashboard sink', () => {
  before(async () => { await useWasm(); registerNodes([emitter]); });
  after(() => unregisterNode(emitter.type));

  it('should stream events while the run goes, serve the final state while lingering, then close', async () => {
    const servers = listening();
    const dash = await dashboardSink({ graph: 'dash-test', port: 0, linger: 60_000, flushMs: 20 });
    assert.match(dash.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await (await fetch(dash.url)).text();
    assert.match(page, /<!doctype html>/);
    assert.doesNotMatch(page, /(src|href)=["']?(https?:)?\/\//, 'the page must not load external assets');
    const before = await state(dash.url);
    assert.equal(before.status, 'running');
    assert.equal(before.graph, 'dash-test');

    const live = readEvents(`${dash.url}events`);
    const r = await runGraph(spec(40, 5), { sinks: [dash] });
    assert.equal(r.status, 'completed', r.error ?? '');
    const { messages, ended } = await live;
    assert.ok(ended, 'the server ends the event stream when the run ends');
    assert.equal(messages[0]!.event, 'state');
    const deltas = messages.filter((m) => m.event === 'delta');
    assert.ok(deltas.length >= 2, `expected several batches during a ~200 ms run, got ${deltas.length}`);
    // Replaying the deltas gives every loss point, in order, exactly once.
    const steps: number[] = [...(messages[0]!.data as DashboardState).series['train.loss']?.steps ?? []];
    for (const d of deltas) {
      const s = (d.data as { series?: Record<string, { reset: boolean; steps: number[] }> }).series?.['train.loss'];
      if (s) { if (s.reset) steps.length = 0; steps.push(...s.steps); }
    }
    assert.deepEqual(steps, Array.from({ length: 40 }, (_, i) => i + 1));
    const last = messages.at(-1)!;
    assert.equal(last.event, 'state');
    assert.equal((last.data as DashboardState).status, 'completed');

    const fin = await state(dash.url);
    assert.equal(fin.status, 'completed');
    assert.equal(fin.error, null);
    assert.deepEqual(fin.series['train.loss']!.values, Array.from({ length: 40 }, (_, i) => 1 / (i + 1)));
    assert.deepEqual(fin.spectra['train.sv'], { step: 40, values: Array.from({ length: 8 }, (_, i) => 40 / (i + 1)), kind: 'array' }); // no kindOf given: guessed
    assert.deepEqual(fin.scalars, { 'train.final': 42 });
    assert.equal(fin.progress.train!.step, 40);
    assert.equal(fin.progress.train!.total, 40);
    assert.ok(fin.events >= 40 + 8 + 1);

    // A browser that joins after the end gets the final state and a closed stream.
    const late = await readEvents(`${dash.url}events`, 5000);
    assert.ok(late.ended);
    assert.equal((late.messages[0]!.data as DashboardState).status, 'completed');

    await dash.stop();
    await assert.rejects(fetch(dash.url));
    assert.equal(listening(), servers, 'no listening server left behind');
  });

  it('should keep at most maxPoints evenly spaced points per series, and the latest value', async () => {
    const dash = await dashboardSink({ port: 0, linger: 10_000, maxPoints: 16 });
    const r = await runGraph(spec(1000), { sinks: [dash] });
    assert.equal(r.status, 'completed');
    const s = (await state(dash.url)).series['train.loss']!;
    assert.ok(s.steps.length <= 16 && s.steps.length >= 8, `kept ${s.steps.length} points`);
    const stride = s.steps[1]! - s.steps[0]!;
    assert.equal(s.steps[0], 1);
    s.steps.forEach((step, i) => assert.equal(step, 1 + i * stride));
    s.values.forEach((v, i) => assert.equal(v, 1 / s.steps[i]!));
    assert.ok(s.steps.at(-1)! + stride > 1000, 'the kept points span the whole run');
    assert.deepEqual(s.last, [1000, 1 / 1000]);
    await dash.stop();
  });

  it('should serve a diverged status with its error, and close by itself after linger', async () => {
    const servers = listening();
    const dash = await dashboardSink({ port: 0, linger: 300 });
    const r = await runGraph(spec(30, 0, 12), { sinks: [dash] });
    assert.equal(r.status, 'diverged');
    const fin = await state(dash.url);
    assert.equal(fin.status, 'diverged');
    assert.match(fin.error ?? '', /loss/);
    assert.equal(fin.series['train.loss']!.last[1], 'NaN' as unknown as number, 'NaN is served as the string "NaN"');
    const t0 = Date.now();
    await dash.done;
    assert.ok(Date.now() - t0 < 5000);
    await assert.rejects(fetch(`${dash.url}state`));
    assert.equal(listening(), servers);
  });

  it('should send one snapshot, then deltas, to a client even when a batch exceeds the socket buffer', async () => {
    const dash = await dashboardSink({ port: 0, linger: 0, flushMs: 10_000 });
    const live = readEvents(`${dash.url}events`);
    await new Promise((r) => setTimeout(r, 200));
    let step = 0;
    for (let k = 0; k < 5; k++) {
      // 50,000 points per batch: the thinned series (2000 points, ~50 KB) overflows a 16 KiB write buffer.
      for (let i = 0; i < 50_000; i++, step++) dash.write({ node: 'n', name: 'loss', step, value: 1 / (step + 1), time: 0 });
      await (await fetch(`${dash.url}state`)).text(); // /state flushes the pending batch to the stream
      await new Promise((r) => setTimeout(r, 50));
    }
    dash.close!({ status: 'completed', error: null, outDir: null });
    const { messages, ended } = await live;
    await dash.done;
    assert.ok(ended);
    const states = messages.filter((m) => m.event === 'state').length;
    assert.ok(states <= 4, `expected the first and the final snapshot (and at most a couple after back-pressure), got ${states}`);
    assert.ok(messages.filter((m) => m.event === 'delta').length >= 1);
    const fin = messages.at(-1)!.data as DashboardState;
    assert.deepEqual(fin.series['n.loss']!.last, [249_999, 1 / 250_000]);
  });

  it('should serve `eigenflow run --dashboard 0` while it runs, and exit by itself when not on a terminal', async () => {
    const bin = new URL('../../bin/eigenflow.js', import.meta.url).pathname;
    const graphPath = new URL('../fixtures/counter.json', import.meta.url).pathname;
    const nodesPath = new URL('../fixtures/nodes.ts', import.meta.url).pathname;
    const out = join(mkdtempSync(join(tmpdir(), 'ef-dash-')), 'run');
    const child = spawn(process.execPath, [bin, 'run', graphPath, '--nodes', nodesPath, '--dashboard', '0', '--set', 'steps=60', '--set', 'slowMs=20', '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (c: string) => { err += c; const m = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(err); if (m) resolve(m[1]!); });
      child.on('exit', () => reject(new Error(`exited before printing the URL: ${err}`)));
    });
    const live = await state(url);
    assert.equal(live.graph, 'counter');
    assert.equal(live.status, 'running');
    assert.equal(await exited, 0, err);
    clearTimeout(killer);
    await assert.rejects(fetch(`${url}state`), 'the server is gone once the process exits');
  });
});
