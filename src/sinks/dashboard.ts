/**
 * The live dashboard sink: shows a run in a browser while it trains, through the app server
 * (src/serve: `GET /` the app, `GET /state` the snapshot, `GET /events` a `state` snapshot on
 * connect, then `delta` batches — new points, spectra, one-off values, progress, log lines —
 * every `flushMs`, and a final `state` when the run ends).
 *
 * `write` is cheap (a map lookup and two array pushes): nothing is serialised per event. Each
 * stepped scalar keeps at most `maxPoints` points: when full, every other point is dropped and from
 * then on only every `stride`-th event is kept (the latest value is always kept apart), so memory is
 * bounded however long the run. A client that cannot keep up is skipped until its socket drains,
 * then sent a fresh snapshot.
 *
 * After the run ends the server keeps serving the final state for `linger` ms (Infinity: until
 * `stop()`), then closes every connection; `done` resolves once it has closed.
 *
 * ```ts
 * const dash = await dashboardSink({ graph: spec.name, port: 0, linger: 0 });
 * console.log(dash.url);
 * await runGraph(spec, { sinks: [dash] });
 * await dash.done;
 * ```
 */
import type { PlotSpec } from '../graph/spec.ts';
import type { MetricKind } from '../node.ts';
import { metricKindOf, type KindLookup } from '../plot/metricKind.ts';
import type { ManifestStatus, MetricEvent, Progress } from '../record/events.ts';
import type { ArrayState, LogLine, MembersSummary, RunDelta, RunState } from '../serve/protocol.ts';
import { ThinnedSeries } from '../record/thinning.ts';
import { serveApp } from '../serve/server.ts';
import type { Sink, SinkClose } from './sink.ts';

export interface DashboardOptions {
  /** Graph name shown on the page. */
  graph?: string;
  /** The graph's declared plots: their `logY` choices become the page's defaults. */
  plots?: readonly PlotSpec[];
  /**
   * The declared kind of a metric (`metricSpecOf(spec, node, name)?.kind`), so arrays are drawn as
   * what they are: `array` log-log against rank, `series` against its index from 0, `matrix` as a
   * heatmap. Without it (or for an undeclared metric) an array is guessed to be a spectrum.
   */
  kindOf?: KindLookup;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** How long to keep serving the final state after the run ends, in ms; default 0, Infinity = until `stop()`. */
  linger?: number;
  /** Most points kept per stepped series (default 2000). */
  maxPoints?: number;
  /** SSE batching interval in ms (default 100). */
  flushMs?: number;
  /** Log lines kept (default 200). */
  maxLogs?: number;
}

export interface DashboardSink extends Sink {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  /** Resolves when the server has closed (after the run ended and `linger` passed, or `stop()`). */
  readonly done: Promise<void>;
  /** Close the server now. */
  stop(): Promise<void>;
  /** The members' mean and band per metric so far (a batched run); the page draws them like a sweep's bands. */
  members(summary: MembersSummary): void;
}

export type DashboardStatus = ManifestStatus;

/** The snapshot served at `/state` and as the first SSE message (see src/serve/protocol.ts). */
export type DashboardState = RunState;

interface Series {
  ref: string;
  data: ThinnedSeries<number>;
  /** Points [0, sent) have been broadcast; `reset` means the array was thinned since. */
  sent: number;
  reset: boolean;
  dirty: boolean;
}

interface ProgressState { node: string; step: number; total: number | null; rate: number; t0: number; tEnd: number | null; tPrev: number; sPrev: number }

