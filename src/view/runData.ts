/**
 * Reading finished runs and sweeps back from disk for `eigenflow view`: metrics.jsonl (a torn or
 * unparsable line is skipped and counted, never fatal), manifest.json, and a sweep's summary.json.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { metricSpecOf } from '../graph/declarations.ts';
import type { GraphSpec } from '../graph/spec.ts';
import type { MetricKind } from '../node.ts';
import { metricKindOf } from '../plot/metricKind.ts';
import { readSweepSummary, type SweepData } from './sweepData.ts';

export type { SweepData };

export interface RunData {
  /** The directory's name, shown in legends. */
  name: string;
  dir: string;
  status: string;
  graph: string;
  seed: number | null;
  params: Record<string, unknown>;
  /** Stepped scalars: steps, values, wall-clock times (ms since the epoch). */
  series: Record<string, { steps: number[]; values: (number | null)[]; times: number[] }>;
  /** Array metrics: their last value. */
  arrays: Record<string, (number | null)[]>;
  /**
   * How to draw each array metric: its node type's declared kind (`array`: a spectrum, log-log
   * against rank; `series`: against its index from 0; `matrix`: a heatmap), looked up from the
   * resolved graph in manifest.json through the node registry; a guess when the type is unknown.
   */
  kinds: Record<string, MetricKind>;
  /** Array metrics whose kind was guessed (node type not registered here). */
  guessedKinds: string[];
  /** One-off scalars. */
  scalars: Record<string, number | null>;
  /** Lines of metrics.jsonl that did not parse (a torn last line after a crash). */
  skippedLines: number;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export const isRunDir = (dir: string): boolean => existsSync(join(dir, 'metrics.jsonl')) || existsSync(join(dir, 'manifest.json'));
export const isSweepDir = (dir: string): boolean => existsSync(join(dir, 'summary.json'));

export function readRun(dirIn: string): RunData {
  const dir = resolve(dirIn);
  const run: RunData = { name: basename(dir), dir, status: 'unknown', graph: '', seed: null, params: {}, series: {}, arrays: {}, kinds: {}, guessedKinds: [], scalars: {}, skippedLines: 0 };
  let graph: GraphSpec | null = null;
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) {
    try {
      const m = readJson(manifestPath);
      if (isObject(m)) {
        if (typeof m.status === 'string') run.status = m.status;
        if (typeof m.seed === 'number') run.seed = m.seed;
        if (isObject(m.graph)) {
          if (typeof m.graph.name === 'string') run.graph = m.graph.name;
          if (isObject(m.graph.params)) run.params = { ...m.graph.params };
          if (isObject(m.graph.nodes)) graph = m.graph as unknown as GraphSpec;
        }
      }
    } catch { run.status = 'unreadable manifest'; }
  }
  const metricsPath = join(dir, 'metrics.jsonl');
  if (!existsSync(metricsPath)) return run;
  for (const line of readFileSync(metricsPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let e: unknown;
    try { e = JSON.parse(line); } catch { run.skippedLines++; continue; }
    if (!isObject(e) || typeof e.node !== 'string' || typeof e.name !== 'string') { run.skippedLines++; continue; }
    const ref = `${e.node}.${e.name}`;
    const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
    if (Array.isArray(e.value)) {
      run.arrays[ref] = e.value.map(num);
      if (!(ref in run.kinds)) {
        const declared = graph ? metricSpecOf(graph, e.node, e.name)?.kind : undefined;
        run.kinds[ref] = metricKindOf(e.node, e.name, e.value as number[], () => declared);
        if (!declared) run.guessedKinds.push(ref);
      }
    }
    else if (typeof e.step !== 'number') run.scalars[ref] = num(e.value);
    else {
      const s = (run.series[ref] ??= { steps: [], values: [], times: [] });
      s.steps.push(e.step); s.values.push(num(e.value)); s.times.push(typeof e.time === 'number' ? e.time : NaN);
    }
  }
  return run;
}

export function readSweep(dir: string): { sweep: SweepData; runs: RunData[] } {
  const sweep = readSweepSummary(dir);
  const runs = sweep.points.flatMap((p) => p.seeds).filter((r) => isRunDir(r.dir)).map((r) => readRun(r.dir));
  return { sweep, runs };
}

/** Every run and sweep under the given directories (a directory of runs is expanded one level). */
export function readDirs(dirs: readonly string[]): { runs: RunData[]; sweeps: SweepData[] } {
  const runs: RunData[] = [], sweeps: SweepData[] = [];
  const seen = new Set<string>();
  const addRun = (r: RunData): void => { if (!seen.has(r.dir)) { seen.add(r.dir); runs.push(r); } };
  for (const d of dirs) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new Error(`${d}: not a directory`);
    if (isSweepDir(d)) { const s = readSweep(d); sweeps.push(s.sweep); s.runs.forEach(addRun); continue; }
    if (isRunDir(d)) { addRun(readRun(d)); continue; }
    const children = readdirSync(d).map((c) => join(d, c)).filter((c) => statSync(c).isDirectory());
    const found = children.filter((c) => isRunDir(c) || isSweepDir(c));
    if (found.length === 0) throw new Error(`${d}: no run (metrics.jsonl, manifest.json) or sweep (summary.json) here or one level below`);
    for (const c of found.sort()) {
      if (isSweepDir(c)) { const s = readSweep(c); sweeps.push(s.sweep); s.runs.forEach(addRun); } else addRun(readRun(c));
    }
  }
  return { runs, sweeps };
}

/** The graph parameters whose values differ between runs (legend text besides the run name). */
export function differingParams(runs: readonly RunData[]): string[] {
  const keys = new Set(runs.flatMap((r) => Object.keys(r.params)));
  return [...keys].filter((k) => new Set(runs.map((r) => JSON.stringify(r.params[k]))).size > 1).sort();
}
