/**
 * `--executor slurm`: one sbatch job array over the points to run (`SLURM_ARRAY_TASK_ID` picks the
 * point; each task runs `eigenflow sweep run-point DIR ID`, which runs the normal `eigenflow run`
 * and records the point's state in the shared sweep directory), plus a summary job that runs after
 * the array whatever its outcome (`--dependency=afterany`). Submission returns at once; nothing
 * depends on the submitting process staying alive. Scripts use absolute paths to node and to this
 * repository, because the batch environment may have a different PATH.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { EIGENFLOW_BIN } from './runPoint.ts';
import type { Point, SlurmSubmission, SweepManifest } from '../record/sweepState.ts';

/** The full path of `command` on PATH, or null. */
export function which(command: string): string | null {
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d && existsSync(join(d, command))) return join(d, command);
  return null;
}

const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function arrayScript(dir: string, m: SweepManifest, ids: number[], parallel: number | null, slurmArgs: string[]): string {
  const abs = resolve(dir);
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=ef-${m.graphName.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 30)}`,
    `#SBATCH --array=0-${ids.length - 1}${parallel ? `%${parallel}` : ''}`,
    `#SBATCH --output=${abs}/slurm/%A_%a.out`,
    '#SBATCH --open-mode=append',
    ...slurmArgs.map((a) => `#SBATCH ${a}`),
    '# Written by eigenflow sweep: array task i runs sweep point IDS[i].',
    `IDS=(${ids.join(' ')})`,
    `exec ${shq(process.execPath)} ${shq(EIGENFLOW_BIN)} sweep run-point ${shq(abs)} "\${IDS[$SLURM_ARRAY_TASK_ID]}"`,
    '',
  ].join('\n');
}

export function summaryScript(dir: string, m: SweepManifest, slurmArgs: string[]): string {
  const abs = resolve(dir);
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=ef-${m.graphName.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 22)}-summary`,
    `#SBATCH --output=${abs}/slurm/summary-%j.out`,
    '#SBATCH --open-mode=append',
    ...slurmArgs.filter((a) => !/^--(array|dependency)\b/.test(a)).map((a) => `#SBATCH ${a}`),
    `exec ${shq(process.execPath)} ${shq(EIGENFLOW_BIN)} sweep summarize ${shq(abs)}`,
    '',
  ].join('\n');
}

function sbatch(args: string[]): string {
  const r = spawnSync('sbatch', ['--parsable', ...args], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`sbatch ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout.trim().split(';')[0]!;
}

/** Write the two scripts and submit them; returns the submission record for sweep.json. */
export function submitSlurm(dir: string, m: SweepManifest, todo: Point[], parallel: number | null, slurmArgs: string[]): SlurmSubmission {
  mkdirSync(join(dir, 'slurm'), { recursive: true });
  const n = m.slurm.length + 1;
  const ids = todo.map((p) => p.id);
  const arrayFile = join(dir, 'slurm', `array-${n}.sh`), summaryFile = join(dir, 'slurm', `summary-${n}.sh`);
  writeFileSync(arrayFile, arrayScript(dir, m, ids, parallel, slurmArgs), { mode: 0o755 });
  writeFileSync(summaryFile, summaryScript(dir, m, slurmArgs), { mode: 0o755 });
  const arrayJob = sbatch([arrayFile]);
  const summaryJob = sbatch([`--dependency=afterany:${arrayJob}`, '--kill-on-invalid-dep=no', summaryFile]);
  return { time: new Date().toISOString(), arrayJob, summaryJob, ids };
}

/** Job ids (array parents and plain jobs) still known to squeue, or null when squeue cannot answer. */
export function jobsInQueue(jobs: string[]): Set<string> | null {
  if (jobs.length === 0) return new Set();
  const r = spawnSync('squeue', ['-h', '-o', '%F %i'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const queued = new Set<string>();
  for (const line of r.stdout.split('\n')) for (const id of line.trim().split(/\s+/)) if (id) queued.add(id.split('_')[0]!);
  return new Set(jobs.filter((j) => queued.has(j)));
}
