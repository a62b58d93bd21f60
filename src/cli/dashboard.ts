/**
 * `--dashboard [PORT]` for `eigenflow run`: serve the live dashboard on 127.0.0.1 while the run goes.
 * Without a PORT it tries 8765 (a stable URL to keep a tab on) and falls back to a free port.
 * When the run ends: on a terminal it keeps serving the final state until Ctrl-C; otherwise
 * (scripts, CI) it closes at once — a page already open keeps showing the final state either way.
 */
import { metricSpecOf } from '../graph/declarations.ts';
import type { GraphSpec } from '../graph/spec.ts';
import type { RunStatus } from '../record/events.ts';
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

/** Start the server (`port` null: the default port, else a free one) and print its URL. */
export async function openDashboard(spec: GraphSpec, port: number | null, io: CliIo): Promise<DashboardSink> {
  const opts = { graph: spec.name, plots: spec.plots, kindOf: (node: string, name: string) => metricSpecOf(spec, node, name)?.kind, linger: io.isTTY ? Infinity : 0 };
  let dash: DashboardSink;
  try {
    dash = await dashboardSink({ ...opts, port: port ?? DEFAULT_DASHBOARD_PORT });
  } catch (e) {
    if (port !== null || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new Error(`--dashboard: cannot listen on 127.0.0.1:${port ?? DEFAULT_DASHBOARD_PORT} (${(e as Error).message})`);
    dash = await dashboardSink({ ...opts, port: 0 });
  }
  io.err(`dashboard: ${dash.url}\n`);
  return dash;
}

/** After the run: keep serving until Ctrl-C if the dashboard lingers (not after a cancel), then close. */
export async function lingerDashboard(dash: DashboardSink, status: RunStatus, io: CliIo): Promise<void> {
  if (!io.isTTY || status === 'cancelled') return dash.stop();
  io.err(`dashboard: run ${status}; still serving ${dash.url} — Ctrl-C to exit\n`);
  await untilInterrupted(io, dash.done);
  await dash.stop();
}
