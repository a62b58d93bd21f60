/**
 * Reading a sweep's state: `DIR/sweep.json` with every point's state merged from its status
 * file (`DIR/status/ID.json`, written only by the process running that point). See
 * src/sweep/manifest.ts for how a sweep directory is laid out and written.
 */
import { existsSync, readdirSync } from 'node:fs';
import { InvalidFile, readRegularText, UnreadableFile } from '../safeRead.ts';
import { checkPointState, checkSweepManifest } from './sweepCheck.ts';
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
  /** How points run; `pack`: up to that many points per `eigenflow run`, as its members (`--pack K`). */
  executor: { kind: 'local' | 'slurm'; jobs?: number; parallel?: number | null; slurmArgs?: string[]; retries: number; pack?: number };
  /** Extra `eigenflow run` arguments for every point (backend, --nodes modules). */
  runArgs: string[];
  slurm: SlurmSubmission[];
  points: Point[];
}

export const sweepFile = (dir: string): string => join(dir, 'sweep.json');
export const statusFile = (dir: string, id: number): string => join(dir, 'status', `${id}.json`);

/** A sweep directory is one with a sweep.json. */
export const isSweepDir = (dir: string): boolean => existsSync(sweepFile(dir));

/** State files are small; a bigger one is not one eigenflow wrote (sweep.json of 100,000 points: ~40 MB). */
const STATE_MAX_BYTES = 256 << 20;

/**
 * A state file parsed as JSON: undefined when it does not exist (a status file being replaced is
 * renamed atomically, so it is missing, never torn); an InvalidFile when it is not a regular
 * file, too large or not JSON.
 */
function readStateJson(file: string): unknown {
  let text: string;
  try {
    text = readRegularText(file, STATE_MAX_BYTES);
  } catch (e) {
    if (e instanceof UnreadableFile) { if (e.why === 'no such file') return undefined; throw new InvalidFile(file, e.why); }
    throw e;
  }
  try { return JSON.parse(text); } catch (e) { throw new InvalidFile(file, `not valid JSON (${(e as Error).message}); the sweep's state is corrupt`); }
}

/** The base graph every point runs (DIR/graph.json), or null if it is missing or unreadable. */
export function readSweepGraph(dir: string): GraphSpec | null {
  try {
    return (readStateJson(join(dir, 'graph.json')) ?? null) as GraphSpec | null;
  } catch {
    return null;
  }
}

/** The manifest with every point's state merged from its status file; an InvalidFile names a corrupt one. */
export function loadSweep(dir: string): SweepManifest {
  const file = sweepFile(dir), raw = readStateJson(file);
  if (raw === undefined) throw new InvalidFile(file, 'no such file');
  const m = checkSweepManifest(raw, file, dir);
  const statusDir = join(dir, 'status');
  const files = existsSync(statusDir) ? new Set(readdirSync(statusDir)) : new Set<string>();
  m.points = m.points.map((p) => {
    if (!files.has(`${p.id}.json`)) return p;
    const state = readPointState(dir, p.id);
    return state ? { ...p, ...state } : p;
  });
  return m;
}

/** A point's status file, checked; null when there is none. */
export function readPointState(dir: string, id: number): PointState | null {
  const file = statusFile(dir, id), raw = readStateJson(file);
  return raw === undefined ? null : checkPointState(raw, file);
}
