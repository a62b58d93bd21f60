/**
 * `--executor local`: a pool of `jobs` slots, each running one point at a time as an `eigenflow run`
 * child process (the wasm backend is single-threaded, so one point per core), or with `pack` > 1 one
 * pack of up to `pack` points at a time, as the members of one run (runPack.ts). Shows an overall
 * progress line; a signal is forwarded to the running children and the pool waits for them, so
 * every started run ends with a final manifest and unstarted points stay `pending` for --resume.
 */
import { availableParallelism } from 'node:os';
import { pointLabel } from './grid.ts';
import { isRunStatus } from '../record/events.ts';
import type { Point, SweepManifest } from '../record/sweepState.ts';
import { progressLine } from './progress.ts';
import { runPoint, type RunPointOptions } from './runPoint.ts';
import { packsOf, runPack } from './runPack.ts';

export interface LocalOptions {
  jobs: number;
  /** Points per `eigenflow run` (`--pack K`, their members); 1: one run per point. */
  pack: number;
  retries: number;
  signal: AbortSignal;
  /** Redraw one progress line in place on `write` (a terminal), instead of logging a line per point. */
  interactive: boolean;
  log: (line: string) => void;
  /** Raw terminal output for the progress line. */
  write: (text: string) => void;
}

export async function runLocal(dir: string, m: SweepManifest, todo: Point[], o: LocalOptions): Promise<void> {
  const state = new Map(m.points.map((p) => [p.id, p.status]));
  const started = Date.now();
  let finishedHere = 0, next = 0, lastDraw = 0;
  const counts = () => {
    const all = [...state.values()];
    return { total: all.length, done: all.filter((s) => s === 'completed').length, running: all.filter((s) => s === 'running').length, failed: all.filter((s) => s !== 'completed' && isRunStatus(s)).length };
  };
  const draw = (force = false): void => {
    if (!o.interactive) return;
    if (!force && Date.now() - lastDraw < 500) return;
    lastDraw = Date.now();
    o.write(`\r\x1b[K${progressLine(counts(), finishedHere, Date.now() - started)}`);
  };
  const say = (line: string): void => {
    if (o.interactive) o.write('\r\x1b[K');
    o.log(line);
    draw(true);
  };
  const timer = o.interactive ? setInterval(() => draw(true), 1000) : null;
  const packs = packsOf(todo, o.pack);
  const slots = Math.max(1, Math.min(o.jobs, packs.length));
  const worker = async (): Promise<void> => {
    while (next < packs.length && !o.signal.aborted) {
      const pack = packs[next++]!;
      const opts: RunPointOptions = {
        retries: o.retries, signal: o.signal, memberThreads: Math.max(1, Math.floor(availableParallelism() / slots)),
        onState: (q, retrying) => {
          state.set(q.id, retrying ? 'running' : q.status);
          if (q.status === 'running') { draw(true); return; }
          if (!retrying) finishedHere++;
          const line = `[${q.id + 1}/${m.points.length}] ${pointLabel(q.overrides)}${q.seed === null ? '' : ` seed=${q.seed}`}: ${q.status}${retrying ? ` (attempt ${q.attempts}, retrying)` : ''}${q.error ? ` — ${q.error}` : ''}`;
          if (o.interactive) say(line); else o.log(`${line} · ${progressLine(counts(), finishedHere, Date.now() - started)}`);
        },
      };
      if (o.pack > 1) await runPack(dir, m, pack, opts); else await runPoint(dir, m, pack[0]!, opts);
    }
  };
  try {
    draw(true);
    await Promise.all(Array.from({ length: slots }, worker));
  } finally {
    if (timer) clearInterval(timer);
    if (o.interactive) o.write(`\r\x1b[K${progressLine(counts(), finishedHere, Date.now() - started)}\n`);
  }
}
