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
import { ThinnedSeries } from '../record/thinning.ts';
import type { RunFiles } from '../serve/protocol.ts';
import { isViewableSweep, readSweepSummary, type SweepData } from './sweepData.ts';

export type { SweepData };

/** A run read from its directory (the served `RunFiles` without its legend label). */
export type RunData = Omit<RunFiles, 'label'>;

/** Points kept per stepped metric of a run (evenly spaced over the run, the last one always). */
const MAX_POINTS = 4000;

export const isRunDir = (dir: string): boolean => existsSync(join(dir, 'metrics.jsonl')) || existsSync(join(dir, 'manifest.json'));

/**
 * A metric's declared kind and width: from the run's own manifest (format 2), else (older runs)
 * the kind from its graph through the node registry; undefined when neither knows it.
 */
function declared(manifest: ManifestSummary | null, node: string, name: string): { kind: MetricKind; cols?: number } | undefined {
  if (!manifest) return undefined;
  const own = declarationOf(manifest.metrics, `${node}.${name}`);
  if (own) return own;
  const kind = manifest.graph ? metricSpecOf(manifest.graph, node, name)?.kind : undefined;
  return kind ? { kind } : undefined;
}

export function readRun(dirIn: string): RunData {
  const dir = resolve(dirIn);
  const run: RunData = { name: basename(dir), dir, status: 'unknown', graph: '', seed: null, params: {}, series: {}, arrays: {}, kinds: {}, cols: {}, guessedKinds: [], scalars: {}, skippedLines: 0 };
  let manifest: ManifestSummary | null = null;
  try {
    manifest = readManifest(dir);
    if (manifest) Object.assign(run, { status: manifest.status ?? 'unknown', seed: manifest.seed, graph: manifest.graphName, params: manifest.params });
  } catch { run.status = 'unreadable manifest'; }
  const stepped = new Map<string, ThinnedSeries<number | null>>();
  const { skippedLines } = readMetricsFile(join(dir, 'metrics.jsonl'), (e) => {
    const ref = `${e.node}.${e.name}`;
    if (Array.isArray(e.value)) {
      run.arrays[ref] = e.value;
      if (!(ref in run.kinds)) {
        const d = declared(manifest, e.node, e.name);
        run.kinds[ref] = metricKindOf(e.node, e.name, e.value as number[], () => d?.kind);
        if (d?.cols) run.cols[ref] = d.cols;
        if (!d) run.guessedKinds.push(ref);
      }
    } else if (e.step === null) run.scalars[ref] = e.value;
    else {
      let s = stepped.get(ref);
      if (!s) stepped.set(ref, (s = new ThinnedSeries<number | null>(MAX_POINTS, true)));
      s.push(e.step, e.value, e.time ?? NaN);
    }
  });
  for (const [ref, s] of stepped) run.series[ref] = s.withLast();
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
