/**
 * `eigenflow sweep`: one run per point of a parameter grid, then a summary table
 * (`summary.csv`, `summary.json`: the grid values and the final value of every scalar metric per
 * point) and plots of those final values against the first numeric grid parameter, one series per
 * combination of the others. Each line plot the graph declares becomes one sweep plot of its
 * metrics (so a declared "eval loss vs naive loss" plot becomes eval and naive loss against σ).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { GraphValidationError } from '../graph/errors.ts';
import { parseValue, withOverrides, type GraphSpec, type PlotSpec } from '../graph/spec.ts';
import { validateGraph } from '../graph/validate.ts';
import { linePlot, type Series } from '../plot/svg.ts';
import { runGraph, type RunOptions } from '../run/runGraph.ts';
import type { RunStatus } from '../sinks/sink.ts';
import { UsageError } from './args.ts';

export type Grid = [name: string, values: unknown[]][];

export interface SweepRow { point: Record<string, unknown>; status: RunStatus; dir: string; metrics: Record<string, number> }

/** `sigma=0,0.01,0.02`, `sigma=0:0.08:0.01` (inclusive range) or `wn=asymmetric,symmetric`. */
export function parseGrid(items: string[]): Grid {
  if (items.length === 0) throw new UsageError('eigenflow sweep needs at least one --grid NAME=V1,V2,... (or NAME=START:STOP:STEP)');
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--grid ${item}: expected NAME=V1,V2,... or NAME=START:STOP:STEP`);
    const name = item.slice(0, eq), text = item.slice(eq + 1);
    const range = /^(-?[\d.e+-]+):(-?[\d.e+-]+):([\d.e+-]+)$/.exec(text);
    if (range) {
      const [a, b, s] = range.slice(1).map(Number) as [number, number, number];
      if (!(s > 0) || !(b >= a)) throw new UsageError(`--grid ${item}: a range START:STOP:STEP needs STEP > 0 and STOP ≥ START`);
      const count = Math.floor((b - a) / s + 1e-9) + 1;
      return [name, Array.from({ length: count }, (_, i) => Number((a + i * s).toPrecision(12)))];
    }
    return [name, text.split(',').map(parseValue)];
  });
}

export function gridPoints(grid: Grid): Record<string, unknown>[] {
  return grid.reduce<Record<string, unknown>[]>((acc, [name, values]) => acc.flatMap((p) => values.map((v) => ({ ...p, [name]: v }))), [{}]);
}

const pointLabel = (p: Record<string, unknown>): string => Object.entries(p).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
const dirName = (i: number, p: Record<string, unknown>): string => `${String(i + 1).padStart(3, '0')}-${pointLabel(p).replace(/[^A-Za-z0-9=.+-]+/g, '_')}`;

export interface SweepOptions extends RunOptions {
  /** Points run at once. Above 1, each point runs in its own `eigenflow run` process (the wasm backend is single-threaded). */
  jobs?: number;
  /** Extra arguments for those processes (e.g. `--nodes MODULE`). */
  childArgs?: string[];
}

export async function sweep(base: GraphSpec, grid: Grid, outDir: string, opts: SweepOptions, log: (line: string) => void): Promise<SweepRow[]> {
  const points = gridPoints(grid);
  // Every point is validated before anything runs or is written.
  const problems: string[] = [];
  const specs = points.map((p) => {
    try {
      const spec = withOverrides(base, p);
      validateGraph(spec);
      return spec;
    } catch (e) {
      if (!(e instanceof GraphValidationError)) throw e;
      problems.push(...e.problems.map((msg) => `at ${pointLabel(p)}: ${msg}`));
      return null;
    }
  });
  if (problems.length) throw new GraphValidationError(base.name, problems);
  mkdirSync(outDir, { recursive: true });
  const jobs = Math.max(1, opts.jobs ?? 1);
  const rows: (SweepRow & { index: number })[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < points.length && !opts.signal?.aborted) {
      const i = next++;
      const p = points[i]!;
      const dir = join(outDir, dirName(i, p));
      log(`[${i + 1}/${points.length}] ${pointLabel(p)}`);
      const { status, last } = jobs > 1 ? await runInChild(specs[i]!, dir, opts) : await runGraph(specs[i]!, { ...opts, outDir: dir, collect: false });
      const metrics = Object.fromEntries(Object.entries(last).filter((kv): kv is [string, number] => typeof kv[1] === 'number'));
      rows.push({ index: i, point: p, status, dir, metrics });
      rows.sort((a, b) => a.index - b.index);
      writeSummary(outDir, grid, rows, base.plots);
      if (jobs > 1) log(`[${i + 1}/${points.length}] ${pointLabel(p)}: ${status}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, points.length) }, worker));
  return rows.map(({ index: _i, ...row }) => row);
}

