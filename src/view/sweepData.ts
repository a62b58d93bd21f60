/**
 * Reading a sweep directory for `eigenflow view`: one entry per point (its parameters, the
 * mean, standard deviation, standard error and 95% interval of each metric over its seeds, the
 * per-seed values) and the run directories of its seeds.
 *
 * A sweep (sweep.json) is summarized from its runs as they are now, with the same summarize the
 * sweep writes summary.json with, so a sweep still going can be viewed too. An older directory
 * holding only a summary.json (`grid` and per-run `rows`, seeds inside each row's point) is
 * converted through that same summarize.
 */
import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { containedPath, InvalidFile, readRegularText, UnreadableFile } from '../safeRead.ts';
import { summarizePoints, summarizeSweep, pointKey, type PointSummary } from '../record/summary.ts';
import { isSweepDir, loadSweep } from '../record/sweepState.ts';
import type { SweepPointState, SweepState } from '../serve/protocol.ts';

export type SweepData = SweepState;
type SweepRun = SweepPointState['seeds'][number];

const SUMMARY_MAX_BYTES = 256 << 20;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A sweep of this version (sweep.json) or of an older one (only summary.json). */
export const isViewableSweep = (dir: string): boolean => isSweepDir(dir) || existsSync(join(dir, 'summary.json'));

/**
 * A run directory recorded in an older summary's row `field`: inside the sweep directory
 * (relative, or absolute but inside it; an absolute path of a sweep that was moved is found by its
 * last name inside the sweep), else an InvalidFile naming the row — a summary never makes the
 * viewer read elsewhere. Null when it is not there (any more).
 */
function runDirOf(sweepDir: string, recorded: unknown, file: string, field: string): string | null {
  if (recorded === undefined || recorded === null) return null;
  let d = typeof recorded === 'string' ? containedPath(sweepDir, isAbsolute(recorded) ? relative(sweepDir, recorded) : recorded) : null;
  if (d === null && typeof recorded === 'string' && isAbsolute(recorded)) {
    const moved = containedPath(sweepDir, basename(recorded));
    if (moved !== null && existsSync(moved)) d = moved;
  }
  if (d === null) throw new InvalidFile(file, `${field} must be a run directory inside the sweep directory but is ${JSON.stringify(recorded)}`);
  return existsSync(d) ? d : null;
}

interface RawRow { point: Record<string, unknown>; seed: number | null; status: string; dir: string | null; metrics: Record<string, number> }

function readOlderRows(sweepDir: string, raw: unknown[], file: string): RawRow[] {
  return raw.map((r, i) => [r, i] as const).filter((x): x is readonly [Record<string, unknown>, number] => isObject(x[0])).map(([r, i]) => {
    const point = isObject(r.point) ? { ...r.point } : {};
    // Older summaries keep the seed inside the point; it is not a parameter of the point.
    let seed = typeof r.seed === 'number' ? r.seed : null;
    if ('seed' in point && seed === null && typeof point.seed === 'number') seed = point.seed;
    delete point.seed;
    const metrics: Record<string, number> = {};
    if (isObject(r.metrics)) for (const [k, v] of Object.entries(r.metrics)) { const x = finite(v); if (x !== null) metrics[k] = x; }
    return { point, seed, status: typeof r.status === 'string' ? r.status : 'unknown', dir: runDirOf(sweepDir, r.dir, file, `rows[${i}].dir`), metrics };
  });
}

function withSeeds(points: PointSummary[], rows: readonly RawRow[]): SweepPointState[] {
  const out = points.map((p) => ({ ...p, seeds: [] as SweepRun[] }));
  const byKey = new Map(out.map((p) => [pointKey(p.point), p]));
  for (const r of rows) if (r.dir && existsSync(r.dir)) byKey.get(pointKey(r.point))?.seeds.push({ seed: r.seed, status: r.status, dir: r.dir });
  return out;
}

export function readSweepSummary(dirIn: string): SweepData {
  const dir = resolve(dirIn);
  if (isSweepDir(dir)) {
    const s = summarizeSweep(dir, loadSweep(dir));
    const rows = s.rows.map((r) => ({ ...r, dir: resolve(dir, r.dir) }));
    return { name: basename(dir), dir, paramNames: s.paramNames, reduction: s.reduction, points: withSeeds(s.points, rows) };
  }
  const file = join(dir, 'summary.json');
  let s: unknown;
  try { s = JSON.parse(readRegularText(file, SUMMARY_MAX_BYTES)); } catch (e) { throw new InvalidFile(file, e instanceof UnreadableFile ? e.why : `not valid JSON (${(e as Error).message})`); }
  if (!isObject(s)) throw new InvalidFile(file, 'not a JSON object');
  const rows = readOlderRows(dir, Array.isArray(s.rows) ? s.rows : [], file);
  const points = withSeeds(summarizePoints(rows), rows);
  const paramNames = Array.isArray(s.paramNames) ? s.paramNames.filter((n): n is string => typeof n === 'string')
    : isObject(s.grid) ? Object.keys(s.grid).filter((n) => n !== 'seed')
    : [...new Set(points.flatMap((p) => Object.keys(p.point)))];
  return { name: basename(dir), dir, paramNames, reduction: typeof s.reduction === 'string' ? s.reduction : null, points };
}
