/**
 * One run of a graph: validate, claim the output directory, wire the metrics bus to the sinks,
 * execute, and — however it ends — flush the record, write the final manifest, then close the
 * views (plots, console, dashboard, user sinks).
 *
 * The runner composes; the caller chooses. `runGraph` writes only what the sinks it is given
 * write, plus `manifest.json` (and the files nodes write with `ctx.artifact`) into `outDir`.
 * `defaultSinks(outDir, spec)` — `metrics.jsonl`, `metrics.csv` and the SVG plots — are the
 * files the CLI gives every run; pass them to get the same.
 *
 * ```ts
 * // files as the CLI writes them, plus a sink of your own:
 * const outDir = 'runs/mine';
 * await runGraph(spec, { seed: 1, outDir, sinks: [...defaultSinks(outDir, spec), (e) => console.log(e)] });
 * // no files at all:
 * await runGraph(spec, { seed: 1, sinks: [(e) => console.log(e)] });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { Observable, ReplaySubject, Subject } from 'rxjs';
import { computeInfo, currentOrDefaultBackend, type BackendInfo } from '../backend/select.ts';
import { callsSince } from '../backend/matMulWasm.ts';
import type { MetricEvent, RunStatus } from '../record/events.ts';
import { CancelledError, DivergedError, NodeError } from '../graph/errors.ts';
import type { GraphSpec } from '../graph/spec.ts';
import { validateGraph } from '../graph/validate.ts';
import { csvSink, fileErrorMessage, jsonlSink } from '../sinks/jsonl.ts';
import { plotSink } from '../sinks/plots.ts';
import { SinkSet, freezeEvent, toSink, type Sink, type SinkLike, type SinkReport } from '../sinks/sink.ts';
import { gitState, MANIFEST_FORMAT_VERSION, metricDeclarations, packageVersions, writeManifest, type Manifest } from '../record/manifest.ts';
import { describeRunInfo } from '../registry.ts';
import { claimOutDir } from './outDir.ts';
import { divergenceCheck } from './divergence.ts';
import { execute } from './scheduler.ts';
import { memberList, memberPlan, resolveMembers, singleRunPlan, type MemberAxes, type MemberOverrides } from './members.ts';
import { memberDir, membersManifest, membersRecordSink } from './memberRecord.ts';
import { metricSpecOf } from '../graph/declarations.ts';
import type { MetricKind } from '../node.ts';

export interface RunOptions {
  /** Run seed; defaults to the graph parameter `seed` if there is one, else 0. */
  seed?: number;
  /** Where `manifest.json` (and node artifacts) go; `null`/absent writes nothing. */
  outDir?: string | null;
  /**
   * Where events go: functions, Observers or `Sink` objects, exactly these (none when absent).
   * Add `...defaultSinks(outDir, spec)` for the metrics files and plots, `consoleSink()` for
   * progress on stderr.
   */
  sinks?: SinkLike[];
  signal?: AbortSignal;
  /** `auto` | `wasm` | `cpu` | `tensorflow` | `tensorflow-gpu`; default keeps the current backend or uses wasm. */
  backend?: string;
  /** Keep every event in `RunResult.events` (default true; the CLI turns it off to keep memory flat). */
  collect?: boolean;
  /** How long a user sink's `write`/`close` may stay unsettled before it is detached (ms, default 5000). */
  sinkTimeoutMs?: number;
  /** Where problems outside the run's own status go (a detached sink, an unwritable manifest). Default stderr. */
  report?: (line: string) => void;
  /** Called right after the final manifest is written, before the views close. */
  onFinal?: (status: RunStatus) => void;
  /**
   * A node that ends holding tensors it made and never disposed fails the run (default: a warning
   * naming it). Default: on when EIGENFLOW_STRICT_TENSORS=1 (the test suite sets it).
   */
  strictTensors?: boolean;
  /**
   * Run many members of the graph in one process: axes (`{ seed: [0, 1, 2], sigma: [0, 0.1] }`,
   * their product) or a list of overrides (`[{ seed: 0, sigma: 0.1 }, …]`). Each member computes
   * what a separate run with its overrides and seed computes; its events carry `member` (its index),
   * and with an `outDir` it is written as a run directory of its own (`members/NNN/`). See
   * src/run/members.ts.
   */
  members?: MemberAxes | MemberOverrides[];
  /** Where each member's run directory goes (default `<outDir>/members/NNN`); `sweep --pack` puts them at the points' directories. */
  memberDirs?: string[];
  /** More sinks for each member's own run directory, besides its metrics files (e.g. a TensorBoard event file). */
  memberSinks?: (dir: string) => Sink[];
}

