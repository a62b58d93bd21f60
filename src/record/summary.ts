/**
 * Statistics over repeated runs, the one summarize for sweeps (runs that differ only in their
 * seed form one point) and members. Each metric of a point gets the mean, sample standard
 * deviation, standard error and 95% interval over its completed runs, plus the per-run values.
 * Stepped metrics are first reduced to one number per run (last | min | mean-of-last-K).
 */
import { join } from 'node:path';
import { readMetricsFile } from './metricsFile.ts';
import { seedStats, type SeedStats } from './stats.ts';
import type { Overrides, PointStatus, SweepManifest } from './sweepState.ts';

/** How a stepped metric becomes one number: its last value, its minimum, or the mean of its last K values. */
export type Reduction = { kind: 'last' } | { kind: 'min' } | { kind: 'mean-of-last'; k: number };

/** `last`, `min` or `mean-of-last-K` (K ≥ 1); null for anything else. */
export function parseReduction(text: string): Reduction | null {
  if (text === 'last' || text === 'min') return { kind: text };
  const m = /^mean-of-last-(\d+)$/.exec(text);
  return m && Number(m[1]) >= 1 ? { kind: 'mean-of-last', k: Number(m[1]) } : null;
}

export const reductionName = (r: Reduction): string => (r.kind === 'mean-of-last' ? `mean-of-last-${r.k}` : r.kind);

export interface RunMetrics {
  /** `node.name` → the reduced value (one-off metrics: their value). */
  values: Record<string, number>;
  /** Lines that did not parse (a torn last line after a kill). */
  skippedLines: number;
}

/** One number per scalar metric of the run whose `metrics.jsonl` is `file` (absent file: none). */
export function reduceRunMetrics(file: string, reduction: Reduction): RunMetrics {
  const stepped = new Map<string, number[]>();
  const once = new Map<string, number>();
  const { skippedLines } = readMetricsFile(file, (e) => {
    if (typeof e.value !== 'number') return;
    const ref = `${e.node}.${e.name}`;
    if (e.step === null) { once.set(ref, e.value); return; }
    const list = stepped.get(ref);
    if (list) list.push(e.value); else stepped.set(ref, [e.value]);
  });
  const values: Record<string, number> = {};
  for (const [ref, xs] of stepped) values[ref] = reduce(xs, reduction);
  for (const [ref, x] of once) values[ref] = x;
  return { values, skippedLines };
}

function reduce(xs: number[], r: Reduction): number {
  if (r.kind === 'last') return xs[xs.length - 1]!;
  if (r.kind === 'min') return xs.reduce((a, b) => Math.min(a, b), Infinity);
  const tail = xs.slice(-r.k);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

export interface MetricSummary extends SeedStats {
  /** The value of each completed run, by its seed (`"default"` when it has none). */
  values: Record<string, number>;
}

export interface PointSummary { point: Overrides; runs: number; completed: number; metrics: Record<string, MetricSummary> }

/** One run (one seed of one point) and its reduced metrics. */
export interface SummaryRow { id: number; point: Overrides; seed: number | null; status: PointStatus | string; dir: string; attempts: number; metrics: Record<string, number> }

/** Identity of a point: its parameters in name order (so `{a, b}` and `{b, a}` are one point). */
export const pointKey = (point: Overrides): string => JSON.stringify(Object.entries(point).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Group runs into points (in order of first appearance) with statistics over their completed runs. */
export function summarizePoints(rows: readonly Pick<SummaryRow, 'point' | 'seed' | 'status' | 'metrics'>[]): PointSummary[] {
  const groups = new Map<string, (typeof rows)[number][]>();
  for (const r of rows) {
    const key = pointKey(r.point);
    const g = groups.get(key);
    if (g) g.push(r); else groups.set(key, [r]);
  }
  return [...groups.values()].map((runs) => {
    const done = runs.filter((r) => r.status === 'completed');
    const refs = [...new Set(done.flatMap((r) => Object.keys(r.metrics)))].sort();
    const metrics: Record<string, MetricSummary> = {};
    for (const ref of refs) {
      const have = done.filter((r) => r.metrics[ref] !== undefined);
      metrics[ref] = { ...seedStats(have.map((r) => r.metrics[ref]!)), values: Object.fromEntries(have.map((r) => [r.seed === null ? 'default' : String(r.seed), r.metrics[ref]!])) };
    }
    return { point: runs[0]!.point, runs: runs.length, completed: done.length, metrics };
  });
}

export interface Summary {
  graph: string;
  reduction: string;
  paramNames: string[];
  points: PointSummary[];
  rows: SummaryRow[];
  /** Unparseable metrics.jsonl lines skipped (a torn last line of a killed run), per run directory. */
  skippedLines: Record<string, number>;
}

/** The summary of the sweep in `dir` from whatever has completed so far. */
export function summarizeSweep(dir: string, m: SweepManifest): Summary {
  const reduction = parseReduction(m.summary);
  if (!reduction) throw new Error(`${join(dir, 'sweep.json')}: summary '${m.summary}' is not last, min or mean-of-last-K`);
  const rows: SummaryRow[] = [];
  const skippedLines: Record<string, number> = {};
  for (const p of m.points) {
    const read = p.status === 'completed' ? reduceRunMetrics(join(dir, p.dir, 'metrics.jsonl'), reduction) : { values: {}, skippedLines: 0 };
    if (read.skippedLines) skippedLines[p.dir] = read.skippedLines;
    rows.push({ id: p.id, point: p.overrides, seed: p.seed, status: p.status, dir: p.dir, attempts: p.attempts, metrics: read.values });
  }
  const paramNames = [...new Set(m.points.flatMap((p) => Object.keys(p.overrides)))];
  return { graph: m.graphName, reduction: m.summary, paramNames, points: summarizePoints(rows), rows, skippedLines };
}
