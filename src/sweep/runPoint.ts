/**
 * Run one sweep point: the normal `eigenflow run` CLI in a child process, writing into the point's
 * run directory, with its state kept in the point's status file. Used by the local executor (one
 * call per pool slot) and by every Slurm array task (`eigenflow sweep run-point DIR ID`).
 *
 * A failed point is retried up to `retries` times; the earlier attempt's directory moves to
 * DIR/attempts/. A diverged or cancelled point is not retried (rerunning gives the same numbers).
 * A signal reaching `signal` is forwarded to the child as one SIGINT (the signal every eigenflow
 * run answers by ending as `cancelled` with its manifest final), and we wait for it.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest } from '../record/manifest.ts';
import { isRunStatus, type PointStatus } from '../record/events.ts';
import { readPointState, type Point, type PointState, type SweepManifest } from '../record/sweepState.ts';
import { saveSweep, writePointState } from './manifest.ts';
import { binPath } from '../paths.ts';
import { lockHolder } from '../run/outDir.ts';

export const EIGENFLOW_BIN = binPath;

/** The `eigenflow run` argument list for a point. */
export function runArgs(dir: string, m: SweepManifest, p: Point): string[] {
  const sets = Object.entries(p.overrides).flatMap(([k, v]) => ['--set', `${k}=${JSON.stringify(v)}`]);
  return [EIGENFLOW_BIN, 'run', join(dir, 'graph.json'), ...sets, ...(p.seed === null ? [] : ['--seed', String(p.seed)]),
    '--out', join(dir, p.dir), '--quiet', ...m.runArgs];
}

export interface RunPointOptions {
  retries: number;
  /** Aborted with reason 'SIGINT' | 'SIGTERM' | 'SIGHUP': forwarded to the running child. */
  signal?: AbortSignal;
  /** Called when the point changes state (for a progress display); `retrying` when a failed attempt will be retried. */
  onState?: (p: Point, retrying: boolean) => void;
  /** Packs only: worker threads the pack's run may train members on (its share of the cores; unset: every core). */
  memberThreads?: number;
}

/** How the point's run ended, from its final manifest (null: it left none). */
function readRunManifest(runDir: string): { status: PointStatus | null; error: string | null } {
  try {
    const m = readManifest(runDir);
    return { status: m && isRunStatus(m.status) ? m.status : null, error: m?.error ?? null };
  } catch {
    return { status: null, error: null };
  }
}

export async function runPoint(dir: string, m: SweepManifest, point: Point, opts: RunPointOptions): Promise<PointState> {
  const slurmJob = process.env.SLURM_ARRAY_JOB_ID ? `${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID}` : (process.env.SLURM_JOB_ID ?? null);
  let state: PointState = readPointState(dir, point.id) ?? { status: 'pending', attempts: 0, start: null, end: null };
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (opts.signal?.aborted) break;
    const runDir = join(dir, point.dir);
    if (existsSync(runDir)) {
      // A live process holding the run's lock (a child of a sweep killed with -9) still owns it: never move it.
      const holder = lockHolder(runDir);
      if (holder !== null) throw new Error(`sweep point ${point.id + 1}: ${runDir} is still in use by process ${holder}; not moving it`);
      mkdirSync(join(dir, 'attempts'), { recursive: true });
      renameSync(runDir, join(dir, 'attempts', `${point.dir}.attempt-${state.attempts}-${Date.now()}`));
    }
    state = { status: 'running', attempts: state.attempts + 1, start: new Date().toISOString(), end: null, slurmJob, exitCode: null, error: null };
    writePointState(dir, point.id, state);
    opts.onState?.({ ...point, ...state }, false);
    const log = openSync(join(dir, 'logs', `${point.dir}.log`), 'a');
    const child = spawn(process.execPath, runArgs(dir, m, point), { stdio: ['ignore', 'ignore', log] });
    closeSync(log);
    const forward = (): void => { child.kill('SIGINT'); };
    opts.signal?.addEventListener('abort', forward);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : null)));
      child.on('error', () => resolve(null));
    });
    opts.signal?.removeEventListener('abort', forward);
    const run = readRunManifest(runDir);
    // A run that left no final manifest (killed, crashed before writing) failed, unless we cancelled it.
    const status: PointStatus = run.status ?? (opts.signal?.aborted ? 'cancelled' : 'failed');
    const error = run.error ?? (status === 'completed' ? null : run.status === null ? `eigenflow run exited with code ${exitCode} and no final manifest; see logs/${point.dir}.log` : null);
    state = { ...state, status, end: new Date().toISOString(), exitCode, error };
    writePointState(dir, point.id, state);
    const retrying = status === 'failed' && attempt < opts.retries && !opts.signal?.aborted;
    opts.onState?.({ ...point, ...state }, retrying);
    if (!retrying) break;
  }
  saveSweep(dir);
  return state;
}