export async function dashboardSink(opts: DashboardOptions = {}): Promise<DashboardSink> {
  const maxPoints = Math.max(4, opts.maxPoints ?? 2000);
  const flushMs = opts.flushMs ?? 100;
  const maxLogs = opts.maxLogs ?? 200;
  const linger = opts.linger ?? 0;
  const graphName = opts.graph ?? 'run';
  const logY: Record<string, boolean> = {};
  for (const p of opts.plots ?? []) for (const ref of p.y ?? []) if (p.logY !== undefined) logY[ref] = p.logY;
  const plots = (opts.plots ?? []).filter((p) => p.y?.length).map((p) => ({ title: p.title ?? p.y!.join(', '), y: [...p.y!], logY: p.logY ?? null }));
  const cols = new Map((opts.plots ?? []).flatMap((p) => (p.heatmap && p.cols ? [[p.heatmap, p.cols] as const] : [])));

  // ---- state ---------------------------------------------------------------------------------
  const byNode = new Map<string, Map<string, Series>>();
  const dirty: Series[] = [];
  const spectra = new Map<string, ArrayState>();
  const dirtySpectra = new Set<string>();
  const scalars = new Map<string, number>();
  const dirtyScalars = new Set<string>();
  const progress = new Map<string, ProgressState>();
  const dirtyProgress = new Set<string>();
  const logs: LogLine[] = [];
  let newLogs: LogLine[] = [];
  let members: MembersSummary | undefined;
  let membersDirty = false;
  let status: DashboardStatus = 'running';
  let error: string | null = null;
  let outDir: string | null = null;
  const start = Date.now();
  let end: number | null = null;
  let events = 0;

  const series = (node: string, name: string): Series => {
    let names = byNode.get(node);
    if (!names) byNode.set(node, (names = new Map()));
    let s = names.get(name);
    if (!s) names.set(name, (s = { ref: `${node}.${name}`, data: new ThinnedSeries<number>(maxPoints), sent: 0, reset: false, dirty: false }));
    return s;
  };

  const snapshot = (): DashboardState => {
    const now = Date.now();
    const out: DashboardState = {
      source: 'run', graph: graphName, status, error, outDir, start, end, now, events, logY, plots,
      series: {}, spectra: Object.fromEntries(spectra), scalars: Object.fromEntries(scalars), progress: {}, logs, ...(members ? { members } : {}),
    };
    for (const names of byNode.values()) for (const s of names.values()) out.series[s.ref] = { steps: s.data.steps, values: s.data.values, last: s.data.last! };
    for (const p of progress.values()) out.progress[p.node] = { step: p.step, total: p.total, rate: p.rate, elapsed: ((p.tEnd ?? end ?? now) - p.t0) / 1000 };
    return out;
  };

  /** Collect everything that changed since the last flush into one `delta` message. */
  const flush = (): void => {
    const now = Date.now();
    for (const p of dirtyProgress.size ? progress.values() : []) {
      if (p.total !== null && p.step >= p.total) continue; // finished: keep its last rate
      const dt = (now - p.tPrev) / 1000;
      if (dt >= 0.25) {
        const r = (p.step - p.sPrev) / dt;
        p.rate = p.rate === 0 ? r : 0.6 * p.rate + 0.4 * r;
        p.tPrev = now; p.sPrev = p.step;
      }
    }
    if (!dirty.length && !dirtySpectra.size && !dirtyScalars.size && !dirtyProgress.size && !newLogs.length && !membersDirty) return;
    const delta: RunDelta = { events, now };
    if (dirty.length) {
      const d: NonNullable<RunDelta['series']> = {};
      for (const s of dirty) {
        const from = s.reset ? 0 : s.sent;
        d[s.ref] = { reset: s.reset, steps: s.data.steps.slice(from), values: s.data.values.slice(from), last: s.data.last! };
        s.sent = s.data.steps.length; s.reset = false; s.dirty = false;
      }
      dirty.length = 0;
      delta.series = d;
    }
    if (dirtySpectra.size) { delta.spectra = Object.fromEntries([...dirtySpectra].map((k) => [k, spectra.get(k)!])); dirtySpectra.clear(); }
    if (dirtyScalars.size) { delta.scalars = Object.fromEntries([...dirtyScalars].map((k) => [k, scalars.get(k)!])); dirtyScalars.clear(); }
    if (membersDirty) { delta.members = members; membersDirty = false; }
    if (dirtyProgress.size) {
      delta.progress = Object.fromEntries([...dirtyProgress].map((k) => {
        const p = progress.get(k)!;
        return [k, { step: p.step, total: p.total, rate: p.rate, elapsed: ((p.tEnd ?? now) - p.t0) / 1000 }];
      }));
      dirtyProgress.clear();
    }
    if (newLogs.length) { delta.logs = newLogs; newLogs = []; }
    server.broadcast('delta', delta);
  };

  let ticks = 0;
  const timer = setInterval(() => {
    flush();
    if (++ticks % Math.max(1, Math.round(15000 / flushMs)) === 0) server.ping();
  }, flushMs);
  timer.unref();

  const server = await serveApp({ port: opts.port ?? 0, title: graphName, snapshot, flush: () => flush() });

  let lingerTimer: NodeJS.Timeout | null = null;
  const stop = async (): Promise<void> => {
    if (lingerTimer) clearTimeout(lingerTimer);
    clearInterval(timer);
    flush();
    return server.stop();
  };

  return {
    name: 'dashboard',
    mode: 'sync',
    url: server.url,
    port: server.port,
    done: server.done,
    stop,
    members(summary: MembersSummary) { members = summary; membersDirty = true; },
    write(e: MetricEvent) {
      events++;
      const v = e.value;
      if (typeof v === 'number') {
        if (e.step === null) {
          const ref = `${e.node}.${e.name}`;
          scalars.set(ref, v); dirtyScalars.add(ref);
          return;
        }
        const s = series(e.node, e.name);
        if (s.data.push(e.step, v)) s.reset = true;
        if (!s.dirty) { s.dirty = true; dirty.push(s); }
      } else {
        const ref = `${e.node}.${e.name}`;
        const c = cols.get(ref);
        spectra.set(ref, { step: e.step, values: v, kind: spectra.get(ref)?.kind ?? metricKindOf(e.node, e.name, v, opts.kindOf), ...(c ? { cols: c } : {}) }); dirtySpectra.add(ref);
      }
    },
    progress(p: Progress) {
      let st = progress.get(p.node);
      const now = Date.now();
      if (!st) progress.set(p.node, (st = { node: p.node, step: p.step, total: p.total, rate: 0, t0: now, tEnd: null, tPrev: now, sPrev: p.step }));
      st.step = p.step; st.total = p.total;
      st.tEnd = p.total !== null && p.step >= p.total ? now : null;
      dirtyProgress.add(p.node);
    },
    log(node: string, message: string) {
      const line = { time: Date.now(), node, message };
      logs.push(line); newLogs.push(line);
      if (logs.length > maxLogs) logs.splice(0, logs.length - maxLogs);
      if (newLogs.length > maxLogs) newLogs.splice(0, newLogs.length - maxLogs);
    },
    close(info: SinkClose) {
      status = info.status; error = info.error; outDir = info.outDir; end = Date.now();
      flush();
      server.end();
      clearInterval(timer);
      if (linger === Infinity) return;
      if (linger <= 0) { void stop(); return; }
      lingerTimer = setTimeout(() => { void stop(); }, linger);
    },
  };
}
