/**
 * A sweep, live, through the app server: the sweep directory is read every `pollMs` (its state
 * files, and the metrics of points that ended), and every client gets a fresh snapshot whenever
 * a point changes state — so the summary table and the bands fill in as points finish.
 */
import { basename, resolve } from 'node:path';
import { isRunStatus } from '../record/events.ts';
import { loadSweep } from '../record/sweepState.ts';
import { readSweepSummary } from '../view/sweepData.ts';
import type { SweepLiveState } from './protocol.ts';
import { serveApp } from './server.ts';

export interface SweepDashboard {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  /** Resolves once the server has closed. */
  readonly done: Promise<void>;
  /** The sweep has ended (`status` of the whole sweep): send the final snapshot, close the streams; the page stays served. */
  finish(status: SweepLiveState['status']): void;
  /** Close the server now. */
  stop(): Promise<void>;
}

export async function sweepDashboard(dirIn: string, opts: { port: number; pollMs?: number }): Promise<SweepDashboard> {
  const dir = resolve(dirIn);
  const start = Date.now();
  let end: number | null = null;
  let status: SweepLiveState['status'] = 'running';

  const counts = (): SweepLiveState['counts'] => {
    const points = loadSweep(dir).points;
    const count = (pred: (s: string) => boolean): number => points.filter((p) => pred(p.status)).length;
    return {
      total: points.length, completed: count((s) => s === 'completed'), running: count((s) => s === 'running'),
      failed: count((s) => s !== 'completed' && isRunStatus(s)), pending: count((s) => s === 'pending'),
    };
  };
  // The summary reads the ended points' metrics: only redone when a point changed state.
  const read = (c = counts()): SweepLiveState => ({ source: 'sweep', title: `sweep ${basename(dir)}`, status, start, end, now: Date.now(), counts: c, sweep: readSweepSummary(dir) });
  let state = read();
  const server = await serveApp({ port: opts.port, title: state.title, snapshot: () => ({ ...state, now: Date.now() }) });
  const timer = setInterval(() => {
    const c = counts();
    if (JSON.stringify(c) === JSON.stringify(state.counts)) return;
    state = read(c);
    server.broadcast('state', state);
  }, opts.pollMs ?? 1000);
  timer.unref();
  return {
    url: server.url,
    port: server.port,
    done: server.done,
    finish(final) {
      clearInterval(timer);
      status = final;
      end = Date.now();
      state = read();
      server.end();
    },
    async stop() {
      clearInterval(timer);
      return server.stop();
    },
  };
}
