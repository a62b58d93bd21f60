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
import { packsOf } from './runPack.ts';
import type { Point, SlurmSubmission, SweepManifest } from '../record/sweepState.ts';

/** The full path of `command` on PATH, or null. */
export function which(command: string): string | null {
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d && existsSync(join(d, command))) return join(d, command);
  return null;
}

/**
 * Values in a generated script are data. Control characters (a newline would start a new shell
 * line or #SBATCH directive) are refused outright; a shell word is single-quoted; a directive's
 * value is double-quoted, which sbatch strips, so `"` and `\` cannot appear in one.
 */
export function scriptValueProblem(value: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) return 'contains a control character (newline, tab, escape …)';
  return null;
}

function scriptValue(value: string, what: string): string {
  const problem = scriptValueProblem(value);
  if (problem) throw new Error(`${what} ${JSON.stringify(value)} ${problem}; it cannot go into a batch script`);
  return value;
}

const shq = (s: string, what: string): string => `'${scriptValue(s, what).replace(/'/g, `'\\''`)}'`;

/** `#SBATCH --name="value"` (or `#SBATCH --flag`) from an sbatch option `--name=value`. */
export function sbatchDirective(option: string, what = '--slurm-arg'): string {
  const m = /^(--[A-Za-z][A-Za-z0-9-]*)(?:=(.*))?$/s.exec(scriptValue(option, what));
  if (!m) throw new Error(`${what} ${JSON.stringify(option)}: expected an sbatch option --name or --name=value`);
  if (m[2] === undefined) return `#SBATCH ${m[1]}`;
  if (/["\\]/.test(m[2])) throw new Error(`${what} ${JSON.stringify(option)}: a value with " or \\ cannot be quoted for sbatch`);
  return `#SBATCH ${m[1]}="${m[2]}"`;
}

/** `packs[i]` is the point ids array task i runs (one point, or a `--pack` of several as members of one run). */
export function arrayScript(dir: string, m: SweepManifest, packs: number[][], parallel: number | null, slurmArgs: string[]): string {
  const abs = resolve(dir);
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=ef-${m.graphName.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 30)}`,
    `#SBATCH --array=0-${packs.length - 1}${parallel ? `%${parallel}` : ''}`,
    sbatchDirective(`--output=${abs}/slurm/%A_%a.out`, 'the sweep directory in'),
    '#SBATCH --open-mode=append',
    ...slurmArgs.map((a) => sbatchDirective(a)),
    '# Written by eigenflow sweep: array task i runs sweep point(s) IDS[i] (a comma list: one pack, run as members).',
    `IDS=(${packs.map((p) => p.join(',')).join(' ')})`,
    `exec ${shq(process.execPath, 'node')} ${shq(EIGENFLOW_BIN, 'eigenflow')} sweep run-point ${shq(abs, 'the sweep directory')} "\${IDS[$SLURM_ARRAY_TASK_ID]}"`,
    '',
  ].join('\n');
}

export function summaryScript(dir: string, m: SweepManifest, slurmArgs: string[]): string {
  const abs = resolve(dir);
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=ef-${m.graphName.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 22)}-summary`,
    sbatchDirective(`--output=${abs}/slurm/summary-%j.out`, 'the sweep directory in'),
    '#SBATCH --open-mode=append',
    ...slurmArgs.filter((a) => !/^--(array|dependency)\b/.test(a)).map((a) => sbatchDirective(a)),
    `exec ${shq(process.execPath, 'node')} ${shq(EIGENFLOW_BIN, 'eigenflow')} sweep summarize ${shq(abs, 'the sweep directory')}`,
    '',
  ].join('\n');
}

/**
 * How long sbatch and squeue may take (`EIGENFLOW_SLURM_TIMEOUT` seconds, default 60): a hung
 * controller must not hang the sweep; a command that times out has failed.
 */
export function slurmTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = env.EIGENFLOW_SLURM_TIMEOUT;
  return s !== undefined && /^\d+(\.\d+)?$/.test(s) && Number(s) > 0 ? Number(s) * 1000 : 60_000;
}

function sbatch(args: string[]): string {
  const timeout = slurmTimeoutMs();
  const r = spawnSync('sbatch', ['--parsable', ...args], { encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error(`sbatch ${args.join(' ')} did not answer within ${timeout / 1000} s (EIGENFLOW_SLURM_TIMEOUT); nothing was submitted by this call`);
  if (r.error || r.status !== 0) throw new Error(`sbatch ${args.join(' ')} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  if (!/^\d+(;\S+)?$/.test(r.stdout.trim())) throw new Error(`sbatch ${args.join(' ')} answered ${JSON.stringify(r.stdout.trim().slice(0, 80))}, not a job id`);
  return r.stdout.trim().split(';')[0]!;
}

/** Write the two scripts and submit them; returns the submission record for sweep.json. */
export function submitSlurm(dir: string, m: SweepManifest, todo: Point[], parallel: number | null, slurmArgs: string[], pack = 1): SlurmSubmission {
  mkdirSync(join(dir, 'slurm'), { recursive: true });
  const n = m.slurm.length + 1;
  const ids = todo.map((p) => p.id);
  const arrayFile = join(dir, 'slurm', `array-${n}.sh`), summaryFile = join(dir, 'slurm', `summary-${n}.sh`);
  writeFileSync(arrayFile, arrayScript(dir, m, packsOf(ids, pack), parallel, slurmArgs), { mode: 0o755 });
  writeFileSync(summaryFile, summaryScript(dir, m, slurmArgs), { mode: 0o755 });
  const arrayJob = sbatch([arrayFile]);
  const summaryJob = sbatch([`--dependency=afterany:${arrayJob}`, '--kill-on-invalid-dep=no', summaryFile]);
  return { time: new Date().toISOString(), arrayJob, summaryJob, ids };
}

/** Job ids (array parents and plain jobs) still known to squeue, or null when squeue cannot answer. */
export function jobsInQueue(jobs: string[]): Set<string> | null {
  if (jobs.length === 0) return new Set();
  const r = spawnSync('squeue', ['-h', '-o', '%F %i'], { encoding: 'utf8', timeout: slurmTimeoutMs(), killSignal: 'SIGKILL' });
  if (r.error || r.status !== 0) return null;
  const queued = new Set<string>();
  for (const line of r.stdout.split('\n')) for (const id of line.trim().split(/\s+/)) if (id) queued.add(id.split('_')[0]!);
  return new Set(jobs.filter((j) => queued.has(j)));
}
