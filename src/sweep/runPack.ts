/**
 * Run several sweep points as the members of one `eigenflow run` (`sweep --pack K`): one child
 * process computes them all, its batched nodes over all of them at once, and writes each member's
 * run directory exactly where the sweep keeps that point (`DIR/<point dir>`), so summaries,
 * `status`, `view` and `--resume` see the points as if each had run alone. The pack's own run
 * directory (`DIR/packs/pack-<first id>`) holds its manifest, the metrics of all members and
 * members.json.
 *
 * Each point keeps its state file as with `runPoint`: `running` while the pack runs, then the
 * status its member's manifest gives. Failed points are retried (as a smaller pack) up to
 * `retries` times; diverged and cancelled ones are not. A signal is forwarded to the child as one
 * SIGINT, and we wait for its manifests.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readManifest } from '../record/manifest.ts';
import { isRunStatus, type PointStatus } from '../record/events.ts';
import { readPointState, type Point, type PointState, type SweepManifest } from '../record/sweepState.ts';
import { saveSweep, writePointState } from './manifest.ts';
import { EIGENFLOW_BIN, type RunPointOptions } from './runPoint.ts';

/** Split the points to run into packs of at most `size`, in order. */
export function packsOf<T>(points: readonly T[], size: number): T[][] {
  const packs: T[][] = [];
  for (let i = 0; i < points.length; i += size) packs.push(points.slice(i, i + size));
  return packs;
}

/** Move an earlier attempt's directory out of the way, into DIR/attempts/. */
function setAside(dir: string, rel: string, attempts: number): void {
  const from = join(dir, rel);
  if (!existsSync(from)) return;
  mkdirSync(join(dir, 'attempts'), { recursive: true });
  renameSync(from, join(dir, 'attempts', `${rel.replace(/\//g, '_')}.attempt-${attempts}-${Date.now()}`));
}

/** Run `points` as one pack (retrying failed ones); returns each point's final state, by id. */
export async function runPack(dir: string, m: SweepManifest, points: readonly Point[], opts: RunPointOptions): Promise<Map<number, PointState>> {
  const slurmJob = process.env.SLURM_ARRAY_JOB_ID ? `${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID}` : (process.env.SLURM_JOB_ID ?? null);
  const states = new Map(points.map((p) => [p.id, readPointState(dir, p.id) ?? { status: 'pending' as PointStatus, attempts: 0, start: null, end: null }]));
  let todo = [...points];
  for (let attempt = 0; attempt <= opts.retries && todo.length && !opts.signal?.aborted; attempt++) {
    const name = `packs/pack-${String(todo[0]!.id + 1).padStart(3, '0')}`;
    setAside(dir, name, attempt);
    for (const p of todo) {
      setAside(dir, p.dir, states.get(p.id)!.attempts);
      const state: PointState = { status: 'running', attempts: states.get(p.id)!.attempts + 1, start: new Date().toISOString(), end: null, slurmJob, exitCode: null, error: null };
      states.set(p.id, state);
      writePointState(dir, p.id, state);
      opts.onState?.({ ...p, ...state }, false);
    }
    mkdirSync(join(dir, 'packs'), { recursive: true });
    const listFile = join(dir, `${name}.json`);
    const members = todo.map((p) => ({ ...p.overrides, ...(p.seed === null ? {} : { seed: p.seed }) }));
    writeFileSync(listFile, `${JSON.stringify({ members, dirs: todo.map((p) => resolve(dir, p.dir)) }, null, 2)}\n`);
    const log = openSync(join(dir, 'logs', `${name.replace('packs/', '')}.log`), 'a');
    // Packs running side by side share the cores; a user's EIGENFLOW_MEMBER_THREADS wins.
    const env = opts.memberThreads && !process.env.EIGENFLOW_MEMBER_THREADS ? { ...process.env, EIGENFLOW_MEMBER_THREADS: String(opts.memberThreads) } : process.env;
    const child = spawn(process.execPath, [EIGENFLOW_BIN, 'run', join(dir, 'graph.json'), '--member-list', listFile, '--out', join(dir, name), '--quiet', ...m.runArgs], { stdio: ['ignore', 'ignore', log], env });
    closeSync(log);
    const forward = (): void => { child.kill('SIGINT'); };
    opts.signal?.addEventListener('abort', forward);
    const exitCode = await new Promise<number | null>((res) => {
      child.on('exit', (code, sig) => res(code ?? (sig ? 128 : null)));
      child.on('error', () => res(null));
    });
    opts.signal?.removeEventListener('abort', forward);
    const retry: Point[] = [];
    for (const p of todo) {
      let run: { status: PointStatus | null; error: string | null } = { status: null, error: null };
      try {
        const man = readManifest(join(dir, p.dir));
        run = { status: man && isRunStatus(man.status) ? man.status : null, error: man?.error ?? null };
      } catch { /* no readable manifest: handled below */ }
      // A member that left no final manifest (the pack was killed, or failed before it started) failed, unless we cancelled it.
      const status: PointStatus = run.status ?? (opts.signal?.aborted ? 'cancelled' : 'failed');
      const error = run.error ?? (status === 'completed' ? null : run.status === null ? `the pack's eigenflow run exited with code ${exitCode} and left no final manifest for this point; see logs/${name.replace('packs/', '')}.log` : null);
      const state: PointState = { ...states.get(p.id)!, status, end: new Date().toISOString(), exitCode, error };
      states.set(p.id, state);
      writePointState(dir, p.id, state);
      const retrying = status === 'failed' && attempt < opts.retries && !opts.signal?.aborted;
      opts.onState?.({ ...p, ...state }, retrying);
      if (retrying) retry.push(p);
    }
    todo = retry;
  }
  saveSweep(dir);
  return states;
}
