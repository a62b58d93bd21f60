/**
 * A sweep's state files are input like any other: a hand edit, a crash of another tool or a
 * hostile copy can put anything in them. `sweep.json` and `status/ID.json` are checked field by
 * field before anything is run, moved or written; a point's `dir` must be one directory name
 * inside the sweep directory, and the values that reach commands and batch scripts (executor
 * options, run arguments, Slurm job ids) must have the shapes eigenflow writes. Every problem is an
 * `InvalidFile` naming the file and the field (the CLI's exit 2).
 */
import { containedPath, InvalidFile } from '../safeRead.ts';
import type { PointState, SweepManifest } from './sweepState.ts';

const STATE_FIELDS = ['status', 'attempts', 'start', 'end', 'host', 'pid', 'slurmJob', 'exitCode', 'error'] as const;
const POINT_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'diverged'];
/** Names inside a sweep directory that are not point directories. */
const RESERVED = new Set(['status', 'logs', 'attempts', 'slurm', 'plots', 'sweep.json', 'graph.json', 'summary.json', 'summary.csv', 'sweep.json.lock']);
/** Options a point's `eigenflow run` gets from the sweep itself; a stored run argument may not set them. */
const PER_POINT_OPTIONS = /^--(out|set|seed|resume|quiet)(=|$)/;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const shown = (v: unknown): string => { const t = JSON.stringify(v); return t === undefined ? String(v) : t.length > 80 ? `${t.slice(0, 77)}...` : t; };
// eslint-disable-next-line no-control-regex
export const hasControlCharacter = (s: string): boolean => /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s);

function checker(file: string) {
  return (ok: boolean, field: string, rule: string, value: unknown): void => {
    if (!ok) throw new InvalidFile(file, `${field} must be ${rule} but is ${shown(value)}`);
  };
}

/** The fields of a point's state (in sweep.json or its status file), checked under `at`. */
function checkState(s: Record<string, unknown>, at: string, check: ReturnType<typeof checker>): void {
  check(POINT_STATUSES.includes(s.status as string), `${at}status`, `one of ${POINT_STATUSES.join(', ')}`, s.status);
  check(isCount(s.attempts), `${at}attempts`, 'a non-negative integer', s.attempts);
  for (const k of ['start', 'end'] as const) check(s[k] === null || typeof s[k] === 'string', `${at}${k}`, 'a time string or null', s[k]);
  check(s.error === undefined || s.error === null || typeof s.error === 'string', `${at}error`, 'a string or null', s.error);
  check(s.host === undefined || typeof s.host === 'string', `${at}host`, 'a host name', s.host);
  check(s.pid === undefined || (Number.isSafeInteger(s.pid) && (s.pid as number) > 0), `${at}pid`, 'a process id', s.pid);
  check(s.exitCode === undefined || s.exitCode === null || Number.isSafeInteger(s.exitCode), `${at}exitCode`, 'an integer or null', s.exitCode);
  check(s.slurmJob === undefined || s.slurmJob === null || (typeof s.slurmJob === 'string' && /^(\d+(_\d+)?|submitting)$/.test(s.slurmJob)), `${at}slurmJob`, 'a Slurm job id (123 or 123_4) or null', s.slurmJob);
}

