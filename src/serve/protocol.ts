/**
 * What the server sends the browser app (src/ui): the JSON of `GET /state` and of the `state`
 * and `delta` Server-Sent Events on `GET /events`. One app draws all three sources:
 *
 *  - `run`   one run, live (`run --dashboard`, `dashboardSink`): a snapshot, then deltas;
 *  - `sweep` a sweep, live (`sweep --dashboard`): a fresh snapshot whenever a point ends;
 *  - `files` finished runs and sweeps read from disk (`eigenflow view`): one snapshot.
 *
 * Numbers that are not finite travel as the strings "NaN", "Infinity" and "-Infinity" (JSON has
 * no such numbers); the app turns them back. Values read from files are already null there.
 */
import type { MetricKind } from '../node.ts';
import type { ManifestStatus, RunStatus } from '../record/events.ts';
import type { MetricSummary } from '../record/summary.ts';

/** A number as sent: non-finite values are strings. */
export type Wire = number | string | null;

export interface SeriesState { steps: number[]; values: Wire[]; last: [number, Wire] }

export interface ArrayState { step: number | null; values: Wire[]; kind: MetricKind; cols?: number }

export interface ProgressState { step: number; total: number | null; rate: number; elapsed: number }

export interface LogLine { time: number; node: string; message: string }

/** A graph's declared line plot (several metrics in one chart). */
export interface DeclaredPlot { title: string; y: string[]; logY: boolean | null }

/**
 * Mean and band per stepped metric over the members of a batched run (fed by the members
 * summary): drawn like a sweep's bands, one line per metric with its band.
 */
export interface MembersSummary {
  /** How many members the statistics are over. */
  members: number;
  /** `node.name` → per step: mean and the band's low and high ends. */
  metrics: Record<string, { steps: number[]; mean: Wire[]; lo: Wire[]; hi: Wire[] }>;
}

/** One run, live. */
export interface RunState {
  source: 'run';
  graph: string;
  status: ManifestStatus;
  error: string | null;
  outDir: string | null;
  start: number;
  end: number | null;
  /** Server clock when the snapshot was taken (the app corrects its own clock by it). */
  now: number;
  events: number;
  logY: Record<string, boolean>;
  /** The graph's declared line plots, shown first. */
  plots: DeclaredPlot[];
  series: Record<string, SeriesState>;
  /** Array-valued metrics (latest value) with the kind they are drawn as. */
  spectra: Record<string, ArrayState>;
  scalars: Record<string, Wire>;
  progress: Record<string, ProgressState>;
  logs: LogLine[];
  members?: MembersSummary;
}

/** What changed since the last message (`reset`: the series was thinned, replace it). */
export interface RunDelta {
  events: number;
  now: number;
  series?: Record<string, { reset: boolean; steps: number[]; values: Wire[]; last: [number, Wire] }>;
  spectra?: Record<string, ArrayState>;
  scalars?: Record<string, Wire>;
  progress?: Record<string, ProgressState>;
  logs?: LogLine[];
  members?: MembersSummary;
}

/** A finished (or running) run read from its directory. */
export interface RunFiles {
  /** The directory's name. */
  name: string;
  /** Legend text: the name, the graph when runs of several graphs are shown, and the parameters that differ. */
  label: string;
  dir: string;
  status: string;
  graph: string;
  seed: number | null;
  params: Record<string, unknown>;
  series: Record<string, { steps: number[]; values: (number | null)[]; times: number[] }>;
  arrays: Record<string, (number | null)[]>;
  kinds: Record<string, MetricKind>;
  /** Columns of matrix metrics, as the run's manifest declares them. */
  cols: Record<string, number>;
  guessedKinds: string[];
  scalars: Record<string, number | null>;
  skippedLines: number;
}

export interface SweepPointState {
  point: Record<string, unknown>;
  runs: number;
  completed: number;
  metrics: Record<string, MetricSummary>;
  /** One entry per seed; `dir` is the absolute run directory. */
  seeds: { seed: number | null; status: string; dir: string }[];
}

export interface SweepState {
  name: string;
  dir: string;
  /** Swept parameter names, seed excluded. */
  paramNames: string[];
  reduction: string | null;
  points: SweepPointState[];
}

export interface FilesState {
  source: 'files';
  title: string;
  runs: RunFiles[];
  sweeps: SweepState[];
}

/** A sweep, live: its points so far and how many have ended. */
export interface SweepLiveState {
  source: 'sweep';
  title: string;
  /** `completed` when every point completed, else `failed` (or `cancelled` by a signal). */
  status: 'running' | Exclude<RunStatus, 'diverged'>;
  start: number;
  end: number | null;
  now: number;
  counts: { total: number; completed: number; running: number; failed: number; pending: number };
  sweep: SweepState;
}

export type AppState = RunState | SweepLiveState | FilesState;
