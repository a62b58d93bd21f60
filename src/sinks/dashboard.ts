/**
 * The live dashboard sink: a small HTTP server on 127.0.0.1 that shows a run in a browser while it
 * trains.
 *
 *  - `GET /`        one self-contained HTML page (inline CSS and JS, no external assets);
 *  - `GET /events`  Server-Sent Events: a full `state` snapshot on connect, then `delta` batches
 *                   (new points, spectra, one-off values, progress, log lines) every `flushMs`,
 *                   and a final `state` when the run ends;
 *  - `GET /state`   the same snapshot as JSON (graph name, status, every series so far).
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
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlotSpec } from '../graph/spec.ts';
import type { MetricKind } from '../node.ts';
import { metricKindOf, type KindLookup } from '../plot/metricKind.ts';
import type { MetricEvent } from '../run/context.ts';
import type { Progress } from '../run/scheduler.ts';
import { dashboardPage } from './dashboardPage.ts';
import type { ManifestStatus } from '../record/events.ts';
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
}

export type DashboardStatus = ManifestStatus;

interface Series {
  ref: string;
  steps: number[];
  values: number[];
  stride: number;
  count: number;
  lastStep: number;
  lastValue: number;
  /** Points [0, sent) have been broadcast; `reset` means the array was thinned since. */
  sent: number;
  reset: boolean;
  dirty: boolean;
}

interface ProgressState { node: string; step: number; total: number | null; rate: number; t0: number; tEnd: number | null; tPrev: number; sPrev: number }

interface Client { res: ServerResponse; stale: boolean; skipped: boolean }

/** The snapshot served at `/state` and as the first SSE message. */
export interface DashboardState {
  graph: string;
  status: DashboardStatus;
  error: string | null;
  outDir: string | null;
  start: number;
  end: number | null;
  /** Server clock when the snapshot was taken (the page corrects its own clock by it). */
  now: number;
  events: number;
  logY: Record<string, boolean>;
  /** The graph's declared line plots (several series each), shown first. */
  plots: { title: string; y: string[]; logY: boolean | null }[];
  series: Record<string, { steps: number[]; values: number[]; last: [number, number] }>;
  /** Array-valued metrics (latest value) with the kind they are drawn as. */
  spectra: Record<string, { step: number | null; values: number[]; kind: MetricKind }>;
  scalars: Record<string, number>;
  progress: Record<string, { step: number; total: number | null; rate: number; elapsed: number }>;
  logs: { time: number; node: string; message: string }[];
}

/** True for a Host header naming this loopback server: 127.0.0.1 or localhost, with this port or none. */
export function loopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const m = /^(127\.0\.0\.1|localhost|\[::1\])(?::(\d+))?$/i.exec(host.trim());
  return m !== null && (m[2] === undefined || Number(m[2]) === port);
}

/** JSON with NaN/±Inf as strings (JSON.stringify would turn them into null). */
const toJson = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