/** One point in its own `eigenflow run` process; its status and last values are read back from disk. */
async function runInChild(spec: GraphSpec, dir: string, opts: SweepOptions): Promise<{ status: RunStatus; last: Record<string, unknown> }> {
  mkdirSync(dir, { recursive: true });
  const graphFile = join(dir, 'graph.json');
  writeFileSync(graphFile, `${JSON.stringify(spec, null, 2)}\n`);
  const args = [fileURLToPath(new URL('../../bin/eigenflow.js', import.meta.url)), 'run', graphFile, '--out', dir, '--quiet',
    ...(opts.seed !== undefined ? ['--seed', String(opts.seed)] : []), ...(opts.backend ? ['--backend', opts.backend] : []), ...(opts.childArgs ?? [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = (): boolean => child.kill('SIGINT');
  opts.signal?.addEventListener('abort', stop);
  await new Promise((resolve) => child.on('exit', resolve));
  opts.signal?.removeEventListener('abort', stop);
  const manifestFile = join(dir, 'manifest.json');
  const status = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')).status as RunStatus) : 'failed';
  const last: Record<string, unknown> = {};
  const metricsFile = join(dir, 'metrics.jsonl');
  if (existsSync(metricsFile)) {
    for (const line of readFileSync(metricsFile, 'utf8').split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as { node: string; name: string; value: unknown };
      last[`${e.node}.${e.name}`] = e.value;
    }
  }
  return { status, last };
}

function writeSummary(outDir: string, grid: Grid, rows: SweepRow[], declared: readonly PlotSpec[] | undefined): void {
  const names = grid.map(([n]) => n);
  const refs = [...new Set(rows.flatMap((r) => Object.keys(r.metrics)))].sort();
  const csv = [[...names, 'status', ...refs].join(',')];
  for (const r of rows) csv.push([...names.map((n) => JSON.stringify(r.point[n])), r.status, ...refs.map((ref) => r.metrics[ref] ?? '')].join(','));
  writeFileSync(join(outDir, 'summary.csv'), `${csv.join('\n')}\n`);
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify({ grid: Object.fromEntries(grid), rows }, null, 2)}\n`);
  const x = names.find((n) => rows.every((r) => typeof r.point[n] === 'number'));
  if (!x) return;
  const plotDir = join(outDir, 'plots');
  mkdirSync(plotDir, { recursive: true });
  const plots: PlotSpec[] = declared?.filter((p) => p.y).length ? declared.filter((p) => p.y) : refs.map((ref) => ({ title: ref, y: [ref] }));
  for (const p of plots) {
    const series: Series[] = [];
    for (const ref of p.y!) {
      const groups = new Map<string, [number, number][]>();
      for (const r of rows) {
        if (r.metrics[ref] === undefined) continue;
        const key = pointLabel(Object.fromEntries(names.filter((n) => n !== x).map((n) => [n, r.point[n]])));
        groups.set(key, [...(groups.get(key) ?? []), [r.point[x] as number, r.metrics[ref]!]]);
      }
      for (const [key, points] of groups) series.push({ label: key ? `${ref} (${key})` : ref, points, dots: true });
    }
    if (series.length === 0) continue;
    const title = `${p.title ?? p.y!.join(', ')} vs ${x}`;
    const svg = linePlot({ title, series, xLabel: x, yLabel: p.y!.length === 1 ? p.y![0] : 'final value', logY: p.logY ?? series.every((s) => s.points.every(([, y]) => y > 0)) });
    writeFileSync(join(plotDir, `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.svg`), svg);
  }
}
