/**
 * `eigenflow sweep …`: start, extend or resume a sweep, and the subcommands that read one.
 *
 *   eigenflow sweep GRAPH.json --grid … [--seeds …] [--sample N --dist …] [--executor local|slurm] …
 *   eigenflow sweep --resume DIR [--executor …] [--jobs N] [--retries K] …
 *   eigenflow sweep status DIR | wait DIR | summarize DIR
 *   eigenflow sweep run-point DIR ID      (what each Slurm array task runs)
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BACKENDS } from '../backend/select.ts';
import { formatDuration, formatNumber } from '../format.ts';
import { GraphValidationError } from '../graph/errors.ts';
import { withOverrides, type GraphSpec } from '../graph/spec.ts';
import { validateGraph } from '../graph/validate.ts';
import { isRunStatus } from '../record/events.ts';
import { readManifest } from '../record/manifest.ts';
import { lockHolder } from '../run/outDir.ts';
import { reduceRunMetrics, reductionName } from '../record/summary.ts';
import { isSweepDir, loadSweep, readSweepGraph, type Overrides, type Point, type SweepDefinition, type SweepManifest } from '../record/sweepState.ts';
import { gridPoints, pointLabel } from '../sweep/grid.ts';
import { runLocal } from '../sweep/localExecutor.ts';
import { createSweep, graphHash, isOrphaned, pointDirName, runKey, saveSweep, writePointState } from '../sweep/manifest.ts';
import { runPoint } from '../sweep/runPoint.ts';
import { runPack } from '../sweep/runPack.ts';
import { samplePoints } from '../sweep/sampling.ts';
import { jobsInQueue, sbatchDirective, scriptValueProblem, submitSlurm, which } from '../sweep/slurmExecutor.ts';
import { writeSummary } from '../sweep/summary.ts';
import { parseArgs, parseSeed, single, UsageError, type Parsed } from './args.ts';
import { lingerDashboard, openSweepDashboard, takeDashboard } from './dashboard.ts';
import { cancelOnSignals, signalExitCode, stamp, type CliIo } from './io.ts';
import { checkPointCount, DEFAULT_MAX_POINTS, parseDists, parseGrid, parseSeeds, parseSummaryOption } from './sweepOptions.ts';

export interface SweepCliContext {
  /** Load GRAPH.json with --set/--seed applied and node types (built-in and --nodes) registered. */
  loadSpec(p: Parsed): Promise<GraphSpec>;
  io: CliIo;
}

const EXECUTION_OPTIONS = ['executor', 'jobs', 'parallel', 'slurm-arg', 'retries', 'summary', 'pack'];
const START_OPTIONS = ['set', 'seed', 'out', 'backend', 'nodes', 'grid', 'seeds', 'sample', 'dist', 'max-points', 'resume', ...EXECUTION_OPTIONS];
export async function sweepMain(argv: string[], ctx: SweepCliContext): Promise<number> {
  const { io } = ctx;
  switch (argv[0]) {
    case 'status': return statusCommand(parseArgs(argv.slice(1), { flags: [], options: ['metric'] }, 'sweep status'), io);
    case 'wait': return waitCommand(parseArgs(argv.slice(1), { flags: [], options: ['poll'] }, 'sweep wait'), io);
    case 'summarize': return summarizeCommand(parseArgs(argv.slice(1), { flags: [], options: [] }, 'sweep summarize'), io);
    case 'run-point': return runPointCommand(parseArgs(argv.slice(1), { flags: [], options: [] }, 'sweep run-point'), io);
    default: {
      const d = takeDashboard(argv);
      return startCommand(parseArgs(d.argv, { flags: ['quiet', 'extend', 'tensorboard'], options: START_OPTIONS }, 'sweep'), ctx, d.port);
    }
  }
}

const logTo = (io: CliIo) => (line: string): void => { io.err(`${line}\n`); };

