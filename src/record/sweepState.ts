/**
 * Reading a sweep's state: `DIR/sweep.json` with every point's state merged from its status
 * file (`DIR/status/ID.json`, written only by the process running that point). See
 * src/sweep/manifest.ts for how a sweep directory is laid out and written.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphSpec } from '../graph/spec.ts';
import type { PointStatus } from './events.ts';

export type { PointStatus };

/** A point's parameter values (graph or node parameters), without the seed. */
export type Overrides = Record<string, unknown>;

/** `sigma=[0.01, 0.1]`: the grid's parameters, each with its values. */
export type Grid = [string, unknown[]][];

/** One parameter drawn by `--sample`: log-uniform, uniform or a choice. */
export type Dist =
  | { name: string; kind: 'uniform' | 'loguniform'; lo: number; hi: number }
  | { name: string; kind: 'int'; lo: number; hi: number }
  | { name: string; kind: 'choice'; values: unknown[] };

export interface PointState {
  status: PointStatus;
  attempts: number;
  start: string | null;
  end: string | null;
  /** Who runs (or ran) it: host and pid, and the Slurm job (`array_task`) when Slurm ran it. */
  host?: string;
  pid?: number;
  slurmJob?: string | null;
  exitCode?: number | null;
  error?: string | null;
}

export interface Point extends PointState {
  id: number;
  /** Parameter values of this point (graph or node parameters), without the seed. */
  overrides: Overrides;
  /** The run seed (`--seed`), or null for the graph's default. */
  seed: number | null;
  /** Run directory, relative to the sweep directory. */
  dir: string;
}

export interface SweepDefinition {
  grid: Grid | null;
  sample: { n: number; dists: Dist[]; seed: number } | null;
  seeds: number[] | null;
}

export interface SlurmSubmission { time: string; arrayJob: string; summaryJob: string | null; ids: number[] }

export interface SweepManifest {
  format: 'eigenflow-sweep/1';
  graphName: string;
  /** sha256 of the base graph JSON: a sweep directory belongs to exactly one graph. */
  graphHash: string;
  created: string;
  /** The first definition, then one per `--extend`. */
  definitions: SweepDefinition[];
  /** The reduction of stepped metrics in the summary: last | min | mean-of-last-K. */
  summary: string;
  executor: { kind: 'local' | 'slurm'; jobs?: number; parallel?: number | null; slurmArgs?: string[]; retries: number };
  /** Extra `eigenflow run` arguments for every point (backend, --nodes modules). */
  runArgs: string[];
  slurm: SlurmSubmission[];
  points: Point[];
}

export const sweepFile = (dir: string): string => join(dir, 'sweep.json');
export const statusFile = (dir: string, id: number): string => join(dir, 'status', `${id}.json`);

/** A sweep directory is one with a sweep.json. */
export const isSweepDir = (dir: string): boolean => existsSync(sweepFile(dir));

/** The base graph every point runs (DIR/graph.json), or null if it is missing or unreadable. */
export function readSweepGraph(dir: string): GraphSpec | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8')) as GraphSpec;
  } catch {
    return null;
  }
}

/** The manifest with every point's state merged from its status file. */
export function loadSweep(dir: string): SweepManifest {
  const m = JSON.parse(readFileSync(sweepFile(dir), 'utf8')) as SweepManifest;
  if (m.format !== 'eigenflow-sweep/1') throw new Error(`${sweepFile(dir)} is not an eigenflow sweep manifest`);
  const statusDir = join(dir, 'status');
  const files = existsSync(statusDir) ? new Set(readdirSync(statusDir)) : new Set<string>();
  m.points = m.points.map((p) => {
    if (!files.has(`${p.id}.json`)) return p;
    try {
      return { ...p, ...(JSON.parse(readFileSync(statusFile(dir, p.id), 'utf8')) as PointState) };
    } catch {
      return p; // being replaced right now: the rename is atomic, so this is a missing file, not a torn one
    }
  });
  return m;
}

export function readPointState(dir: string, id: number): PointState | null {
  try {
    return JSON.parse(readFileSync(statusFile(dir, id), 'utf8')) as PointState;
  } catch {
    return null;
  }
}
