/**
 * `summary.json`, `summary.csv` and `plots/` of a sweep, rebuilt from whatever has completed.
 *
 * Runs that differ only in their seed form one point; each metric of a point gets the mean, sample
 * standard deviation, standard error and 95% interval over its completed seeds, plus the per-seed
 * values. Stepped metrics are first reduced to one number per run (last | min | mean-of-last-K).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphSpec, PlotSpec } from '../graph/spec.ts';
import { linePlot, type Series } from '../plot/svg.ts';
import { pointLabel, type Overrides } from './grid.ts';
import { writeAtomic, type PointStatus, type SweepManifest } from './manifest.ts';
import { parseReduction, readRunMetrics } from './runMetrics.ts';
import { seedStats, type SeedStats } from './stats.ts';

/** One run (one seed of one point). */
export interface SummaryRow { id: number; point: Overrides; seed: number | null; status: PointStatus; dir: string; attempts: number; metrics: Record<string, number> }

export interface MetricSummary extends SeedStats {
  /** The value of each completed seed (`"default"` when the sweep has no --seeds). */
  values: Record<string, number>;
}

export interface PointSummary { point: Overrides; runs: number; completed: number; metrics: Record<string, MetricSummary> }

export interface Summary {
  graph: string;
  reduction: string;
  paramNames: string[];
  points: PointSummary[];
  rows: SummaryRow[];
  /** Unparseable metrics.jsonl lines skipped (a torn last line of a killed run), per run directory. */
  skippedLines: Record<string, number>;
}

