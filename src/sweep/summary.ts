/**
 * `summary.json`, `summary.csv` and `plots/` of a sweep, rebuilt from whatever has completed
 * (the statistics come from src/record/summary.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlotSpec } from '../graph/spec.ts';
import { linePlot, type Series } from '../plot/svg.ts';
import { summarizeSweep, type PointSummary, type Summary } from '../record/summary.ts';
import { readSweepGraph, type SweepManifest } from '../record/sweepState.ts';
import { pointLabel } from './grid.ts';
import { writeAtomic } from './manifest.ts';

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
  const s = summarizeSweep(dir, m);
  const base = readSweepGraph(dir);
  writeAtomic(join(dir, 'summary.json'), `${JSON.stringify({ ...s, definitions: m.definitions }, null, 2)}\n`);
  writeAtomic(join(dir, 'summary.csv'), summaryCsv(s));
  try {
    const plots = summaryPlots(s, base?.plots);
    if (plots.length) mkdirSync(join(dir, 'plots'), { recursive: true });
    for (const p of plots) writeFileSync(join(dir, 'plots', p.file), p.svg);
  } catch (e) {
    log(`sweep: plots skipped: ${(e as Error).message}`);
  }
  const torn = Object.values(s.skippedLines).reduce((a, b) => a + b, 0);
  if (torn) log(`sweep: skipped ${torn} unreadable metrics.jsonl line(s) (a run killed mid-write) in ${Object.keys(s.skippedLines).join(', ')}`);
  return s;
}
