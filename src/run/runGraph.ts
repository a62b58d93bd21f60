/**
 * One run of a graph: validate, open the output directory, wire the metrics bus to the sinks,
 * execute, and — however it ends — flush every sink and write the manifest.
 *
 * ```ts
 * const result = await runGraph(loadGraph('graphs/cis-noise.json'), { seed: 1, sinks: [(e) => console.log(e)] });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { Observable, Subject } from 'rxjs';
import { currentOrDefaultBackend, type BackendInfo } from '../backend.ts';
import { CancelledError, DivergedError, GraphValidationError, NodeError } from '../graph/errors.ts';
import type { GraphSpec } from '../graph/spec.ts';
import { validateGraph } from '../graph/validate.ts';
import { SPECTRAL_METHOD } from '../linalg/index.ts';
import { consoleSink } from '../sinks/console.ts';
import { csvSink, jsonlSink } from '../sinks/jsonl.ts';
import { plotSink } from '../sinks/plots.ts';
import { SinkSet, toSink, type RunStatus, type Sink, type SinkLike, type SinkReport } from '../sinks/sink.ts';
import type { MetricEvent } from './context.ts';
import { gitState, packageVersions, writeManifest, type Manifest } from './manifest.ts';
import { execute } from './scheduler.ts';

export interface RunOptions {
  /** Run seed; defaults to the graph parameter `seed` if there is one, else 0. */
  seed?: number;
  /** Where files go; `null` writes nothing. Default: none (the CLI passes `runs/<graph>-<time>`). */
  outDir?: string | null;
  /** Extra sinks: functions, Observers or `Sink` objects. */
  sinks?: SinkLike[];
  /** Show progress and one-off metrics on stderr. */
  console?: boolean;
  signal?: AbortSignal;
  /** `auto` | `wasm` | `cpu` | `tensorflow` | `tensorflow-gpu`; default keeps the current backend or uses wasm. */
  backend?: string;
  /** Keep every event in `RunResult.events` (default true). */
  collect?: boolean;
}

export interface RunResult {
  status: RunStatus;
  error: string | null;
  /** The node that failed or diverged, if any. */
  failedNode: string | null;
  events: MetricEvent[];
  outDir: string | null;
  backend: BackendInfo;
  sinks: SinkReport;
  /** The last value of every metric, keyed `node.name`. */
  last: Record<string, number | number[]>;
}

/** A live run: its metrics as an Observable, and its result. */
export interface RunHandle {
  metrics$: Observable<MetricEvent>;
  result: Promise<RunResult>;
}

const isLoss = (name: string): boolean => name === 'loss' || name.endsWith('_loss');

/** Validate synchronously (throws GraphValidationError, nothing written), then run. */
export function startRun(spec: GraphSpec, opts: RunOptions = {}): RunHandle {
  const seedParam = typeof spec.params.seed === 'number' ? spec.params.seed : undefined;
  const graph = validateGraph(spec);
  if (opts.outDir && existsSync(join(opts.outDir, 'manifest.json'))) {
    throw new GraphValidationError(spec.name, [`--out ${opts.outDir} already holds a run (manifest.json); choose another directory or remove it`]);
  }
  const metrics$ = new Subject<MetricEvent>();
  const result = (async (): Promise<RunResult> => {
    const backend = await currentOrDefaultBackend(opts.backend);
    const seed = opts.seed ?? seedParam ?? 0;
    const outDir = opts.outDir ?? null;
    const collect = opts.collect ?? true;
    const events: MetricEvent[] = [];
    const last: Record<string, number | number[]> = {};
    const sinks: Sink[] = [];
    if (outDir) {
      mkdirSync(outDir, { recursive: true });
      sinks.push(jsonlSink(join(outDir, 'metrics.jsonl')), csvSink(join(outDir, 'metrics.csv')), plotSink(join(outDir, 'plots'), spec.plots, spec.params));
    }
    if (opts.console) sinks.push(consoleSink());
    (opts.sinks ?? []).forEach((s, i) => sinks.push(toSink(s, i)));
    const sinkSet = new SinkSet(sinks, (name, message) => process.stderr.write(`eigenflow: sink '${name}' failed and was detached: ${message}\n`));
    const manifest: Manifest = {
      graph: spec, seed, backend, spectralMethod: SPECTRAL_METHOD, versions: packageVersions(), git: gitState(),
      start: new Date().toISOString(), end: null, status: 'running', error: null, events: 0,
    };
    if (outDir) writeManifest(outDir, manifest);

    let diverged: DivergedError | null = null;
    const emit = (e: MetricEvent): void => {
      manifest.events++;
      if (collect) events.push(e);
      last[`${e.node}.${e.name}`] = e.value;
      sinkSet.write(e);
      metrics$.next(e);
      if (typeof e.value === 'number' && !Number.isFinite(e.value) && isLoss(e.name)) {
        diverged ??= new DivergedError(e.node, e.name, e.step, e.value);
        throw diverged;
      }
    };

    const tensorsBefore = tf.memory().numTensors;
    let status: RunStatus = 'completed';
    let error: Error | null = null;
    try {
      await execute(graph, {
        seed, signal: opts.signal ?? new AbortController().signal, emit,
        log: (node, msg) => sinkSet.log(node, msg),
        artifact: (node, path, content) => { if (outDir) writeArtifact(outDir, node, path, content); },
        progress: (p) => sinkSet.progress(p),
      });
    } catch (e) {
      error = e as Error;
      status = diverged ? 'diverged' : e instanceof CancelledError ? 'cancelled' : 'failed';
      if (diverged) error = diverged;
    }
    const failedNode = error instanceof NodeError || error instanceof DivergedError ? error.nodeId : null;
    const message = error ? error.message : null;
    const report = await sinkSet.close({ status, error: message, outDir });
    const leaked = tf.memory().numTensors - tensorsBefore;
    Object.assign(manifest, { end: new Date().toISOString(), status, error: error ? { message, node: failedNode } : null, sinks: report });
    if (leaked !== 0) manifest.leakedTensors = leaked;
    if (outDir) writeManifest(outDir, manifest);
    if (status === 'completed') metrics$.complete(); else metrics$.error(error);
    return {
      status, error: message, failedNode, events, outDir, backend, sinks: report, last,
    };
  })();
  // The Observable's error is for subscribers; the result promise carries it for everyone else.
  metrics$.subscribe({ error: () => {} });
  return { metrics$: metrics$.asObservable(), result };
}

/** A node's file in the run directory, written whole (temporary file, then rename). */
function writeArtifact(outDir: string, node: string, path: string, content: string | Uint8Array): void {
  const rel = normalize(path);
  if (isAbsolute(rel) || rel.startsWith('..')) throw new Error(`artifact path '${path}' must stay inside the run directory`);
  const file = join(outDir, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp-${process.pid}`, content);
  renameSync(`${file}.tmp-${process.pid}`, file);
  void node;
}

/** Run to the end; see `startRun` for a live Observable of the metrics. */
export function runGraph(spec: GraphSpec, opts: RunOptions = {}): Promise<RunResult> {
  return startRun(spec, opts).result;
}

/**
 * The run as a cold Observable of its metrics: subscribing starts it, unsubscribing cancels it,
 * and it completes or errors with the run (the files and manifest are written either way).
 */
export function observeRun(spec: GraphSpec, opts: RunOptions = {}): Observable<MetricEvent> {
  return new Observable<MetricEvent>((subscriber) => {
    const controller = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
    const handle = startRun(spec, { ...opts, signal });
    const inner = handle.metrics$.subscribe(subscriber);
    return () => {
      inner.unsubscribe();
      controller.abort();
    };
  });
}
