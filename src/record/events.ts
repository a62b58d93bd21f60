/**
 * The types every part of eigenflow agrees on — the metrics bus, progress reports and how a run
 * ends. Nodes, sinks, the runner and user code all import them from here (or from `eigenflow`,
 * which re-exports them).
 */

/**
 * One event on the metrics bus; also one line of `metrics.jsonl`. `MetricEvent<number>` is a
 * scalar metric's event (what `scalarMetric('node.name')` passes on), `MetricEvent<number[]>` an
 * array's.
 */
export interface MetricEvent<V extends number | number[] = number | number[]> {
  /** Id of the node that emitted it. */
  node: string;
  /** Metric name, declared in the node type's `metrics`. */
  name: string;
  /** Training step, or null for a one-off value. */
  step: number | null;
  /** A number, or an array of numbers (a spectrum, a kernel, a row-major matrix). */
  value: V;
  /** Milliseconds since the epoch when it was emitted. */
  time: number;
  /**
   * Which member of a batched run emitted it (an integer index). Only on the live stream and the
   * parent record of a member run; a member's own `metrics.jsonl` leaves it out.
   */
  member?: number;
}

/** A generator's progress: step `step` of `total` (null when it does not know). */
export interface Progress {
  node: string;
  step: number;
  total: number | null;
}

/**
 * How a run ended. `completed`: every node finished. `failed`: a node threw, or an output file
 * could not be written. `cancelled`: Ctrl-C, SIGTERM, SIGHUP, an AbortSignal or unsubscribing.
 * `diverged`: a loss metric became NaN or infinite.
 */
export const RUN_STATUSES = ['completed', 'failed', 'cancelled', 'diverged'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run's status in its manifest: `running` while it goes (or after a SIGKILL), then how it ended. */
export type ManifestStatus = RunStatus | 'running';

/** A sweep point's status: `pending` until a process starts its run. */
export type PointStatus = ManifestStatus | 'pending';

export const isRunStatus = (v: unknown): v is RunStatus => (RUN_STATUSES as readonly unknown[]).includes(v);
