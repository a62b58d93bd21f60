import { closeSync, openSync, writeSync } from 'node:fs';
import type { MetricEvent } from '../run/context.ts';
import type { Sink } from './sink.ts';

/** Lines are batched and written synchronously: at 64 KiB, every second, and on close. */
export function fileSink(name: string, path: string, header: string | null, format: (e: MetricEvent) => string): Sink {
  const fd = openSync(path, 'w');
  let buffer: string[] = header ? [header] : [];
  let size = 0;
  const flush = (): void => {
    if (buffer.length) writeSync(fd, buffer.join(''));
    buffer = []; size = 0;
  };
  // A crash loses at most the last second; the timer never keeps the process alive.
  const timer = setInterval(flush, 1000);
  timer.unref();
  return {
    name,
    mode: 'sync',
    write(e) {
      const line = format(e);
      buffer.push(line);
      size += line.length;
      if (size >= 65536) flush();
    },
    close() {
      clearInterval(timer);
      flush();
      closeSync(fd);
    },
  };
}

/** `metrics.jsonl`: one event per line (NaN and ±Inf are written as null). */
export function jsonlSink(path: string): Sink {
  return fileSink('jsonl', path, null, (e) => `${JSON.stringify({ node: e.node, name: e.name, step: e.step, value: e.value, time: e.time })}\n`);
}

/** `metrics.csv`: scalar events only (spectra stay in the JSONL). */
export function csvSink(path: string): Sink {
  const quote = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return fileSink('csv', path, 'node,name,step,value,time\n', (e) =>
    typeof e.value === 'number' ? `${quote(e.node)},${quote(e.name)},${e.step ?? ''},${e.value},${e.time}\n` : '');
}
