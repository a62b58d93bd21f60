/** The local executor's overall progress line: points done/running/failed and an ETA. */
import { formatDuration } from '../format.ts';

export interface ProgressCounts { total: number; done: number; running: number; failed: number }

/**
 * `sweep [########------------] 7/18 done · 2 running · 1 failed · ETA 3m10s`. The ETA assumes the
 * points left take as long as those finished in this session (`finishedHere` of them in `elapsedMs`).
 */
export function progressLine(c: ProgressCounts, finishedHere: number, elapsedMs: number, width = 20): string {
  const ended = c.done + c.failed;
  const filled = c.total ? Math.round((width * ended) / c.total) : width;
  const left = c.total - ended;
  const eta = finishedHere > 0 && left > 0 ? ` · ETA ${formatDuration((elapsedMs / finishedHere) * left)}` : '';
  return `sweep [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${c.done}/${c.total} done · ${c.running} running · ${c.failed} failed${eta}`;
}
