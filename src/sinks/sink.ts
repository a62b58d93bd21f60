/**
 * Sinks: where metric events go. A sink is a small object (`write`, optional `open`, `progress`,
 * `log`, `close`); user code may also pass a plain function or an RxJS Observer.
 *
 * Roles. A `record` sink keeps the run's record (`metrics.jsonl`, `metrics.csv`): if it cannot
 * write, the run ends `failed` with its message, and it is closed before the final manifest is
 * written. Every other sink is a `view` (plots, console, dashboard, user code, the default): if it
 * throws, or a `write`/`close` does not settle within the timeout, it is reported once and
 * detached, the run goes on, and it is closed after the final manifest — so no view can lose or
 * delay the run's ending.
 *
 * Back-pressure policy: built-in sinks are `sync` — cheap, called inline, never dropping (file
 * sinks batch their writes). User sinks are `buffered`: each gets its own queue, drained after
 * the current slice of work; a `write` that returns a Promise is awaited before the next event,
 * so a slow sink never blocks training — as long as it is slow asynchronously: a `write` that
 * computes synchronously holds the one JavaScript thread, which nothing can take back, so it is
 * named in a warning (`onBlock`). A queue holds at most `capacity` events (default 10,000);
 * past that, events for that sink are dropped and counted, and the count lands in the manifest.
 *
 * Events are frozen before any sink sees them: a sink cannot change what the others (or the
 * divergence check) see.
 */
import type { Observer } from 'rxjs';
import type { MetricEvent, Progress, RunStatus } from '../record/events.ts';


export interface SinkClose { status: RunStatus; error: string | null; outDir: string | null }

export interface Sink {
  name: string;
  mode?: 'sync' | 'buffered';
  /** `record`: its failure fails the run; closed before the final manifest. Default `view`. */
  role?: 'record' | 'view';
  /** Queue bound for buffered sinks. */
  capacity?: number;
  /** Called once before the first event, after the run has claimed its output directory. */
  open?(): void;
  write(event: MetricEvent): void | Promise<void>;
  progress?(p: Progress): void;
  log?(node: string, message: string): void;
  close?(info: SinkClose): void | Promise<void>;
}

export type SinkLike = Sink | ((event: MetricEvent) => void | Promise<void>) | Partial<Observer<MetricEvent>>;

export function toSink(s: SinkLike, index: number): Sink {
  if (typeof s === 'function') return { name: s.name || `sink${index}`, mode: 'buffered', write: s };
  if ('write' in s && typeof s.write === 'function') {
    const sink = s as Sink;
    // Keep the object itself (its methods may rely on `this`); only fill in the defaults.
    return Object.assign(Object.create(sink) as Sink, { name: sink.name ?? `sink${index}`, mode: sink.mode ?? 'buffered' });
  }
  const o = s as Partial<Observer<MetricEvent>>;
  return {
    name: `observer${index}`,
    mode: 'buffered',
    write: (e) => o.next?.(e),
    close: (info) => (info.status === 'completed' ? o.complete?.() : o.error?.(new Error(info.error ?? info.status))),
  };
}

export interface SinkReport { dropped: Record<string, number>; errors: Record<string, string> }

/** Deep-freeze an event (and its array value) so no sink can change it; returns it. */
export function freezeEvent(e: MetricEvent): MetricEvent {
  if (Array.isArray(e.value)) Object.freeze(e.value);
  return Object.freeze(e);
}

/** The default time a user sink's `write` or `close` may take before it is detached. */
export const DEFAULT_SINK_TIMEOUT_MS = 5000;

export interface SinkSetOptions {
  /** How long a `write`/`close` may stay unsettled before the sink is detached (ms). */
  timeoutMs?: number;
  /** A sink failed and was detached (reported once per sink). */
  onError(name: string, message: string, role: 'record' | 'view'): void;
  /**
   * A buffered sink's `write` held the thread (synchronous work, not an awaited Promise) for
   * `ms` ≥ `blockWarnMs` (default 100): reported once per sink. The run cannot take the thread
   * back from synchronous code; it can only name the sink.
   */
  onBlock?(name: string, ms: number): void;
  blockWarnMs?: number;
}

const TIMED_OUT = Symbol('timed out');

