/**
 * The sweep directory and its manifest.
 *
 *   DIR/sweep.json        what the sweep is (base graph, grid/sample/seeds, executor) and every point
 *                         with its state, rewritten atomically (temp file + rename) under a lock
 *   DIR/graph.json        the base graph every point runs (with the sweep's --set applied)
 *   DIR/status/ID.json    one point's state, written atomically only by the process running it
 *   DIR/NNN-name=value…/  one point's run directory (`eigenflow run --out`)
 *   DIR/logs/NNN….log     that run's stderr, appended across attempts
 *   DIR/attempts/         run directories of earlier, failed attempts
 *
 * Why status files: several processes change points at once (local pool workers, Slurm array
 * tasks on other nodes). Each point's file has one writer at a time, so no update can be lost;
 * readers merge the files into the manifest. `sweep.json` is regenerated from the merge under an
 * exclusive lock (O_EXCL lock file), so it is never torn and never older than the last writer's view,
 * but it is a convenience copy: `status`, `wait` and `summarize` always read the status files.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type { GraphSpec } from '../graph/spec.ts';
import { loadSweep, statusFile, sweepFile, type Overrides, type PointState, type SweepManifest } from '../record/sweepState.ts';
import { pointLabel } from './grid.ts';

export const graphHash = (spec: GraphSpec): string => createHash('sha256').update(JSON.stringify(spec)).digest('hex');

/** `001-sigma=0.03_wn=symmetric_seed=1`: the point's run directory name. */
export function pointDirName(id: number, overrides: Overrides, seed: number | null): string {
  const label = pointLabel(seed === null ? overrides : { ...overrides, seed }).replace(/[^A-Za-z0-9=.+-]+/g, '_').slice(0, 120);
  return `${String(id + 1).padStart(3, '0')}-${label}`;
}

/** Identity of a run across re-runs of the same command: its point's overrides and its seed. */
export const runKey = (overrides: Overrides, seed: number | null): string => JSON.stringify([Object.entries(overrides), seed]);

export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const sleepSync = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

/** Run `fn` holding DIR/sweep.json.lock; a lock older than 30 s (its holder died) is broken. */
export function withLock<T>(dir: string, fn: () => T): T {
  const lock = join(dir, 'sweep.json.lock');
  for (let i = 0; ; i++) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try { if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { force: true }); } catch { /* gone meanwhile */ }
      if (i > 3000) throw new Error(`cannot lock ${lock} (held for a long time); remove it if no eigenflow process is using this sweep`);
      sleepSync(10);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Write the manifest (points merged from status files, `edit` applied) under the lock. */
export function saveSweep(dir: string, edit?: (m: SweepManifest) => void): SweepManifest {
  return withLock(dir, () => {
    const m = loadSweep(dir);
    edit?.(m);
    writeAtomic(sweepFile(dir), `${JSON.stringify(m, null, 2)}\n`);
    return m;
  });
}

export function createSweep(dir: string, m: SweepManifest, base: GraphSpec): void {
  for (const sub of ['status', 'logs']) mkdirSync(join(dir, sub), { recursive: true });
  writeAtomic(join(dir, 'graph.json'), `${JSON.stringify(base, null, 2)}\n`);
  writeAtomic(sweepFile(dir), `${JSON.stringify(m, null, 2)}\n`);
}

export function writePointState(dir: string, id: number, state: PointState): void {
  mkdirSync(join(dir, 'status'), { recursive: true });
  writeAtomic(statusFile(dir, id), `${JSON.stringify({ ...state, host: hostname(), pid: process.pid }, null, 2)}\n`);
}

/** A `running` point whose process is gone (killed with the machine or kill -9) on this host. */
export function isOrphaned(p: PointState): boolean {
  if (p.status !== 'running' || p.slurmJob || p.host !== hostname() || !p.pid) return false;
  try {
    process.kill(p.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