export interface RunResult {
  status: RunStatus;
  error: string | null;
  /** The node that failed or diverged, if any. */
  failedNode: string | null;
  /** Where the error was thrown: the stack of the exception a failing node threw (`--verbose` prints it). */
  errorStack: string | null;
  /** Every event, when `collect` is on (else empty). */
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

/**
 * The file sinks the CLI gives a run: `metrics.jsonl`, `metrics.csv` (record sinks — a write
 * failure fails the run) and the SVG plots the graph declares in `plots/` (a view). Files are
 * created when the run opens them, after it has claimed `outDir`.
 */
export function defaultSinks(outDir: string, spec: GraphSpec, opts: { members?: boolean } = {}): Sink[] {
  // A member run's parent keeps one metrics.jsonl of every member's events (with `member`); the
  // members' own directories hold their csv (and the summary, members.json, their statistics).
  if (opts.members) return [jsonlSink(join(outDir, 'metrics.jsonl'))];
  const kindOf = (node: string, name: string): MetricKind | undefined => metricSpecOf(spec, node, name)?.kind;
  return [jsonlSink(join(outDir, 'metrics.jsonl')), csvSink(join(outDir, 'metrics.csv')), plotSink(join(outDir, 'plots'), spec.plots, spec.params, kindOf)];
}

/** Validate and claim `outDir` synchronously (throws GraphValidationError / RunSetupError), then run. */
export function startRun(spec: GraphSpec, opts: RunOptions = {}): RunHandle {
  const seedParam = Object.hasOwn(spec.params, 'seed') && typeof spec.params.seed === 'number' ? spec.params.seed : undefined;
  const graph = validateGraph(spec);
  const seed = opts.seed ?? seedParam ?? 0;
  const members = opts.members ? resolveMembers(spec, memberList(opts.members), seed) : null;
  const plan = members ? memberPlan(members) : singleRunPlan(graph);
  const outDir = opts.outDir ?? null;
  const memberDirs = members && outDir ? members.map((m, k) => opts.memberDirs?.[k] ?? join(outDir, memberDir(m.index))) : [];
  if (opts.memberDirs && opts.memberDirs.length !== members?.length) throw new RangeError(`memberDirs: ${opts.memberDirs.length} directories for ${members?.length ?? 0} members`);
  const releaseLock = outDir !== null ? claimOutDir(outDir) : () => {};
  const report = opts.report ?? ((line: string) => { process.stderr.write(`${line}\n`); });
  const collect = opts.collect ?? true;
  // metrics$ replays the run from its start to a late subscriber, from what `collect` keeps anyway.
  const metrics$ = collect ? new ReplaySubject<MetricEvent>() : new Subject<MetricEvent>();
  // A record sink that cannot write stops the run through this controller.
  const stopOnWriteFailure = new AbortController();
  let writeFailure: string | null = null;
  let finalError: Error | null = null;

  const run = async (): Promise<RunResult> => {
    const backend = await currentOrDefaultBackend(opts.backend);
    const events: MetricEvent[] = [];
    const last: Record<string, number | number[]> = {};
    const sinks: Sink[] = (opts.sinks ?? []).map((s, i) => toSink(s, i));
    // A member run writes each member as a run directory of its own (part of the record).
    if (members && outDir) sinks.push(membersRecordSink(outDir, members, () => manifest, memberDirs, opts.memberSinks));
    const sinkSet = new SinkSet(sinks, {
      timeoutMs: opts.sinkTimeoutMs,
      onError: (name, message, role) => {
        if (role === 'record') {
          writeFailure ??= message;
          stopOnWriteFailure.abort();
        } else report(`eigenflow: sink '${name}' failed and was detached: ${message}`);
      },
      onBlock: (name, ms) => report(`eigenflow: warning: sink '${name}' held the thread for ${Math.round(ms)} ms in one write(); the run waits for it. Do slow work asynchronously (return a Promise) or elsewhere`),
    });
    const computeAtStart = computeInfo();
    const manifest: Manifest = {
      formatVersion: MANIFEST_FORMAT_VERSION, graph: spec, seed, backend, compute: computeAtStart, ...describeRunInfo(), versions: packageVersions(), git: gitState(),
      start: new Date().toISOString(), end: null, status: 'running', error: null, events: 0, metrics: metricDeclarations(spec),
      ...(members && outDir && { members: membersManifest(outDir, members, memberDirs) }),
    };
    /** Write the manifest; if even that fails, say so on stderr (the run's status is then only there). */
    const saveManifest = (): boolean => {
      if (!outDir) return true;
      try { writeManifest(outDir, manifest); return true; } catch (e) {
        const how = manifest.status === 'running' ? 'the run cannot start without it' : `the run ended ${manifest.status}${manifest.error ? `: ${manifest.error.message}` : ''}`;
        report(`eigenflow: ${fileErrorMessage('write', join(outDir, 'manifest.json'), e)}; ${how}`);
        return false;
      }
    };

    let diverged: DivergedError | null = null;
    const diverges = divergenceCheck(spec);
    const emit = (e: MetricEvent): void => {
      freezeEvent(e);
      manifest.events++;
      if (collect) events.push(e);
      last[`${e.node}.${e.name}`] = e.value;
      sinkSet.write(e);
      metrics$.next(e);
      // A member that diverges ends alone (its own manifest says so); the run goes on.
      if (e.member === undefined && diverges(e)) {
        diverged ??= new DivergedError(e.node, e.name, e.step, e.value as number);
        throw diverged;
      }
    };

    const tensorsBefore = tf.memory().numTensors;
    let status: RunStatus = 'completed';
    let error: Error | null = null;
    try {
      if (!saveManifest()) throw new Error(writeFailure = fileErrorMessage('write', join(outDir!, 'manifest.json'), new Error('see above')));
      sinkSet.open();
      const signal = opts.signal ? AbortSignal.any([opts.signal, stopOnWriteFailure.signal]) : stopOnWriteFailure.signal;
      await execute(plan.graph, {
        seed, signal, emit, context: plan.context,
        log: (node, msg) => sinkSet.log(node, msg),
        artifact: (node, path, content) => { if (outDir) writeArtifact(outDir, node, path, content); },
        progress: (p) => sinkSet.progress(p),
        warn: (message) => report(`eigenflow: warning: ${message}`),
        strictTensors: opts.strictTensors ?? process.env.EIGENFLOW_STRICT_TENSORS === '1',
      });
      if (writeFailure) throw new Error(writeFailure);
    } catch (e) {
      error = e as Error;
      status = diverged ? 'diverged' : writeFailure ? 'failed' : e instanceof CancelledError ? 'cancelled' : 'failed';
      if (diverged) error = diverged;
      else if (writeFailure) error = new Error(writeFailure);
      else if (status === 'cancelled' && typeof opts.signal?.reason === 'string') error = new CancelledError(`cancelled (${opts.signal.reason})`);
    }
    // 1. The record: flush and close the metrics files.
    await sinkSet.closeRole('record', { status, error: error?.message ?? null, outDir });
    if (writeFailure && status === 'completed') { status = 'failed'; error = new Error(writeFailure); }
    finalError = error;
    const failedNode = error instanceof NodeError || error instanceof DivergedError ? error.nodeId : null;
    const message = error ? error.message : null;
    const thrown = error instanceof NodeError ? error.cause : error;
    const errorStack = thrown instanceof Error ? thrown.stack ?? null : null;
    // 2. The final manifest, before anything optional.
    const leaked = tf.memory().numTensors - tensorsBefore;
    Object.assign(manifest, { compute: callsSince(computeAtStart, computeInfo()), end: new Date().toISOString(), status, error: error ? { message, node: failedNode } : null, sinks: sinkSet.report() });
    if (leaked !== 0) manifest.leakedTensors = leaked;
    saveManifest();
    // The directory now holds a finished run (a new run there is refused for its manifest), so
    // the lock goes now: a view that crashes the process cannot leave it behind.
    releaseLock();
    opts.onFinal?.(status);
    // 3. The views: plots, console summary, dashboard, user sinks. Their failures are reported,
    // recorded in the manifest's `sinks`, and never change the status.
    await sinkSet.closeRole('view', { status, error: message, outDir });
    const sinkReport = sinkSet.report();
    if (JSON.stringify(sinkReport) !== JSON.stringify(manifest.sinks)) { manifest.sinks = sinkReport; saveManifest(); }
    return { status, error: message, failedNode, errorStack, events, outDir, backend, sinks: sinkReport, last };
  };

  const result = run().finally(releaseLock).then((r) => {
    if (r.status === 'completed') metrics$.complete(); else metrics$.error(finalError ?? new Error(r.error ?? r.status));
    return r;
  }, (e: unknown) => { metrics$.error(e); throw e; });
  // The Observable's error is for subscribers; the result promise carries it for everyone else.
  metrics$.subscribe({ error: () => {} });
  return { metrics$: metrics$.asObservable(), result };
}

/** A node's file in the run directory, written whole (temporary file, then rename). */
function writeArtifact(outDir: string, node: string, path: string, content: string | Uint8Array): void {
  const rel = normalize(path);
  if (isAbsolute(rel) || rel.startsWith('..')) throw new Error(`artifact path '${path}' must stay inside the run directory`);
  const file = join(outDir, rel);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp-${process.pid}`, content);
    renameSync(`${file}.tmp-${process.pid}`, file);
  } catch (e) {
    throw new Error(`${node}: ${fileErrorMessage('write', file, e)}`);
  }
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