/** Resolve to the promise's value, or to TIMED_OUT after `ms`; a rejection is re-thrown. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => { timer = setTimeout(resolve, ms, TIMED_OUT); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const isPromise = (r: unknown): r is Promise<unknown> => r !== null && typeof r === 'object' && typeof (r as Promise<unknown>).then === 'function';

type Entry = { sink: Sink; role: 'record' | 'view'; queue: MetricEvent[]; head: number; dropped: number; failed: string | null; draining: Promise<void> | null; closed: boolean; blocked: boolean };

/** Fans events out to sinks under the policy above. */
export class SinkSet {
  private readonly entries: Entry[];
  private readonly timeoutMs: number;

  constructor(sinks: Sink[], private readonly opts: SinkSetOptions) {
    this.entries = sinks.map((sink) => ({ sink, role: sink.role ?? 'view', queue: [], head: 0, dropped: 0, failed: null, draining: null, closed: false, blocked: false }));
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_SINK_TIMEOUT_MS;
  }

  /** Call every sink's `open`; a record sink that cannot open throws (the run cannot keep its record). */
  open(): void {
    for (const e of this.entries) {
      if (!e.sink.open) continue;
      try { e.sink.open(); } catch (err) {
        if (e.role === 'record') throw err;
        this.fail(e, err);
      }
    }
  }

  write(event: MetricEvent): void {
    freezeEvent(event);
    for (const e of this.entries) {
      if (e.failed) continue;
      if (e.sink.mode !== 'buffered') { this.guard(e, () => e.sink.write(event)); continue; }
      if (e.queue.length - e.head >= (e.sink.capacity ?? 10_000)) { e.dropped++; continue; }
      e.queue.push(event);
      e.draining ??= this.drain(e);
    }
  }

  progress(p: Progress): void {
    const frozen = Object.freeze({ ...p });
    for (const e of this.entries) if (!e.failed && e.sink.progress) this.guard(e, () => e.sink.progress!(frozen));
  }

  log(node: string, message: string): void {
    for (const e of this.entries) if (!e.failed && e.sink.log) this.guard(e, () => e.sink.log!(node, message));
  }

  /** Drain and close the sinks of one role (each even if another fails); every step is timed out. */
  async closeRole(role: 'record' | 'view', info: SinkClose): Promise<void> {
    const mine = this.entries.filter((e) => e.role === role && !e.closed);
    for (const e of mine) {
      if (e.draining && (await within(e.draining, this.timeoutMs)) === TIMED_OUT) this.fail(e, new Error(`its queue did not drain within ${this.timeoutMs} ms`));
    }
    for (const e of mine) {
      e.closed = true;
      if (e.failed || !e.sink.close) continue;
      try {
        const r = e.sink.close(info);
        if (isPromise(r) && (await within(r, this.timeoutMs)) === TIMED_OUT) this.fail(e, new Error(`close() did not settle within ${this.timeoutMs} ms`));
      } catch (err) { this.fail(e, err); }
    }
  }

  /** Close record sinks, then views. */
  async close(info: SinkClose): Promise<SinkReport> {
    await this.closeRole('record', info);
    await this.closeRole('view', info);
    return this.report();
  }

  report(): SinkReport {
    const report: SinkReport = { dropped: {}, errors: {} };
    for (const e of this.entries) {
      if (e.dropped) report.dropped[e.sink.name] = e.dropped;
      if (e.failed) report.errors[e.sink.name] = e.failed;
    }
    return report;
  }

  private async drain(e: Entry): Promise<void> {
    await Promise.resolve(); // let the current synchronous slice finish first
    while (e.head < e.queue.length && !e.failed) {
      const event = e.queue[e.head]!;
      e.queue[e.head++] = undefined as unknown as MetricEvent; // let it go
      try {
        const t0 = performance.now();
        const r = e.sink.write(event);
        const held = performance.now() - t0;
        if (held >= (this.opts.blockWarnMs ?? 100) && !e.blocked) { e.blocked = true; this.opts.onBlock?.(e.sink.name, held); }
        if (isPromise(r) && (await within(r, this.timeoutMs)) === TIMED_OUT) this.fail(e, new Error(`write() did not settle within ${this.timeoutMs} ms`));
      } catch (err) { this.fail(e, err); }
    }
    e.queue = []; e.head = 0; e.draining = null;
  }

  private guard(e: Entry, fn: () => unknown): void {
    try {
      const r = fn();
      if (isPromise(r)) r.then(undefined, (err: unknown) => this.fail(e, err));
    } catch (err) { this.fail(e, err); }
  }

  private fail(e: Entry, err: unknown): void {
    if (e.failed) return;
    e.failed = err instanceof Error ? err.message : String(err);
    this.opts.onError(e.sink.name, e.failed, e.role);
  }
}
