/**
 * Reading a run's `metrics.jsonl` back, the one reader for the viewer, sweep summaries and the
 * members summary. It streams the file in fixed-size chunks, so memory stays bounded by what the
 * caller keeps; a line that does not parse (a torn last line after a kill) or is not an event is
 * skipped and counted, never fatal.
 */
import { closeSync, readSync } from 'node:fs';
import { InvalidFile, openRegular, UnreadableFile } from '../safeRead.ts';

/** An event as written to the file: non-finite numbers come back as null (JSON has no NaN). */
export interface RecordedEvent {
  node: string;
  name: string;
  step: number | null;
  value: number | null | (number | null)[];
  time: number | null;
  member?: number;
}

const CHUNK = 1 << 20;
/** A line longer than this is not an event eigenflow wrote; it is skipped without being held whole. */
const MAX_LINE = 256 << 20;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** The event on one line, or null when the line is not one. */
export function parseEventLine(line: string): RecordedEvent | null {
  let e: unknown;
  try { e = JSON.parse(line); } catch { return null; }
  if (!isObject(e) || typeof e.node !== 'string' || typeof e.name !== 'string') return null;
  const value = Array.isArray(e.value) ? e.value.map(numOrNull) : numOrNull(e.value);
  if (value === null && e.value !== null) return null;
  return {
    node: e.node, name: e.name, step: typeof e.step === 'number' ? e.step : null, value, time: numOrNull(e.time),
    ...(Number.isInteger(e.member) ? { member: e.member as number } : {}),
  };
}

/**
 * Call `visit` for each event of `file` in order; returns how many lines were skipped (0 when the
 * file is absent). Only a regular file is read, and only the bytes it held when it was opened (a
 * live run's later lines are read next time), so a FIFO or a link to /dev/zero is an InvalidFile,
 * not a hang or a read without end.
 */
export function readMetricsFile(file: string, visit: (e: RecordedEvent) => void): { skippedLines: number } {
  let opened: { fd: number; size: number };
  try {
    opened = openRegular(file);
  } catch (e) {
    if (e instanceof UnreadableFile) { if (e.why === 'no such file') return { skippedLines: 0 }; throw new InvalidFile(file, e.why); }
    throw e;
  }
  const { fd, size } = opened;
  let left = size;
  const buf = Buffer.alloc(CHUNK);
  let skippedLines = 0;
  let pending: Buffer[] = [], pendingBytes = 0, overlong = false;
  const line = (bytes: Buffer): void => {
    if (overlong) { skippedLines++; overlong = false; return; }
    const text = bytes.toString('utf8');
    if (!text.trim()) return;
    const e = parseEventLine(text);
    if (e) visit(e); else skippedLines++;
  };
  try {
    for (let n; left > 0 && (n = readSync(fd, buf, 0, Math.min(CHUNK, left), null)) > 0;) {
      left -= n;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0 && nl < n; nl = buf.indexOf(10, start)) {
        line(Buffer.concat([...pending, buf.subarray(start, nl)]));
        pending = []; pendingBytes = 0;
        start = nl + 1;
      }
      if (start < n && !overlong) {
        pending.push(Buffer.from(buf.subarray(start, n)));
        pendingBytes += n - start;
        if (pendingBytes > MAX_LINE) { pending = []; pendingBytes = 0; overlong = true; }
      }
    }
    if (pending.length || overlong) line(Buffer.concat(pending));
  } finally {
    closeSync(fd);
  }
  return { skippedLines };
}
