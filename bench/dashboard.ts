/**
 * Overhead of the live dashboard sink on the metrics bus, measured in one process and one run:
 *  - bus → no-op sink (the peer);
 *  - bus → no-op sink + dashboard sink, no browser connected;
 *  - bus → no-op sink + dashboard sink with a browser-like SSE client reading /events
 *    (in this process, so the client's reads are charged to the run too: an upper bound).
 * Also a paced run at 100,000 events/s (100 events per 1 ms step): wall time with and without.
 *
 *   node --import tsx bench/dashboard.ts [events=2000000] [repeats=3]
 */
import { get } from 'node:http';
import { defineNode, graph, registerNodes, runGraph, selectBackend, type Sink } from '../src/index.ts';
import { dashboardSink } from '../src/sinks/dashboard.ts';

const total = Number(process.argv[2] ?? 2_000_000);
const repeats = Number(process.argv[3] ?? 3);

const emitter = defineNode({
  type: 'bench.dashEmitter',
  doc: 'Emits `perStep` scalar metrics per step over `series` names; a step lasts at least `stepMs`.',
  params: {
    steps: { type: 'int', doc: 'steps', min: 1 },
    perStep: { type: 'int', doc: 'metrics per step', min: 1 },
    series: { type: 'int', doc: 'distinct metric names', min: 1, default: 1 },
    stepMs: { type: 'number', doc: 'pace: minimum ms per step', min: 0, default: 0 },
  },
  inputs: {},
  outputs: { tick: { type: 'number', doc: 'unused', stream: true } },
  metrics: { 'm*': { kind: 'scalar', doc: 'series m0, m1, …', when: 'step' } },
  *run({ params, ctx }) {
    const names = Array.from({ length: params.series }, (_, i) => `m${i}`);
    const t0 = performance.now();
    for (let s = 0; s < params.steps; s++) {
      for (let i = 0; i < params.perStep; i++) ctx.metric(names[i % params.series]!, 1 / (s + i + 1), s);
      while (performance.now() - t0 < (s + 1) * params.stepMs) { /* pace */ }
      yield { step: s + 1, total: params.steps };
    }
  },
});
registerNodes([emitter]);
await selectBackend('wasm');

const noop = (): Sink => ({ name: 'noop', mode: 'sync', write: () => {} });

/** A browser stand-in reading /events and counting bytes (in this process, so its reads are charged to the run). */
function sseReader(url: string): { ready: Promise<void>; stop(): Promise<number> } {
  let bytes = 0;
  let onReady!: () => void;
  const ready = new Promise<void>((r) => { onReady = r; });
  let onEnd!: () => void;
  const ended = new Promise<void>((r) => { onEnd = r; });
  const req = get(`${url}events`, (res) => {
    res.on('data', (c: Buffer) => { if (!bytes) onReady(); bytes += c.length; });
    res.on('end', onEnd);
    res.on('close', onEnd);
  });
  req.on('error', () => { onReady(); onEnd(); });
  req.on('close', onEnd);
  return { ready, stop: async () => { await ended; return bytes; } };
}

async function timed(spec: ReturnType<typeof graph>['build'] extends () => infer G ? G : never, mode: 'off' | 'idle' | 'client'): Promise<{ ms: number; bytes: number }> {
  const dash = mode === 'off' ? null : await dashboardSink({ graph: spec.name, linger: 0 });
  const reader = mode === 'client' ? sseReader(dash!.url) : null;
  if (reader) await reader.ready; // connected, first snapshot received
  const t0 = performance.now();
  const r = await runGraph(spec, { collect: false, sinks: dash ? [noop(), dash] : [noop()] });
  const ms = performance.now() - t0;
  if (r.status !== 'completed') throw new Error(r.error ?? r.status);
  await dash?.done;
  const bytes = reader ? await reader.stop() : 0;
  return { ms, bytes };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function compare(label: string, spec: Parameters<typeof timed>[0], events: number): Promise<void> {
  const res: Record<string, number[]> = { off: [], idle: [], client: [] };
  let bytes = 0;
  for (let k = 0; k < repeats; k++) {
    for (const mode of (process.env.MODES ?? 'off,idle,client').split(',') as ('off' | 'idle' | 'client')[]) {
      const t = await timed(spec, mode);
      res[mode]!.push(t.ms);
      if (mode === 'client') bytes = t.bytes;
    }
  }
  const off = median(res.off!);
  const line = (mode: string): string => {
    const ms = median(res[mode]!);
    return `${mode.padEnd(7)} ${ms.toFixed(0).padStart(6)} ms  ${((events / ms) * 1e3 / 1e6).toFixed(2)} M events/s  overhead ${(100 * (ms / off - 1)).toFixed(1)}%`;
  };
  console.log(`\n${label} (median of ${repeats})`);
  console.log(`without ${off.toFixed(0).padStart(6)} ms  ${((events / off) * 1e3 / 1e6).toFixed(2)} M events/s`);
  console.log(line('idle'));
  console.log(`${line('client')}  (SSE bytes read: ${(bytes / 1024).toFixed(0)} KiB)`);
}

const perStep = 1000;
await compare(`full speed: ${total.toLocaleString()} events, ${perStep}/step, 1 series`,
  graph('dash-bench', {}).node('emit', emitter, { steps: total / perStep, perStep }).build(), total);
await compare(`full speed: ${total.toLocaleString()} events, ${perStep}/step, 100 series`,
  graph('dash-bench', {}).node('emit', emitter, { steps: total / perStep, perStep, series: 100 }).build(), total);
await compare('paced: 100,000 events/s for 3 s (100 events per 1 ms step, 10 series)',
  graph('dash-bench', {}).node('emit', emitter, { steps: 3000, perStep: 100, series: 10, stepMs: 1 }).build(), 300_000);
