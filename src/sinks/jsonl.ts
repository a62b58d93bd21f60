/**
 * File sinks for the run's record: `metrics.jsonl` and `metrics.csv`.
 *
 * Lines are batched and written synchronously — at 64 KiB, every second, and on close — and only
 * whole lines ever stay in the file: if a write fails part-way (a full disk), the file is cut back
 * to the end of the last whole line. A write failure (ENOSPC, EACCES, EROFS, EIO …) stops the
 * sink for good — its timer is cleared, nothing is retried — and the run ends `failed` with one
 * line naming the file.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { MetricEvent } from '../record/events.ts';
import type { Sink } from './sink.ts';

/** The file operations a file sink uses; tests inject failing ones. */
export interface FileIo {
  open(path: string): number;
  /** Write from `offset` of `data`; returns bytes written (may be fewer than asked). */
  write(fd: number, data: Buffer, offset: number): number;
  truncate(fd: number, length: number): void;
  close(fd: number): void;
}

export const nodeFileIo: FileIo = {
  open: (path) => openSync(path, 'w'),
  write: (fd, data, offset) => writeSync(fd, data, offset),
  truncate: (fd, length) => ftruncateSync(fd, length),
  close: (fd) => closeSync(fd),
};

const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  ENOENT: 'the directory no longer exists',
  ENOTDIR: 'a parent of it is not a directory',
  EISDIR: 'it is a directory',
};

/** `cannot write metrics.jsonl: no space left on the device (ENOSPC)` — one line, no stack. */
export function fileErrorMessage(verb: string, path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const reason = code ? `${REASONS[code] ?? (err as Error).message.split('\n')[0]} (${code})` : String((err as Error)?.message ?? err).split('\n')[0];
  return `cannot ${verb} ${path}: ${reason}`;
}

export class FileWriteError extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = 'FileWriteError';
  }
}

export function fileSink(name: string, path: string, header: string | null, format: (e: MetricEvent) => string, io: FileIo = nodeFileIo): Sink {
  let fd: number | null = null;
  let buffer: string[] = header ? [header] : [];
  let size = 0;
  let committed = 0; // bytes of whole lines in the file
  let broken: FileWriteError | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const stop = (err: FileWriteError): never => {
    broken = err;
    if (timer) clearInterval(timer);
    timer = null;
    buffer = []; size = 0;
    throw err;
  };
  const open = (): void => {
    if (fd !== null || broken) return;
    try { fd = io.open(path); } catch (e) { stop(new FileWriteError(path, fileErrorMessage('create', path, e))); }
    // A crash loses at most the last second; the timer never keeps the process alive and stops
    // at the first failure (the failure is reported by the next write or by close).
    timer = setInterval(() => { try { flush(); } catch { /* kept in `broken` */ } }, 1000);
    timer.unref();
  };
  const flush = (): void => {
    if (broken) throw broken;
    if (!buffer.length) return;
    if (fd === null) open();
    const data = Buffer.from(buffer.join(''), 'utf8');
    buffer = []; size = 0;
    let done = 0;
    try {
      while (done < data.length) done += io.write(fd!, data, done);
      committed += data.length;
    } catch (e) {
      // Cut a partial line back off so the file holds only whole lines.
      if (done > 0) try { io.truncate(fd!, committed); } catch { /* nothing more we can do */ }
      stop(new FileWriteError(path, fileErrorMessage('write', path, e)));
    }
  };
  return {
    name,
    mode: 'sync',
    role: 'record',
    open,
    write(e) {
      if (broken) throw broken;
      if (closed) return;
      const line = format(e);
      if (!line) return;
      buffer.push(line);
      size += line.length;
      if (size >= 65536) flush();
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer) clearInterval(timer);
      timer = null;
      try {
        if (fd === null && !broken) open();
        flush();
      } finally {
        if (fd !== null) try { io.close(fd); } catch { /* already reported or harmless */ }
        fd = null;
      }
    },
  };
}

/** `metrics.jsonl`: one event per line (NaN and ±Inf are written as null; `member` only in a member run). */
export function jsonlSink(path: string, io?: FileIo): Sink {
  return fileSink('jsonl', path, null, (e) => `${JSON.stringify({ node: e.node, name: e.name, step: e.step, value: e.value, time: e.time, member: e.member })}\n`, io);
}

/** `metrics.csv`: scalar events only (spectra stay in the JSONL). */
export function csvSink(path: string, io?: FileIo): Sink {
  const quote = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return fileSink('csv', path, 'node,name,step,value,time\n', (e) =>
    typeof e.value === 'number' ? `${quote(e.node)},${quote(e.name)},${e.step ?? ''},${e.value},${e.time}\n` : '', io);
}