export async function dashboardSink(opts: DashboardOptions = {}): Promise<DashboardSink> {
  const maxPoints = Math.max(4, opts.maxPoints ?? 2000);
  const flushMs = opts.flushMs ?? 100;
  const maxLogs = opts.maxLogs ?? 200;
  const linger = opts.linger ?? 0;
  const graphName = opts.graph ?? 'run';
  const logY: Record<string, boolean> = {};
  for (const p of opts.plots ?? []) for (const ref of p.y ?? []) if (p.logY !== undefined) logY[ref] = p.logY;
  const plots = (opts.plots ?? []).filter((p) => p.y?.length).map((p) => ({ title: p.title ?? p.y!.join(', '), y: [...p.y!], logY: p.logY ?? null }));

  // ---- state ---------------------------------------------------------------------------------
  const byNode = new Map<string, Map<string, Series>>();
  const dirty: Series[] = [];
  const spectra = new Map<string, { step: number | null; values: number[]; kind: MetricKind }>();
  const dirtySpectra = new Set<string>();
  const scalars = new Map<string, number>();
  const dirtyScalars = new Set<string>();
  const progress = new Map<string, ProgressState>();
  const dirtyProgress = new Set<string>();
  const logs: DashboardState['logs'] = [];
  let newLogs: DashboardState['logs'] = [];
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
    if (!s) names.set(name, (s = { ref: `${node}.${name}`, steps: [], values: [], stride: 1, count: 0, lastStep: 0, lastValue: NaN, sent: 0, reset: false, dirty: false }));
    return s;
  };

  const halve = (s: Series): void => {
    let j = 0;
    for (let i = 0; i < s.steps.length; i += 2, j++) { s.steps[j] = s.steps[i]!; s.values[j] = s.values[i]!; }
    s.steps.length = j; s.values.length = j;
    s.stride *= 2;
    s.reset = true;
  };

  const snapshot = (): DashboardState => {
    const now = Date.now();
    const out: DashboardState = {
      graph: graphName, status, error, outDir, start, end, now, events, logY, plots,
      series: {}, spectra: Object.fromEntries(spectra), scalars: Object.fromEntries(scalars), progress: {}, logs,
    };
    for (const names of byNode.values()) for (const s of names.values()) out.series[s.ref] = { steps: s.steps, values: s.values, last: [s.lastStep, s.lastValue] };
    for (const p of progress.values()) out.progress[p.node] = { step: p.step, total: p.total, rate: p.rate, elapsed: ((p.tEnd ?? end ?? now) - p.t0) / 1000 };
    return out;
  };

  // ---- SSE -----------------------------------------------------------------------------------
  const clients = new Set<Client>();
  /** Write to one client; while its socket is backed up, skip messages and send a fresh snapshot once it drains. */
  const send = (c: Client, text: string): void => {
    if (c.res.writableEnded) return;
    if (c.stale) { c.skipped = true; return; }
    if (!c.res.write(text)) {
      c.stale = true;
      c.res.once('drain', () => {
        c.stale = false;
        if (c.skipped) { c.skipped = false; send(c, `event: state\ndata: ${toJson(snapshot())}\n\n`); }
      });
    }
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
    if (!dirty.length && !dirtySpectra.size && !dirtyScalars.size && !dirtyProgress.size && !newLogs.length) return;
    const delta: Record<string, unknown> = { events, now };
    if (dirty.length) {
      const d: Record<string, { reset: boolean; steps: number[]; values: number[]; last: [number, number] }> = {};
      for (const s of dirty) {
        const from = s.reset ? 0 : s.sent;
        d[s.ref] = { reset: s.reset, steps: s.steps.slice(from), values: s.values.slice(from), last: [s.lastStep, s.lastValue] };
        s.sent = s.steps.length; s.reset = false; s.dirty = false;
      }
      dirty.length = 0;
      delta.series = d;
    }
    if (dirtySpectra.size) { delta.spectra = Object.fromEntries([...dirtySpectra].map((k) => [k, spectra.get(k)])); dirtySpectra.clear(); }
    if (dirtyScalars.size) { delta.scalars = Object.fromEntries([...dirtyScalars].map((k) => [k, scalars.get(k)])); dirtyScalars.clear(); }
    if (dirtyProgress.size) {
      delta.progress = Object.fromEntries([...dirtyProgress].map((k) => {
        const p = progress.get(k)!;
        return [k, { step: p.step, total: p.total, rate: p.rate, elapsed: ((p.tEnd ?? now) - p.t0) / 1000 }];
      }));
      dirtyProgress.clear();
    }
    if (newLogs.length) { delta.logs = newLogs; newLogs = []; }
    if (!clients.size) return;
    const text = `event: delta\ndata: ${toJson(delta)}\n\n`;
    for (const c of clients) send(c, text);
  };

  let ticks = 0;
  const timer = setInterval(() => {
    flush();
    if (++ticks % Math.max(1, Math.round(15000 / flushMs)) === 0) for (const c of clients) send(c, ': ping\n\n');
  }, flushMs);
  timer.unref();

  // ---- HTTP ----------------------------------------------------------------------------------
  const page = dashboardPage(graphName);
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // DNS rebinding: a page on another origin that resolves its own name to 127.0.0.1 sends its own Host.
    if (!loopbackHost(req.headers.host, port)) { res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: Host must be 127.0.0.1 or localhost\n'); return; }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET' }).end(); return; }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    } else if (path === '/state') {
      flush();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(toJson(snapshot()));
    } else if (path === '/events') {
      flush(); // so the snapshot and the deltas that follow do not overlap
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const c: Client = { res, stale: false, skipped: false };
      send(c, `retry: 2000\nevent: state\ndata: ${toJson(snapshot())}\n\n`);
      if (end !== null) { res.end(); return; }
      clients.add(c);
      req.on('close', () => clients.delete(c));
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  };
  let port = 0;
  const server = createServer(handle);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolveListen(); });
  });
  port = (server.address() as AddressInfo).port;

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  let lingerTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return done;
    stopped = true;
    if (lingerTimer) clearTimeout(lingerTimer);
    clearInterval(timer);
    flush();
    for (const c of clients) c.res.end();
    clients.clear();
    server.close(() => resolveDone());
    server.closeIdleConnections();
    // Responses just ended get a moment to reach the client before their sockets are cut.
    setTimeout(() => server.closeAllConnections(), 500).unref();
    return done;
  };

  return {
    name: 'dashboard',
    mode: 'sync',
    url: `http://127.0.0.1:${port}/`,
    port,
    done,
    stop,
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
        if (s.count++ % s.stride === 0) {
          s.steps.push(e.step); s.values.push(v);
          if (s.steps.length > maxPoints) halve(s);
        }
        s.lastStep = e.step; s.lastValue = v;
        if (!s.dirty) { s.dirty = true; dirty.push(s); }
      } else {
        const ref = `${e.node}.${e.name}`;
        spectra.set(ref, { step: e.step, values: v, kind: spectra.get(ref)?.kind ?? metricKindOf(e.node, e.name, v, opts.kindOf) }); dirtySpectra.add(ref);
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
      const text = `event: state\ndata: ${toJson(snapshot())}\n\n`;
      for (const c of clients) { if (!c.res.writableEnded) c.res.end(text); }
      clients.clear();
      clearInterval(timer);
      if (linger === Infinity) return;
      if (linger <= 0) { void stop(); return; }
      lingerTimer = setTimeout(() => { void stop(); }, linger);
    },
  };
}