export function buildSummary(dir: string, m: SweepManifest): Summary {
  const reduction = parseReduction(m.summary);
  const rows: SummaryRow[] = [];
  const skippedLines: Record<string, number> = {};
  for (const p of m.points) {
    const read = p.status === 'completed' ? readRunMetrics(join(dir, p.dir, 'metrics.jsonl'), reduction) : { values: {}, skippedLines: 0 };
    if (read.skippedLines) skippedLines[p.dir] = read.skippedLines;
    rows.push({ id: p.id, point: p.overrides, seed: p.seed, status: p.status, dir: p.dir, attempts: p.attempts, metrics: read.values });
  }
  const groups = new Map<string, SummaryRow[]>();
  for (const r of rows) {
    const key = JSON.stringify(Object.entries(r.point));
    const g = groups.get(key);
    if (g) g.push(r); else groups.set(key, [r]);
  }
  const points: PointSummary[] = [...groups.values()].map((runs) => {
    const done = runs.filter((r) => r.status === 'completed');
    const refs = [...new Set(done.flatMap((r) => Object.keys(r.metrics)))].sort();
    const metrics: Record<string, MetricSummary> = {};
    for (const ref of refs) {
      const have = done.filter((r) => r.metrics[ref] !== undefined);
      metrics[ref] = { ...seedStats(have.map((r) => r.metrics[ref]!)), values: Object.fromEntries(have.map((r) => [r.seed === null ? 'default' : String(r.seed), r.metrics[ref]!])) };
    }
    return { point: runs[0]!.point, runs: runs.length, completed: done.length, metrics };
  });
  const paramNames = [...new Set(m.points.flatMap((p) => Object.keys(p.overrides)))];
  return { graph: m.graphName, reduction: m.summary, paramNames, points, rows, skippedLines };
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One line per point: its parameters, `status` (completed, or k/n completed), n, then per metric mean, sd, se, lo95, hi95. */
export function summaryCsv(s: Summary): string {
  const refs = [...new Set(s.points.flatMap((p) => Object.keys(p.metrics)))].sort();
  const head = [...s.paramNames, 'status', 'n', ...refs.flatMap((r) => [r, `${r}.sd`, `${r}.se`, `${r}.lo95`, `${r}.hi95`])];
  const lines = [head.map(csvCell).join(',')];
  for (const p of s.points) {
    const status = p.completed === p.runs ? 'completed' : `${p.completed}/${p.runs} completed`;
    const cells = refs.flatMap((r) => {
      const x = p.metrics[r];
      return x ? [x.mean, x.sd, x.se, x.ci95?.[0] ?? null, x.ci95?.[1] ?? null] : [null, null, null, null, null];
    });
    lines.push([...s.paramNames.map((n) => csvCell(p.point[n])), status, String(p.completed), ...cells.map(csvCell)].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Plots of each metric's mean (95% band over seeds) against the first numeric parameter, one series
 * per combination of the others. Each line plot the graph declares becomes one sweep plot of its metrics.
 */
export function summaryPlots(s: Summary, declared: readonly PlotSpec[] | undefined): { file: string; svg: string }[] {
  const x = s.paramNames.find((n) => s.points.every((p) => typeof p.point[n] === 'number'));
  if (!x) return [];
  const refs = [...new Set(s.points.flatMap((p) => Object.keys(p.metrics)))].sort();
  const lineSpecs = declared?.filter((p) => p.y) ?? [];
  const plots: PlotSpec[] = lineSpecs.length ? lineSpecs : refs.map((ref) => ({ title: ref, y: [ref] }));
  const others = s.paramNames.filter((n) => n !== x);
  const out: { file: string; svg: string }[] = [];
  for (const spec of plots) {
    const series: Series[] = [];
    for (const ref of spec.y!) {
      const groups = new Map<string, PointSummary[]>();
      for (const p of s.points) {
        if (p.metrics[ref]?.mean == null) continue;
        const key = pointLabel(Object.fromEntries(others.map((n) => [n, p.point[n]])));
        const g = groups.get(key);
        if (g) g.push(p); else groups.set(key, [p]);
      }
      const perGroup: Series[] = [];
      for (const [key, ps] of groups) {
        ps.sort((a, b) => (a.point[x] as number) - (b.point[x] as number));
        const band = ps.filter((p) => p.metrics[ref]!.ci95).map((p) => [p.point[x] as number, ...p.metrics[ref]!.ci95!] as [number, number, number]);
        perGroup.push({ label: key ? `${ref} (${key})` : ref, points: ps.map((p) => [p.point[x] as number, p.metrics[ref]!.mean!]), dots: true, ...(band.length ? { band } : {}) });
      }
      // A metric that does not depend on the other parameters (a reference value) is drawn once.
      const same = perGroup.length > 1 && perGroup.every((g) => JSON.stringify([g.points, g.band]) === JSON.stringify([perGroup[0]!.points, perGroup[0]!.band]));
      series.push(...(same ? [{ ...perGroup[0]!, label: ref }] : perGroup));
    }
    if (series.length === 0) continue;
    const title = `${spec.title ?? spec.y!.join(', ')} vs ${x}`;
    const seeds = Math.max(...s.points.map((p) => p.completed));
    const yLabel = `${spec.y!.length === 1 ? spec.y![0] : 'value'} (${s.reduction}${seeds > 1 ? '; mean, 95% band over seeds' : ''})`;
    const allPositive = series.every((se) => se.points.every(([, y]) => y > 0) && (se.band ?? []).every(([, lo]) => lo > 0));
    out.push({ file: `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.svg`, svg: linePlot({ title, series, xLabel: x, yLabel, logY: spec.logY ? allPositive : allPositive && spec.logY !== false }) });
  }
  return out;
}

/** Write summary.json, summary.csv and plots/ for the sweep in `dir`; plots that fail are reported, not fatal. */
export function writeSummary(dir: string, m: SweepManifest, log: (line: string) => void = () => {}): Summary {
  const s = buildSummary(dir, m);
  const base = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as GraphSpec;
  writeAtomic(join(dir, 'summary.json'), `${JSON.stringify({ ...s, definitions: m.definitions }, null, 2)}\n`);
  writeAtomic(join(dir, 'summary.csv'), summaryCsv(s));
  try {
    const plots = summaryPlots(s, base.plots);
    if (plots.length) mkdirSync(join(dir, 'plots'), { recursive: true });
    for (const p of plots) writeFileSync(join(dir, 'plots', p.file), p.svg);
  } catch (e) {
    log(`sweep: plots skipped: ${(e as Error).message}`);
  }
  const torn = Object.values(s.skippedLines).reduce((a, b) => a + b, 0);
  if (torn) log(`sweep: skipped ${torn} unreadable metrics.jsonl line(s) (a run killed mid-write) in ${Object.keys(s.skippedLines).join(', ')}`);
  return s;
}
