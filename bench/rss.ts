/**
 * Does memory stay flat over a long run? A cheap streaming graph — a counter generator emitting
 * `loss` every step and a probe lifted onto its stream emitting `twice` every step, so two
 * events per step — runs through the CLI path (`main(argv)`, the JSONL/CSV/plot sinks, the
 * console sink) for 1,000,000 steps, and the process's resident set size is sampled every
 * 250 ms.
 *
 *   node --import tsx bench/rss.ts [--steps 1000000]
 *   node --expose-gc --import tsx bench/rss.ts      # a full GC before each sample: live memory only
 *
 * Peer, measured in the same process: the same graph through `runGraph` with `collect: true`
 * (every event kept in `RunResult.events`, the pre-issue-9 CLI default) for a quarter of the steps,
 * to show what growth looks like when memory is *not* bounded. Reported: RSS at the start and
 * end, the maximum, and the growth between 10% and 100% of the run (warm-up excluded), for both.
 * Prints the machine load (`uptime`) because timings and RSS are both noisy on a shared machine.
 *
 * Measured 2026-11-25 on the 2-core development machine under heavy load (load average 15–19):
 *
 *   with --expose-gc (live memory): CLI 1,000,000 steps (2,000,000 events, 33.8 s): RSS 199.0 MB
 *     at the start, 180.9 MB at the end, max 204.2 MB; spread over 10–100% of the run 25.6 MB;
 *     max 201.8 MB in 10–55% vs 204.2 MB in 55–100%: flat.
 *     Peer, collect=true, 250,000 steps (500,000 events): 183.6 → 232.1 MB, +92 B per event kept.
 *   without forced GC (what `top` shows): CLI 193.7 MB at the start, max 323.8 MB in 10–55% vs
 *     335.7 MB in 55–100%, 286.9 MB at the end — V8 lets ~130 MB of garbage accumulate between
 *     major collections, reached early and then level, not growing with the number of events.
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import { parseGraph, runGraph } from '../src/index.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const steps = Number(arg('steps', '1000000'));
const FIXTURES = new URL('../test/faults/fixtures.ts', import.meta.url).pathname;
const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MB`;

const graphOf = (n: number) => ({
  name: 'rss', params: { steps: n },
  nodes: { train: { type: 'ft.count', params: { steps: '$steps' } }, probe: { type: 'ft.double', inputs: { x: 'train.s' } } },
  plots: [{ title: 'loss', y: ['train.loss'], logY: true }, { title: 'twice', y: ['probe.twice'] }],
});

/** With `node --expose-gc`, each sample first runs a full GC, so it shows live memory, not GC slack. */
const gc = (globalThis as { gc?: () => void }).gc;
const sample = (): number => { gc?.(); return process.memoryUsage().rss; };

interface Trace { samples: [number, number][]; ms: number }
async function sampled(fn: () => Promise<unknown>): Promise<Trace> {
  const samples: [number, number][] = [];
  const t0 = Date.now();
  const timer = setInterval(() => samples.push([Date.now() - t0, sample()]), 250);
  samples.push([0, sample()]);
  await fn();
  clearInterval(timer);
  samples.push([Date.now() - t0, sample()]);
  return { samples, ms: Date.now() - t0 };
}
function summary(name: string, events: number, t: Trace): void {
  const rss = t.samples.map(([, r]) => r);
  const after10 = t.samples.filter(([ms]) => ms >= 0.1 * t.ms).map(([, r]) => r);
  const growth = Math.max(...after10) - Math.min(...after10);
  const half = (lo: number, hi: number): number => Math.max(...t.samples.filter(([ms]) => ms >= lo * t.ms && ms <= hi * t.ms).map(([, r]) => r));
  console.log(`${name}: ${events.toLocaleString('en')} events in ${(t.ms / 1000).toFixed(1)} s; RSS start ${mb(rss[0]!)}, end ${mb(rss.at(-1)!)}, max ${mb(Math.max(...rss))}; spread over 10–100% of the run ${mb(growth)} (${(growth / events).toFixed(1)} B per event); max over 10–55% ${mb(half(0.1, 0.55))} vs 55–100% ${mb(half(0.55, 1))}`);
}

console.log(`load: ${execFileSync('uptime').toString().trim()}; ${gc ? 'full GC before each sample' : 'no forced GC (RSS includes garbage not yet collected)'}`);
const dir = mkdtempSync(join(tmpdir(), 'ef-rss-'));
const file = join(dir, 'graph.json');
writeFileSync(file, JSON.stringify(graphOf(steps)));
// Warm up module loading, the backend and the JIT before measuring.
await main(['run', file, '--nodes', FIXTURES, '--out', join(dir, 'warm'), '--set', 'steps=20000', '--quiet'], { out: () => {}, err: () => {}, isTTY: false, signals: new EventEmitter() });

const cli = await sampled(() => main(['run', file, '--nodes', FIXTURES, '--out', join(dir, 'cli'), '--quiet'], { out: () => {}, err: (t) => process.stderr.write(t), isTTY: false, signals: new EventEmitter() }));
summary(`CLI, ${steps.toLocaleString('en')} steps`, 2 * steps, cli);

// The fixtures are registered already: the CLI loaded them with --nodes (the same module instance).
const peerSteps = Math.round(steps / 4);
const peer = await sampled(() => runGraph(parseGraph(graphOf(peerSteps)), { collect: true }));
summary(`peer: runGraph collect=true, ${peerSteps.toLocaleString('en')} steps`, 2 * peerSteps, peer);
rmSync(dir, { recursive: true, force: true });
