/**
 * Sinks: where metric events go. A sink is a small object (`write`, optional `progress`, `log`,
 * `close`); user code may also pass a plain function or an RxJS Observer.
 *
 * Back-pressure policy: built-in sinks are `sync` — cheap, called inline, never dropping (file
 * sinks batch their writes). User sinks are `buffered`: each gets its own queue, drained after
 * the current slice of work; a `write` that returns a Promise is awaited before the next event,
 * so a slow sink never blocks training. A queue holds at most `capacity` events (default 10,000);
 * past that, events for that sink are dropped and counted, and the count lands in the manifest.
 * A sink that throws is reported once and detached; the run and the other sinks go on.
 */
import type { Observer } from 'rxjs';
import type { MetricEvent } from '../run/context.ts';
import type { Progress } from '../run/scheduler.ts';

export type RunStatus = 'completed' | 'failed' | 'cancelled' | 'diverged';

export interface SinkClose { status: RunStatus; error: string | null; outDir: string | null }

export interface Sink {
  name: string;
  mode?: 'sync' | 'buffered';
  /** Queue bound for buffered sinks. */
  capacity?: number;
  write(event: MetricEvent): void | Promise<void>;
  progress?(p: Progress): void;
  log?(node: string, message: string): void;
  close?(info: SinkClose): void | Promise<void>;
}

export type SinkLike = Sink | ((event: MetricEvent) => void | Promise<void>) | Partial<Observer<MetricEvent>>;

export function toSink(s: SinkLike, index: number): Sink {
  if (typeof s === 'function') return { name: s.name || `sink${index}`, mode: 'buffered', write: s };
  if ('write' in s && typeof s.write === 'function') return { mode: 'buffered', ...(s as Sink), name: (s as Sink).name ?? `sink${index}` };
  const o = s as Partial<Observer<MetricEvent>>;
  return {
    name: `observer${index}`,
    mode: 'buffered',
    write: (e) => o.next?.(e),
    close: (info) => (info.status === 'completed' ? o.complete?.() : o.error?.(new Error(info.error ?? info.status))),
  };
}

export interface SinkReport { dropped: Record<string, number>; errors: Record<string, string> }

/** Fans events out to sinks under the policy above. */
export class SinkSet {
  private readonly entries: { sink: Sink; queue: MetricEvent[]; head: number; dropped: number; failed: string | null; draining: Promise<void> | null }[];

  constructor(sinks: Sink[], private readonly onSinkError: (name: string, message: string) => void) {
    this.entries = sinks.map((sink) => ({ sink, queue: [], head: 0, dropped: 0, failed: null, draining: null }));
  }

  write(event: MetricEvent): void {
    for (const e of this.entries) {
      if (e.failed) continue;
      if (e.sink.mode !== 'buffered') { this.guard(e, () => e.sink.write(event)); continue; }
      if (e.queue.length - e.head >= (e.sink.capacity ?? 10_000)) { e.dropped++; continue; }
      e.queue.push(event);
      e.draining ??= this.drain(e);
    }
  }

  progress(p: Progress): void {
    for (const e of this.entries) if (!e.failed && e.sink.progress) this.guard(e, () => e.sink.progress!(p));
  }

  log(node: string, message: string): void {
    for (const e of this.entries) if (!e.failed && e.sink.log) this.guard(e, () => e.sink.log!(node, message));
  }

  /** Drain every queue, then close every sink (each even if another fails). */
  async close(info: SinkClose): Promise<SinkReport> {
    for (const e of this.entries) await e.draining;
    for (const e of this.entries) {
      if (e.failed || !e.sink.close) continue;
      try { await e.sink.close(info); } catch (err) { this.fail(e, err); }
    }
    const report: SinkReport = { dropped: {}, errors: {} };
    for (const e of this.entries) {
      if (e.dropped) report.dropped[e.sink.name] = e.dropped;
      if (e.failed) report.errors[e.sink.name] = e.failed;
    }
    return report;
  }

  private async drain(e: (typeof this.entries)[number]): Promise<void> {
    await Promise.resolve(); // let the current synchronous slice finish first
    while (e.head < e.queue.length && !e.failed) {
      const event = e.queue[e.head++]!;
      try {
        const r = e.sink.write(event);
        if (r && typeof (r as Promise<void>).then === 'function') await r;
      } catch (err) { this.fail(e, err); }
    }
    e.queue = []; e.head = 0; e.draining = null;
  }

  private guard(e: (typeof this.entries)[number], fn: () => unknown): void {
    try {
      const r = fn();
      if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).catch((err) => this.fail(e, err));
    } catch (err) { this.fail(e, err); }
  }

  private fail(e: (typeof this.entries)[number], err: unknown): void {
    if (e.failed) return;
    e.failed = err instanceof Error ? err.message : String(err);
    this.onSinkError(e.sink.name, e.failed);
  }
}
