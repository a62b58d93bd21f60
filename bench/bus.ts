/**
 * Metric events/s through the engine's bus, against peers measured in the same run:
 *  - bus → no-op sink, vs a bare loop handing the same events to a no-op function;
 *  - bus → JSONL sink, vs a bare loop of JSON.stringify + batched fs.writeSync.
 * Targets (issue 2): ≥ 1,000,000 events/s on the bus, ≥ 200,000 events/s into JSONL.
 *
 *   node --import tsx bench/bus.ts [events=2000000]
 */
import { mkdtempSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSinks, defineNode, graph, registerNodes, runGraph, selectBackend } from '../src/index.ts';
import { jsonlSink } from '../src/sinks/jsonl.ts';

const total = Number(process.argv[2] ?? 2_000_000);
const perStep = 1000;

const emitter = defineNode({
  type: 'bench.emitter',
  doc: 'Emits `perStep` scalar metrics per step.',
  params: { steps: { type: 'int', doc: 'steps', min: 1 }, perStep: { type: 'int', doc: 'metrics per step', min: 1 } },
  inputs: {},
  outputs: { tick: { type: 'number', doc: 'unused', stream: true } },
  metrics: { loss: { kind: 'scalar', doc: '1/(step + i + 1)', when: 'step' } },
  *run({ params, ctx }) {
    for (let s = 0; s < params.steps; s++) {
      for (let i = 0; i < params.perStep; i++) ctx.metric('loss', 1 / (s + i + 1), s);
      yield { step: s + 1, total: params.steps };
    }
  },
});
registerNodes([emitter]);
await selectBackend('wasm');
const spec = graph('bus-bench', {}).node('emit', emitter, { steps: total / perStep, perStep }).build();

async function rate(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await fn();
  return total / ((performance.now() - t0) / 1000);
}

const event = (s: number, i: number) => ({ node: 'emit', name: 'loss', step: s, value: 1 / (s + i + 1), time: Date.now() });
let sinkCount = 0;
const peerNoop = await rate(() => {
  const sink = (e: unknown) => { if (e) sinkCount++; };
  for (let s = 0; s < total / perStep; s++) for (let i = 0; i < perStep; i++) sink(event(s, i));
});
const busNoop = await rate(() => runGraph(spec, { collect: false, sinks: [{ name: 'noop', mode: 'sync', write: () => { sinkCount++; } }] }));

const dir = mkdtempSync(join(tmpdir(), 'ef-bench-'));
const peerJsonl = await rate(() => {
  const fd = openSync(join(dir, 'peer.jsonl'), 'w');
  let buf: string[] = [], size = 0;
  for (let s = 0; s < total / perStep; s++) for (let i = 0; i < perStep; i++) {
    const line = `${JSON.stringify(event(s, i))}\n`;
    buf.push(line); size += line.length;
    if (size >= 65536) { writeSync(fd, buf.join('')); buf = []; size = 0; }
  }
  writeSync(fd, buf.join(''));
  closeSync(fd);
});
const busJsonl = await rate(() => runGraph(spec, { collect: false, sinks: [jsonlSink(join(dir, 'bus.jsonl'))] }));
const fullRun = await rate(() => runGraph(spec, { collect: false, outDir: join(dir, 'run'), sinks: defaultSinks(join(dir, 'run'), spec) }));

const k = (x: number) => `${(x / 1e6).toFixed(2)} M events/s`;
console.log(`events: ${total.toLocaleString()} (${perStep} per step)`);
console.log(`bus → no-op sink      ${k(busNoop)}   peer (bare loop) ${k(peerNoop)}   ratio ${(busNoop / peerNoop).toFixed(2)}   target ≥ 1 M/s: ${busNoop >= 1e6 ? 'met' : 'MISSED'}`);
console.log(`bus → JSONL sink      ${k(busJsonl)}   peer (bare JSONL) ${k(peerJsonl)}   ratio ${(busJsonl / peerJsonl).toFixed(2)}   target ≥ 0.2 M/s: ${busJsonl >= 2e5 ? 'met' : 'MISSED'}`);
console.log(`full run output (JSONL + CSV + plots) ${k(fullRun)}`);
