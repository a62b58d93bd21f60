/**
 * Reading finished runs and sweeps back from disk for `eigenflow view`, through the run record's
 * readers (src/record): metrics.jsonl (a torn or unparsable line is skipped and counted, never
 * fatal), manifest.json, and sweeps.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { metricSpecOf } from '../graph/declarations.ts';
import type { MetricKind } from '../node.ts';
import { metricKindOf } from '../plot/metricKind.ts';
import { declarationOf, readManifest, type ManifestSummary } from '../record/manifest.ts';
import { readMetricsFile } from '../record/metricsFile.ts';
import { isViewableSweep, readSweepSummary, type SweepData } from './sweepData.ts';

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

export const isRunDir = (dir: string): boolean => existsSync(join(dir, 'metrics.jsonl')) || existsSync(join(dir, 'manifest.json'));

/**
 * A metric's declared kind: from the run's own manifest (format 2), else (older runs) from its
 * graph through the node registry; undefined when neither knows it.
 */
function declaredKind(manifest: ManifestSummary | null, node: string, name: string): MetricKind | undefined {
  if (!manifest) return undefined;
  return declarationOf(manifest.metrics, `${node}.${name}`)?.kind ?? (manifest.graph ? metricSpecOf(manifest.graph, node, name)?.kind : undefined);
}

export function readRun(dirIn: string): RunData {
  const dir = resolve(dirIn);
  const run: RunData = { name: basename(dir), dir, status: 'unknown', graph: '', seed: null, params: {}, series: {}, arrays: {}, kinds: {}, guessedKinds: [], scalars: {}, skippedLines: 0 };
  let manifest: ManifestSummary | null = null;
  try {
    manifest = readManifest(dir);
    if (manifest) Object.assign(run, { status: manifest.status ?? 'unknown', seed: manifest.seed, graph: manifest.graphName, params: manifest.params });
  } catch { run.status = 'unreadable manifest'; }
  const { skippedLines } = readMetricsFile(join(dir, 'metrics.jsonl'), (e) => {
    const ref = `${e.node}.${e.name}`;
    if (Array.isArray(e.value)) {
      run.arrays[ref] = e.value;
      if (!(ref in run.kinds)) {
        const declared = declaredKind(manifest, e.node, e.name);
        run.kinds[ref] = metricKindOf(e.node, e.name, e.value as number[], () => declared);
        if (!declared) run.guessedKinds.push(ref);
      }
    } else if (e.step === null) run.scalars[ref] = e.value;
    else {
      const s = (run.series[ref] ??= { steps: [], values: [], times: [] });
      s.steps.push(e.step); s.values.push(e.value); s.times.push(e.time ?? NaN);
    }
  });
  run.skippedLines = skippedLines;
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
    if (isViewableSweep(d)) { const s = readSweep(d); sweeps.push(s.sweep); s.runs.forEach(addRun); continue; }
    if (isRunDir(d)) { addRun(readRun(d)); continue; }
    const children = readdirSync(d).map((c) => join(d, c)).filter((c) => statSync(c).isDirectory());
    const found = children.filter((c) => isRunDir(c) || isViewableSweep(c));
    if (found.length === 0) throw new Error(`${d}: no run (metrics.jsonl, manifest.json) or sweep (summary.json) here or one level below`);
    for (const c of found.sort()) {
      if (isViewableSweep(c)) { const s = readSweep(c); sweeps.push(s.sweep); s.runs.forEach(addRun); } else addRun(readRun(c));
    }
  }
  return { runs, sweeps };
}

/** The graph parameters whose values differ between runs (legend text besides the run name). */
export function differingParams(runs: readonly RunData[]): string[] {
  const keys = new Set(runs.flatMap((r) => Object.keys(r.params)));
  return [...keys].filter((k) => new Set(runs.map((r) => JSON.stringify(r.params[k]))).size > 1).sort();
}
