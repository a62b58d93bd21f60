/**
 * `--dashboard [PORT]` for `eigenflow run` and `eigenflow sweep`: serve the live page on 127.0.0.1
 * while the run or sweep goes. Without a PORT it tries 8765 (a stable URL to keep a tab on) and
 * falls back to a free port. When it ends: on a terminal it keeps serving the final state until
 * Ctrl-C; otherwise (scripts, CI) it closes at once — a page already open keeps showing the final
 * state either way.
 */
import { metricSpecOf } from '../graph/declarations.ts';
import type { GraphSpec } from '../graph/spec.ts';
import { sweepDashboard } from '../serve/sweepDashboard.ts';
import { dashboardSink, type DashboardSink } from '../sinks/dashboard.ts';
import { UsageError } from './args.ts';
import { untilInterrupted, type CliIo } from './io.ts';

export const DEFAULT_DASHBOARD_PORT = 8765;

/** Take `--dashboard`, `--dashboard PORT` or `--dashboard=PORT` out of argv (the generic parser has no optional values). */
export function takeDashboard(argv: string[]): { argv: string[]; port: number | null | undefined } {
  const out: string[] = [];
  let port: number | null | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a !== '--dashboard' && !a.startsWith('--dashboard=')) { out.push(a); continue; }
    const text = a.startsWith('--dashboard=') ? a.slice(12) : /^\d+$/.test(argv[i + 1] ?? '') ? argv[++i]! : null;
    if (text === null) { port = null; continue; }
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`--dashboard takes a port number 0–65535 but got '${text}'`);
    port = n;
  }
  return { argv: out, port };
}

/** Listen on `port`, or (`port` null) on the default port, else a free one; print the URL. */
async function listen<T extends { url: string }>(port: number | null, io: CliIo, open: (port: number) => Promise<T>): Promise<T> {
  let served: T;
  try {
    served = await open(port ?? DEFAULT_DASHBOARD_PORT);
  } catch (e) {
    if (port !== null || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new Error(`--dashboard: cannot listen on 127.0.0.1:${port ?? DEFAULT_DASHBOARD_PORT} (${(e as Error).message})`);
    served = await open(0);
  }
  io.err(`dashboard: ${served.url}\n`);
  return served;
}

/** The live page of a run. */
export function openDashboard(spec: GraphSpec, port: number | null, io: CliIo): Promise<DashboardSink> {
  const opts = { graph: spec.name, plots: spec.plots, kindOf: (node: string, name: string) => metricSpecOf(spec, node, name)?.kind, linger: io.isTTY ? Infinity : 0 };
  return listen(port, io, (p) => dashboardSink({ ...opts, port: p }));
}

/** The live page of the sweep in `dir`. */
export function openSweepDashboard(dir: string, port: number | null, io: CliIo): ReturnType<typeof sweepDashboard> {
  return listen(port, io, (p) => sweepDashboard(dir, { port: p }));
}

/** After the run or sweep: keep serving until Ctrl-C if on a terminal (not after a cancel), then close. */
export async function lingerDashboard(dash: { url: string; done: Promise<void>; stop(): Promise<void> }, status: string, io: CliIo): Promise<void> {
  if (!io.isTTY || status === 'cancelled') return dash.stop();
  io.err(`dashboard: ended ${status}; still serving ${dash.url} — Ctrl-C to exit\n`);
  await untilInterrupted(io, dash.done);
  await dash.stop();
}