function positiveInt(p: Parsed, name: string, fallback: number): number {
  const text = single(p, name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer but got '${text}'`);
  return n;
}

function sweepDirArg(p: Parsed, command: string): string {
  if (p.positional.length !== 1) throw new UsageError(`eigenflow ${command} takes one sweep directory, got ${p.positional.length ? p.positional.join(' ') : 'none'}`);
  const dir = p.positional[0]!;
  if (!isSweepDir(dir)) throw new UsageError(`${dir} is not a sweep directory (no sweep.json)`);
  return dir;
}

interface Execution { kind: 'local' | 'slurm'; jobs: number; parallel: number | null; slurmArgs: string[]; retries: number; summary: string | undefined; pack: number }

/** Executor options, checked before anything is written or submitted. */
function parseExecution(p: Parsed, previous?: SweepManifest['executor']): Execution {
  const kind = single(p, 'executor') ?? previous?.kind ?? 'local';
  if (kind !== 'local' && kind !== 'slurm') throw new UsageError(`--executor must be local or slurm but got '${kind}'`);
  if (kind === 'slurm' && !which('sbatch')) throw new UsageError('--executor slurm: sbatch is not on PATH; run this on a Slurm login node (or start a local one with scripts/slurm-local.sh up). Nothing was submitted.');
  const slurmArgs = p.options.get('slurm-arg') ?? previous?.slurmArgs ?? [];
  for (const a of slurmArgs) {
    try { sbatchDirective(a); } catch (e) { throw new UsageError((e as Error).message); }
  }
  for (const a of slurmArgs) if (!a.startsWith('--') || /^--(array|output|open-mode|dependency)\b/.test(a)) throw new UsageError(`--slurm-arg ${a}: expected an sbatch option such as --partition=gpu, --time=02:00:00, --mem=8G or --gres=gpu:1 (--array, --output, --open-mode and --dependency are set by eigenflow)`);
  if (kind === 'local' && p.options.has('slurm-arg')) throw new UsageError('--slurm-arg is for --executor slurm');
  const summary = single(p, 'summary');
  if (summary !== undefined) parseSummaryOption(summary);
  const retriesText = single(p, 'retries');
  if (retriesText !== undefined && !/^\d+$/.test(retriesText)) throw new UsageError(`--retries must be a non-negative integer but got '${retriesText}'`);
  return {
    kind, jobs: positiveInt(p, 'jobs', previous?.jobs ?? 1), parallel: p.options.has('parallel') ? positiveInt(p, 'parallel', 1) : previous?.parallel ?? null,
    slurmArgs, retries: retriesText !== undefined ? Number(retriesText) : previous?.retries ?? 0, summary,
    pack: positiveInt(p, 'pack', previous?.pack ?? 1),
  };
}

interface Planned { definition: SweepDefinition; points: { overrides: Overrides; seed: number | null }[] }

/** The sweep's points from --grid, --sample/--dist and --seeds, counted (and capped) before expansion. */
function planPoints(p: Parsed, sweepSeed: number): Planned {
  const maxPoints = positiveInt(p, 'max-points', DEFAULT_MAX_POINTS);
  const gridItems = p.options.get('grid') ?? [];
  const distItems = p.options.get('dist') ?? [];
  const sampleText = single(p, 'sample');
  if (gridItems.length === 0 && sampleText === undefined) throw new UsageError('eigenflow sweep needs at least one --grid NAME=V1,V2,... (or NAME=START:STOP:STEP), or --sample N with --dist NAME=KIND:ARGS');
  if (sampleText !== undefined && distItems.length === 0) throw new UsageError('--sample N needs at least one --dist NAME=KIND:ARGS (e.g. --dist sigma=loguniform:0.001:0.1)');
  if (sampleText === undefined && distItems.length) throw new UsageError('--dist needs --sample N (how many points to draw)');
  const grid = parseGrid(gridItems, maxPoints);
  const dists = parseDists(distItems);
  for (const d of dists) if (grid.some(([n]) => n === d.name)) throw new UsageError(`'${d.name}' is given by both --grid and --dist`);
  const seedsText = single(p, 'seeds');
  const seeds = seedsText === undefined ? null : parseSeeds(seedsText, maxPoints);
  const n = sampleText === undefined ? 1 : positiveInt(p, 'sample', 1);
  const count = grid.reduce((acc, [, v]) => acc * v.length, 1) * n * (seeds?.length ?? 1);
  checkPointCount(count, maxPoints, [...grid.map(([name, v]) => `${v.length} ${name}`), ...(sampleText !== undefined ? [`${n} samples`] : []), ...(seeds ? [`${seeds.length} seeds`] : [])].join(' × '));
  const sampled = sampleText === undefined ? [{}] : samplePoints(n, dists, sweepSeed);
  const combos = gridPoints(grid).flatMap((g) => sampled.map((s) => ({ ...g, ...s })));
  return {
    definition: { grid: grid.length ? grid : null, sample: sampleText === undefined ? null : { n, dists, seed: sweepSeed }, seeds },
    points: combos.flatMap((overrides) => (seeds ?? [null]).map((seed) => ({ overrides, seed }))),
  };
}

/** Every point is validated before anything runs or is written. */
function validatePoints(base: GraphSpec, points: Overrides[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const o of points) {
    const key = JSON.stringify(Object.entries(o));
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      validateGraph(withOverrides(base, o));
    } catch (e) {
      if (!(e instanceof GraphValidationError)) throw e;
      problems.push(...e.problems.map((msg) => `at ${pointLabel(o)}: ${msg}`));
    }
  }
  if (problems.length) throw new GraphValidationError(base.name, problems);
}

/** `dashboard`: undefined without --dashboard, null for the default port, else the port. */
async function startCommand(p: Parsed, ctx: SweepCliContext, dashboard: number | null | undefined): Promise<number> {
  const log = logTo(ctx.io);
  const resumeDir = single(p, 'resume');
  let dir: string, m: SweepManifest;
  if (resumeDir !== undefined) {
    for (const o of ['grid', 'seeds', 'sample', 'dist', 'set', 'seed', 'out', 'backend', 'nodes', 'max-points']) if (p.options.has(o)) throw new UsageError(`--resume ${resumeDir}: --${o} cannot change a sweep; to add points, rerun the original command with --extend`);
    if (p.positional.length) throw new UsageError(`--resume takes the sweep directory instead of a graph file (got ${p.positional.join(' ')})`);
    if (!isSweepDir(resumeDir)) throw new UsageError(`--resume ${resumeDir}: not a sweep directory (no sweep.json)`);
    dir = resumeDir;
    m = loadSweep(dir);
    const exec = parseExecution(p, m.executor);
    checkDashboard(exec, dashboard);
    m = saveSweep(dir, (x) => { x.executor = executorRecord(exec); if (exec.summary) x.summary = exec.summary; if (p.flags.has('tensorboard') && !x.runArgs.includes('--tensorboard')) x.runArgs.push('--tensorboard'); });
    return execute(dir, m, exec, p, ctx.io, dashboard);
  }
  const base = await ctx.loadSpec(p);
  const backend = single(p, 'backend');
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} but got '${backend}'`);
  const planned = planPoints(p, parseSeed(single(p, 'seed')) ?? 0);
  validatePoints(base, planned.points.map((x) => x.overrides));
  dir = single(p, 'out') ?? `runs/${base.name}-sweep-${stamp()}`;
  if (dir === '') throw new UsageError('--out must not be empty');
  const outProblem = scriptValueProblem(dir);
  if (outProblem) throw new UsageError(`--out ${JSON.stringify(dir)} ${outProblem}; a sweep directory's path goes into commands and batch scripts`);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${dir}: exists and is not a directory`);
  const hash = graphHash(base);
  let previous: SweepManifest | null = null;
  if (isSweepDir(dir)) {
    previous = loadSweep(dir);
    if (previous.graphHash !== hash) {
      throw new UsageError(`--out ${dir} holds a sweep of ${previous.graphName === base.name ? `a different version of graph '${base.name}' (other file contents or --set values)` : `another graph, '${previous.graphName}'`}; choose another --out, or resume it with eigenflow sweep --resume ${dir}`);
    }
  } else if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UsageError(`--out ${dir}: exists, is not empty and is not a sweep directory`);
  }
  const exec = parseExecution(p, previous?.executor);
  checkDashboard(exec, dashboard);
  // Passed to every point's `eigenflow run`, by either executor (kept in sweep.json for --resume and Slurm tasks).
  const runArgs = [...(backend ? ['--backend', backend] : []), ...(p.options.get('nodes') ?? []).flatMap((mod) => ['--nodes', resolve(mod)]), ...(p.flags.has('tensorboard') ? ['--tensorboard'] : [])];
  if (previous) {
    const have = new Set(previous.points.map((x) => runKey(x.overrides, x.seed)));
    const want = new Set(planned.points.map((x) => runKey(x.overrides, x.seed)));
    const added = planned.points.filter((x) => !have.has(runKey(x.overrides, x.seed)));
    const missing = previous.points.filter((x) => !want.has(runKey(x.overrides, x.seed))).length;
    if ((added.length || missing) && !p.flags.has('extend')) {
      throw new UsageError(`--out ${dir} holds a sweep with different points (this command gives ${added.length} new and leaves out ${missing} of its ${previous.points.length}); add --extend to add the new points (existing ones are kept), or choose another --out`);
    }
    m = saveSweep(dir, (x) => {
      if (added.length) x.definitions.push(planned.definition);
      for (const a of added) {
        const id = x.points.length;
        x.points.push({ id, overrides: a.overrides, seed: a.seed, dir: pointDirName(id, a.overrides, a.seed), status: 'pending', attempts: 0, start: null, end: null });
      }
      x.executor = executorRecord(exec);
      if (exec.summary) x.summary = exec.summary;
      x.runArgs = runArgs;
    });
    if (added.length) log(`sweep: added ${added.length} points to ${dir}`);
  } else {
    m = {
      format: 'eigenflow-sweep/1', graphName: base.name, graphHash: hash, created: new Date().toISOString(), definitions: [planned.definition],
      summary: reductionName(parseSummaryOption(exec.summary ?? 'last')), executor: executorRecord(exec), runArgs, slurm: [],
      points: planned.points.map((x, id) => ({ id, overrides: x.overrides, seed: x.seed, dir: pointDirName(id, x.overrides, x.seed), status: 'pending', attempts: 0, start: null, end: null })),
    };
    createSweep(dir, m, base);
  }
  return execute(dir, m, exec, p, ctx.io, dashboard);
}

const executorRecord = (e: Execution): SweepManifest['executor'] => ({
  ...(e.kind === 'local' ? { kind: 'local', jobs: e.jobs, retries: e.retries } : { kind: 'slurm', parallel: e.parallel, slurmArgs: e.slurmArgs, retries: e.retries }),
  ...(e.pack > 1 && { pack: e.pack }),
});

/** A completed point's run is still there: its directory, a final `completed` manifest and its metrics file. */
function runIntact(dir: string, p: Point): boolean {
  const runDir = join(dir, p.dir);
  try {
    return readManifest(runDir)?.status === 'completed' && statSync(join(runDir, 'metrics.jsonl')).isFile();
  } catch {
    return false;
  }
}

/**
 * Points to (re)run: not diverged, and not completed with its run intact; refused while any of
 * them is being run right now — by a live process (its status, or the lock in its run directory,
 * names one) or a queued Slurm job.
 */
function pointsToRun(dir: string, m: SweepManifest, log: (line: string) => void): Point[] {
  const broken = m.points.filter((x) => x.status === 'completed' && !runIntact(dir, x));
  for (const x of broken) log(`sweep: point ${x.id + 1} (${x.dir}) was completed but its run directory, manifest or metrics are missing or broken; running it again`);
  const locked = m.points.map((x) => [x, lockHolder(join(dir, x.dir))] as const).find(([, pid]) => pid !== null);
  if (locked) throw new UsageError(`point ${locked[0].id + 1} of this sweep is still being run by process ${locked[1]} (the lock in ${join(dir, locked[0].dir)}); wait for it or stop it first — nothing was moved`);
  const submitted = m.slurm.flatMap((s) => [s.arrayJob]);
  const active = m.points.filter((x) => (x.status === 'running' && !isOrphaned(x)) || (x.status === 'pending' && x.slurmJob));
  let queued: Set<string> | null = new Set();
  if (active.some((x) => x.slurmJob)) queued = jobsInQueue(submitted);
  const busy = active.filter((x) => (x.slurmJob ? queued === null || queued.has(x.slurmJob.split('_')[0]!) : true));
  if (busy.length) {
    const who = busy[0]!.slurmJob ? `Slurm job ${busy[0]!.slurmJob}` : `process ${busy[0]!.pid} on ${busy[0]!.host}`;
    throw new UsageError(`${busy.length} point(s) of this sweep are still running or queued (e.g. point ${busy[0]!.id + 1}, ${who}); wait for them (eigenflow sweep wait DIR) or stop them first`);
  }
  // A point left `running` by a sweep that died, whose run then finished on its own: keep its result.
  const finished = m.points.filter((x) => x.status === 'running' && isOrphaned(x) && runIntact(dir, x));
  for (const x of finished) {
    log(`sweep: point ${x.id + 1} (${x.dir}) completed after its sweep process ended; keeping its run`);
    writePointState(dir, x.id, { status: 'completed', attempts: x.attempts, start: x.start, end: x.end ?? new Date().toISOString(), exitCode: 0, error: null });
    x.status = 'completed';
  }
  return m.points.filter((x) => (x.status !== 'completed' || broken.includes(x)) && x.status !== 'diverged');
}

/** The live page follows points this process runs: the local executor's. */
function checkDashboard(exec: Execution, dashboard: number | null | undefined): void {
  if (dashboard !== undefined && exec.kind !== 'local') throw new UsageError('--dashboard follows a sweep run by the local executor; for Slurm, follow it with eigenflow sweep status DIR (or eigenflow view DIR)');
}

async function execute(dir: string, m: SweepManifest, exec: Execution, p: Parsed, io: CliIo, dashboard?: number | null): Promise<number> {
  const log = logTo(io);
  const todo = pointsToRun(dir, m, log);
  const done = m.points.length - todo.length;
  if (todo.length === 0) {
    writeSummary(dir, m, log);
    log(`sweep: all ${m.points.length} points already ended (${m.points.filter((x) => x.status === 'completed').length} completed) → ${dir}/summary.csv`);
    return m.points.every((x) => x.status === 'completed') ? 0 : 1;
  }
  if (done) log(`sweep: ${done} of ${m.points.length} points already ended; running the other ${todo.length}`);
  if (exec.kind === 'slurm') {
    for (const x of todo) writePointState(dir, x.id, { status: 'pending', attempts: x.attempts, start: null, end: null, slurmJob: 'submitting' });
    let sub;
    try {
      sub = submitSlurm(dir, m, todo, exec.parallel, exec.slurmArgs, exec.pack);
    } catch (e) {
      // The submission failed (or timed out): that is the points' state now, and --resume submits them again.
      const error = (e as Error).message;
      for (const x of todo) writePointState(dir, x.id, { status: 'failed', attempts: x.attempts, start: x.start, end: new Date().toISOString(), error });
      saveSweep(dir);
      throw e;
    }
    for (const x of todo) writePointState(dir, x.id, { status: 'pending', attempts: x.attempts, start: null, end: null, slurmJob: sub.arrayJob });
    saveSweep(dir, (x) => { x.slurm.push(sub); });
    log(`sweep: submitted Slurm array job ${sub.arrayJob} (${todo.length} points${exec.parallel ? `, at most ${exec.parallel} at once` : ''}) and summary job ${sub.summaryJob}`);
    log(`  follow it: eigenflow sweep status ${dir}   ·   block until done: eigenflow sweep wait ${dir}`);
    return 0;
  }
  const cancel = cancelOnSignals(io, {
    first: (sig) => `\nsweep: ${sig}: stopping the running points (they end as cancelled); eigenflow sweep --resume ${dir} continues\n`,
    again: (sig) => `sweep: ${sig} again — still waiting for the running points to write their manifests\n`,
  });
  const dash = dashboard === undefined ? null : await openSweepDashboard(dir, dashboard, io);
  try {
    try {
      await runLocal(dir, m, todo, { jobs: exec.jobs, pack: exec.pack, retries: exec.retries, signal: cancel.signal, interactive: io.isTTY && !p.flags.has('quiet'), log, write: io.err });
    } finally {
      cancel.dispose();
    }
    const final = saveSweep(dir);
    writeSummary(dir, final, log);
    const completed = final.points.filter((x) => x.status === 'completed').length;
    log(`sweep: ${final.points.length} runs, ${completed} completed, ${final.points.length - completed} not → ${dir}/summary.csv`);
    const status = cancel.received() ? 'cancelled' : completed === final.points.length ? 'completed' : 'failed';
    if (dash) { dash.finish(status); await lingerDashboard(dash, status, io); }
    return status === 'cancelled' ? signalExitCode(cancel.received()) : status === 'completed' ? 0 : 1;
  } finally {
    await dash?.stop();
  }
}

/** The headline metric: the last metric of the graph's first declared line plot, else the first scalar. */
function headline(dir: string, m: SweepManifest, chosen: string | undefined): string | null {
  if (chosen) return chosen;
  const y = readSweepGraph(dir)?.plots?.find((x) => x.y?.length)?.y;
  if (y) return y[y.length - 1]!;
  const first = m.points.find((x) => x.status === 'completed');
  return first ? (Object.keys(reduceRunMetrics(join(dir, first.dir, 'metrics.jsonl'), { kind: 'last' }).values).sort()[0] ?? null) : null;
}

function statusCommand(p: Parsed, io: CliIo): number {
  const dir = sweepDirArg(p, 'sweep status');
  const m = loadSweep(dir);
  const ref = headline(dir, m, single(p, 'metric'));
  const reduction = parseSummaryOption(m.summary);
  const now = Date.now();
  const rows = m.points.map((x) => {
    const runtime = x.start ? formatDuration((x.end ? Date.parse(x.end) : now) - Date.parse(x.start)) : '';
    const value = ref && x.status === 'completed' ? reduceRunMetrics(join(dir, x.dir, 'metrics.jsonl'), reduction).values[ref] : undefined;
    return [String(x.id + 1), x.status, String(x.attempts), runtime, value === undefined ? '' : formatNumber(value), `${pointLabel(x.overrides)}${x.seed === null ? '' : ` seed=${x.seed}`}`];
  });
  const head = ['#', 'status', 'attempts', 'runtime', ref ?? 'metric', 'point'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  io.out(`${[line(head), ...rows.map(line)].join('\n')}\n`);
  const by = new Map<string, number>();
  for (const x of m.points) by.set(x.status, (by.get(x.status) ?? 0) + 1);
  io.out(`${m.points.length} points (${m.executor.kind}): ${[...by].map(([s, n]) => `${n} ${s}`).join(', ')}\n`);
  return 0;
}

async function waitCommand(p: Parsed, io: CliIo): Promise<number> {
  const log = logTo(io);
  const dir = sweepDirArg(p, 'sweep wait');
  const pollText = single(p, 'poll') ?? '2';
  const poll = Number(pollText);
  if (!(poll > 0)) throw new UsageError(`--poll must be a positive number of seconds but got '${pollText}'`);
  let goneTwice = 0;
  for (;;) {
    const m = loadSweep(dir);
    const open = m.points.filter((x) => !isRunStatus(x.status));
    const jobs = m.slurm.flatMap((s) => [s.arrayJob, ...(s.summaryJob ? [s.summaryJob] : [])]);
    const queued = m.executor.kind === 'slurm' || m.slurm.length ? jobsInQueue(jobs) : new Set<string>();
    if (open.length === 0 && (queued === null || queued.size === 0)) {
      const completed = m.points.filter((x) => x.status === 'completed').length;
      log(`sweep: ended: ${completed} of ${m.points.length} points completed${completed < m.points.length ? `; eigenflow sweep --resume ${dir} reruns the others` : ''}`);
      return completed === m.points.length ? 0 : 1;
    }
    const alive = open.some((x) => (x.slurmJob ? queued === null || queued.has(x.slurmJob.split('_')[0]!) : x.status === 'running' && !isOrphaned(x)));
    goneTwice = open.length && !alive ? goneTwice + 1 : 0;
    if (goneTwice >= 2) {
      log(`sweep: ${open.length} point(s) are not finished and nothing is running them; eigenflow sweep --resume ${dir} runs them`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, poll * 1000));
  }
}

function summarizeCommand(p: Parsed, io: CliIo): number {
  const log = logTo(io);
  const dir = sweepDirArg(p, 'sweep summarize');
  const m = saveSweep(dir);
  const s = writeSummary(dir, m, log);
  log(`sweep: summary of ${s.rows.filter((r) => r.status === 'completed').length}/${s.rows.length} completed runs → ${dir}/summary.csv`);
  return 0;
}

async function runPointCommand(p: Parsed, io: CliIo): Promise<number> {
  if (p.positional.length !== 2) throw new UsageError('eigenflow sweep run-point takes a sweep directory and a point id (or a comma list of ids: one pack)');
  const [dir, idText] = p.positional as [string, string];
  if (!isSweepDir(dir)) throw new UsageError(`${dir} is not a sweep directory (no sweep.json)`);
  const m = loadSweep(dir);
  const points = idText.split(',').map((id) => (/^\d+$/.test(id) ? m.points[Number(id)] : undefined));
  const bad = idText.split(',').find((_, i) => !points[i]);
  if (bad !== undefined) throw new UsageError(`sweep run-point: no point '${bad}' in ${dir} (ids 0–${m.points.length - 1})`);
  const cancel = cancelOnSignals(io, { first: () => '', again: () => '' });
  try {
    const opts = { retries: m.executor.retries, signal: cancel.signal };
    const states = points.length > 1 ? await runPack(dir, m, points as Point[], opts) : new Map([[points[0]!.id, await runPoint(dir, m, points[0]!, opts)]]);
    for (const point of points as Point[]) {
      const state = states.get(point.id)!;
      logTo(io)(`sweep point ${point.id} (${point.dir}): ${state.status} after ${state.attempts} attempt(s)${state.error ? ` — ${state.error}` : ''}`);
    }
    if (cancel.received()) return signalExitCode(cancel.received());
    return [...states.values()].every((s) => s.status === 'completed') ? 0 : 1;
  } finally {
    cancel.dispose();
  }
}