/** `raw` (parsed from `file`, the sweep.json of `dir`) as a manifest, or an InvalidFile naming the first bad field. */
export function checkSweepManifest(raw: unknown, file: string, dir: string): SweepManifest {
  const check = checker(file);
  check(isObject(raw), 'the sweep manifest', 'a JSON object', raw);
  const m = raw as Record<string, unknown>;
  check(m.format === 'eigenflow-sweep/1', 'format', '"eigenflow-sweep/1"', m.format);
  check(typeof m.graphName === 'string', 'graphName', 'a string', m.graphName);
  check(typeof m.graphHash === 'string', 'graphHash', 'a string', m.graphHash);
  check(typeof m.summary === 'string', 'summary', 'a string', m.summary);
  check(Array.isArray(m.definitions), 'definitions', 'an array', m.definitions);
  const e = m.executor as Record<string, unknown>;
  check(isObject(e) && (e.kind === 'local' || e.kind === 'slurm'), 'executor.kind', 'local or slurm', isObject(e) ? e.kind : e);
  check(isCount(e.retries), 'executor.retries', 'a non-negative integer', e.retries);
  check(e.jobs === undefined || (isCount(e.jobs) && e.jobs >= 1), 'executor.jobs', 'a positive integer', e.jobs);
  check(e.parallel === undefined || e.parallel === null || (isCount(e.parallel) && e.parallel >= 1), 'executor.parallel', 'a positive integer or null', e.parallel);
  check(e.slurmArgs === undefined || Array.isArray(e.slurmArgs), 'executor.slurmArgs', 'an array of sbatch options', e.slurmArgs);
  for (const [i, a] of ((e.slurmArgs as unknown[]) ?? []).entries()) {
    check(typeof a === 'string' && /^--[A-Za-z]/.test(a) && !hasControlCharacter(a), `executor.slurmArgs[${i}]`, 'an sbatch option (--name=value) without control characters', a);
  }
  check(Array.isArray(m.runArgs), 'runArgs', 'an array of strings', m.runArgs);
  for (const [i, a] of (m.runArgs as unknown[]).entries()) {
    check(typeof a === 'string' && !hasControlCharacter(a) && !PER_POINT_OPTIONS.test(a), `runArgs[${i}]`, 'an eigenflow run argument without control characters, not --out, --set, --seed or --quiet', a);
  }
  check(Array.isArray(m.slurm), 'slurm', 'an array', m.slurm);
  for (const [i, s] of (m.slurm as unknown[]).entries()) {
    const o = s as Record<string, unknown>;
    check(isObject(s) && typeof o.arrayJob === 'string' && /^\d+$/.test(o.arrayJob), `slurm[${i}].arrayJob`, 'a Slurm job id', isObject(s) ? o.arrayJob : s);
    check(o.summaryJob === null || (typeof o.summaryJob === 'string' && /^\d+$/.test(o.summaryJob)), `slurm[${i}].summaryJob`, 'a Slurm job id or null', o.summaryJob);
    check(Array.isArray(o.ids) && o.ids.every(isCount), `slurm[${i}].ids`, 'an array of point ids', o.ids);
  }
  check(Array.isArray(m.points), 'points', 'an array', m.points);
  const dirs = new Set<string>();
  for (const [i, p] of (m.points as unknown[]).entries()) {
    const at = `points[${i}].`;
    check(isObject(p), `points[${i}]`, 'an object', p);
    const q = p as Record<string, unknown>;
    check(q.id === i, `${at}id`, `${i} (its index)`, q.id);
    check(isObject(q.overrides), `${at}overrides`, 'an object of parameter values', q.overrides);
    check(q.seed === null || isCount(q.seed), `${at}seed`, 'a non-negative integer or null', q.seed);
    const d = q.dir;
    check(typeof d === 'string' && !/[/\\]/.test(d) && d !== '.' && d !== '..' && !RESERVED.has(d) && !hasControlCharacter(d) && containedPath(dir, d) !== null,
      `${at}dir`, 'one directory name inside the sweep directory', d);
    check(!dirs.has(d as string), `${at}dir`, 'a directory no other point uses', d);
    dirs.add(d as string);
    checkState(q, at, check);
  }
  return m as unknown as SweepManifest;
}

/** `raw` (parsed from the status file `file`) as a point state, or an InvalidFile naming the bad field. */
export function checkPointState(raw: unknown, file: string): PointState {
  const check = checker(file);
  check(isObject(raw), 'the point state', 'a JSON object', raw);
  const s = raw as Record<string, unknown>;
  checkState(s, '', check);
  // Only the state's own fields: a status file cannot move a point (dir), rename it or change its values.
  const state: Record<string, unknown> = {};
  for (const k of STATE_FIELDS) if (k in s) state[k] = s[k];
  return state as unknown as PointState;
}
