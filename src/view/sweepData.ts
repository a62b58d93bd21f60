/**
 * Reading a sweep directory's summary.json for `eigenflow view`: one entry per point (its
 * parameters, the mean, standard deviation, standard error and 95% interval of each metric over
 * its seeds, the per-seed values) and the run directories of its seeds.
 *
 * The current summary (`points` with statistics, written by `eigenflow sweep`) is read as is. An
 * older summary (`grid` and per-run `rows` only, seeds in each row's point) is converted: runs
 * that differ only in their seed are grouped and their statistics computed here with the same
 * `seedStats` the sweep uses, so both draw the same 95% band.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { seedStats } from '../sweep/stats.ts';

export interface MetricStats {
  n: number;
  mean: number | null;
  sd: number | null;
  se: number | null;
  ci95: [number, number] | null;
  /** Value of each completed seed, by seed (`default` when the sweep had no seeds). */
  values: Record<string, number>;
}

export interface SweepRun { seed: number | null; status: string; dir: string }

export interface SweepPoint {
  /** The point's parameters (without the seed). */
  point: Record<string, unknown>;
  runs: number;
  completed: number;
  metrics: Record<string, MetricStats>;
  /** One entry per seed; `dir` is the absolute run directory. */
  seeds: SweepRun[];
}

export interface SweepData {
  name: string;
  dir: string;
  /** Swept parameter names, seed excluded. */
  paramNames: string[];
  /** How stepped metrics were reduced to one number per run (last | min | mean-of-last-K), when known. */
  reduction: string | null;
  points: SweepPoint[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const pointKey = (point: Record<string, unknown>): string => JSON.stringify(Object.entries(point).sort(([a], [b]) => a.localeCompare(b)));

/** A run directory recorded in a summary: relative to the sweep (current format) or absolute (older); null if gone. */
function runDirOf(sweepDir: string, recorded: unknown): string | null {
  if (typeof recorded !== 'string') return null;
  for (const d of [resolve(sweepDir, recorded), join(sweepDir, basename(recorded))]) if (existsSync(d)) return d;
  return null;
}

function readStats(raw: unknown): MetricStats | null {
  if (!isObject(raw)) return null;
  const ci = Array.isArray(raw.ci95) && raw.ci95.length === 2 && raw.ci95.every((x) => finite(x) !== null) ? [raw.ci95[0] as number, raw.ci95[1] as number] as [number, number] : null;
  const values: Record<string, number> = {};
  if (isObject(raw.values)) for (const [k, v] of Object.entries(raw.values)) { const x = finite(v); if (x !== null) values[k] = x; }
  return { n: typeof raw.n === 'number' ? raw.n : Object.keys(values).length, mean: finite(raw.mean), sd: finite(raw.sd), se: finite(raw.se), ci95: ci, values };
}

interface RawRow { point: Record<string, unknown>; seed: number | null; status: string; dir: string | null; metrics: Record<string, number> }

function readRows(sweepDir: string, raw: unknown[]): RawRow[] {
  return raw.filter(isObject).map((r) => {
    const point = isObject(r.point) ? { ...r.point } : {};
    // Older summaries keep the seed inside the point; it is not a parameter of the point.
    let seed = typeof r.seed === 'number' ? r.seed : null;
    if ('seed' in point && seed === null && typeof point.seed === 'number') seed = point.seed;
    delete point.seed;
    const metrics: Record<string, number> = {};
    if (isObject(r.metrics)) for (const [k, v] of Object.entries(r.metrics)) { const x = finite(v); if (x !== null) metrics[k] = x; }
    return { point, seed, status: typeof r.status === 'string' ? r.status : 'unknown', dir: runDirOf(sweepDir, r.dir), metrics };
  });
}

/** Group per-run rows into points with statistics over seeds (for summaries that carry no statistics). */
function pointsFromRows(rows: readonly RawRow[]): SweepPoint[] {
  const groups = new Map<string, RawRow[]>();
  for (const r of rows) { const k = pointKey(r.point); const g = groups.get(k); if (g) g.push(r); else groups.set(k, [r]); }
  return [...groups.values()].map((rs) => {
    const done = rs.filter((r) => r.status === 'completed');
    const refs = [...new Set(done.flatMap((r) => Object.keys(r.metrics)))].sort();
    const metrics: Record<string, MetricStats> = {};
    for (const ref of refs) {
      const have = done.filter((r) => r.metrics[ref] !== undefined);
      metrics[ref] = { ...seedStats(have.map((r) => r.metrics[ref]!)), values: Object.fromEntries(have.map((r) => [r.seed === null ? 'default' : String(r.seed), r.metrics[ref]!])) };
    }
    return { point: rs[0]!.point, runs: rs.length, completed: done.length, metrics, seeds: [] };
  });
}

export function readSweepSummary(dirIn: string): SweepData {
  const dir = resolve(dirIn);
  const s: unknown = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  if (!isObject(s)) throw new Error(`${join(dir, 'summary.json')}: not a JSON object`);
  const rows = readRows(dir, Array.isArray(s.rows) ? s.rows : []);
  let points: SweepPoint[];
  if (Array.isArray(s.points)) {
    points = s.points.filter(isObject).map((p) => {
      const metrics: Record<string, MetricStats> = {};
      if (isObject(p.metrics)) for (const [k, v] of Object.entries(p.metrics)) { const st = readStats(v); if (st) metrics[k] = st; }
      return { point: isObject(p.point) ? p.point : {}, runs: typeof p.runs === 'number' ? p.runs : 0, completed: typeof p.completed === 'number' ? p.completed : 0, metrics, seeds: [] };
    });
  } else {
    points = pointsFromRows(rows);
  }
  const byKey = new Map(points.map((p) => [pointKey(p.point), p]));
  for (const r of rows) if (r.dir) byKey.get(pointKey(r.point))?.seeds.push({ seed: r.seed, status: r.status, dir: r.dir });
  const paramNames = Array.isArray(s.paramNames) ? s.paramNames.filter((n): n is string => typeof n === 'string')
    : isObject(s.grid) ? Object.keys(s.grid).filter((n) => n !== 'seed')
    : [...new Set(points.flatMap((p) => Object.keys(p.point)))];
  return { name: basename(dir), dir, paramNames, reduction: typeof s.reduction === 'string' ? s.reduction : null, points };
}
