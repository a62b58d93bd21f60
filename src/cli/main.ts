/**
 * The `eigenflow` command. This is the composition root: the only place in src/ that loads the
 * node library, chooses a backend and chooses the sinks a run gets. Exit codes and signals: see
 * io.ts.
 *
 * `main(argv, io)` runs in-process: tests pass an `io` that captures stdout/stderr.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { registerAllNodes } from '../../nodes/index.ts';
import { importUserModule } from './importModule.ts';
import { trapProcessExit } from './trapExit.ts';
import { InvalidFile } from '../safeRead.ts';
import { BACKENDS } from '../backend/select.ts';
import { GraphValidationError, RunSetupError } from '../graph/errors.ts';
import { loadGraph, parseValue, withOverrides, type GraphSpec } from '../graph/spec.ts';
import { validateGraph } from '../graph/validate.ts';
import type { AnyNodeDef, MetricSpec, ParamSpec, PortSpec } from '../node.ts';
import { getNode, listNodes, registerNode } from '../registry.ts';
import { defaultSinks, startRun, type RunOptions } from '../run/runGraph.ts';
import { consoleSink } from '../sinks/console.ts';
import type { Sink } from '../sinks/sink.ts';
import { checkNodeModule } from './nodeModules.ts';
import { parseArgs, parseAssignments, parseSeed, single, UsageError, type Parsed } from './args.ts';
import { lingerDashboard, openDashboard, takeDashboard } from './dashboard.ts';
import { parseMemberAxes, readMemberList } from './memberArgs.ts';
import { memberList } from '../run/members.ts';
import { membersLiveSink } from '../run/membersLive.ts';
import { viewCommand } from './view.ts';
import { tensorboardSink } from '../sinks/tensorboard.ts';
import { graphSvg } from './graphSvg.ts';
import { sweepMain } from './sweep.ts';
import { graphsCommand } from './graphs.ts';
import { initCommand } from './init.ts';
import { cancelOnSignals, processIo, runExitCode, stamp, type CliIo } from './io.ts';

const USAGE = `eigenflow — declared-graph experiments on TensorFlow.js

usage:
  eigenflow run GRAPH.json [--set NAME=VALUE]... [--seed N] [--members NAME=VALUES]... [--out DIR] [--backend B] [--quiet] [--verbose] [--dashboard [PORT]] [--tensorboard]
  eigenflow sweep GRAPH.json --grid NAME=V1,V2,...|START:STOP:STEP [--grid ...] [--seeds 0,1,2] [--sample N --dist NAME=KIND:ARGS]
                  [--set ...] [--seed N] [--out DIR] [--executor local|slurm] [--jobs N] [--pack K] [--retries K] [--summary last|min|mean-of-last-K] [--dashboard [PORT]]
  eigenflow sweep --resume DIR [--executor local|slurm] [--jobs N] [--pack K] [--retries K]
  eigenflow sweep status DIR | wait DIR | summarize DIR          (see docs/sweeps.md)
  eigenflow view DIR... [--port N]
  eigenflow validate GRAPH.json [--set NAME=VALUE]...
  eigenflow nodes [--json]
  eigenflow graph GRAPH.json --svg OUT.svg
  eigenflow graphs [--json]                                      the graphs shipped with eigenflow, by name
  eigenflow init DIR                                             a starter project: a custom node, a graph, a test

  GRAPH.json         a graph file, or the name of a shipped graph (eigenflow run cis-noise)

  --set NAME=VALUE   graph parameter (sigma=0.03) or node parameter (train.lr=0.001); JSON, else string
  --members NAME=VALUES  run: many members in one process, one per value (seed=0:31, sigma=0:0.1:0.01, wn=a,b);
                     several --members form a product; each member is written to OUT/members/NNN/, statistics to members.json
  --backend B        auto (default: tfjs-node-gpu, then tfjs-node, then wasm) | wasm | cpu | tensorflow | tensorflow-gpu
  --dashboard [PORT] run, sweep (local executor): watch it live in a browser at http://127.0.0.1:PORT/ (default 8765,
                     else a free port); on a terminal it keeps serving the final state until Ctrl-C
  --tensorboard      run, sweep: also write a TensorBoard event file into each run directory (tensorboard --logdir runs/)
  --port N           view: serve on 127.0.0.1:N (default: a free port)
  --jobs N           sweep (local executor): run N points at once, each in its own process (default 1)
  --pack K           sweep: run up to K points as the members of one run (one process, one Slurm array task), batched nodes
                     computing them together; each point keeps its own run directory
  --seeds LIST       sweep: run every point with each seed (0,1,2 or START:STOP:STEP); the summary gives mean, sd, 95% interval
  --executor slurm   sweep: submit the points as one Slurm job array (--parallel P, --slurm-arg --partition=…) and return
  --nodes MODULE     also load node types from MODULE (it exports \`nodes: NodeDef[]\`)
  --strict-tensors   run: a node that ends holding tensors it made (tf.keep, tf.Variable) fails the run (default: a warning)
  --verbose          run: when a node fails, also print the stack of what it threw
`;

const RUN_OPTIONS = { flags: ['quiet', 'verbose', 'strict-tensors'], options: ['set', 'seed', 'out', 'backend', 'nodes'] };

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  const restoreExit = trapProcessExit();
  try {
    switch (command) {
      case 'run': { const d = takeDashboard(rest); return await runCommand(parseArgs(d.argv, { flags: [...RUN_OPTIONS.flags, 'tensorboard'], options: [...RUN_OPTIONS.options, 'members', 'member-list'] }, 'run'), io, d.port); }
      case 'view': return await viewCommand(parseArgs(rest, { flags: [], options: ['port'] }, 'view'), io);
      case 'sweep': return await sweepMain(rest, { loadSpec: (p) => loadSpec(p, 'sweep'), io });
      case 'validate': return await validateCommand(io, parseArgs(rest, { flags: [], options: ['set', 'nodes'] }, 'validate'));
      case 'nodes': return await nodesCommand(io, parseArgs(rest, { flags: ['json'], options: ['nodes'] }, 'nodes'));
      case 'graph': return await graphCommand(io, parseArgs(rest, { flags: [], options: ['svg', 'set', 'nodes'] }, 'graph'));
      case 'graphs': return graphsCommand(parseArgs(rest, { flags: ['json'], options: [] }, 'graphs'), io);
      case 'init': return initCommand(parseArgs(rest, { flags: [], options: [] }, 'init'), io);
      case undefined: case 'help': case '--help': case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}' (commands: run, sweep, view, validate, nodes, graph, graphs, init)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof GraphValidationError || e instanceof RunSetupError || e instanceof InvalidFile) {
      io.err(`eigenflow: ${e.message}\n`);
      if (e instanceof UsageError) io.err('Run `eigenflow help` for usage.\n');
      return 2;
    }
    io.err(`eigenflow: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  } finally {
    restoreExit();
  }
}

async function loadNodes(p: Parsed): Promise<void> {
  registerAllNodes();
  for (const mod of p.options.get('nodes') ?? []) {
    let loaded: Record<string, unknown>;
    try {
      loaded = await importUserModule(mod);
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
      throw new UsageError(`--nodes ${mod}: cannot load it (${msg})`);
    }
    // Checked whole before anything is registered: a bad module registers nothing.
    const defs = checkNodeModule(mod, loaded, getNode);
    for (const def of defs) if (getNode(def.type) !== def) registerNode(def);
  }
}

/** Load GRAPH.json with --set (and --seed, which also sets a graph parameter named `seed`). */
async function loadSpec(p: Parsed, command: string): Promise<GraphSpec> {
  await loadNodes(p);
  if (p.positional.length !== 1) throw new UsageError(`eigenflow ${command} takes one graph file, got ${p.positional.length ? p.positional.join(' ') : 'none'}`);
  const sets = parseAssignments(p.options.get('set') ?? [], 'set', parseValue);
  const spec = loadGraph(p.positional[0]!);
  const seed = parseSeed(single(p, 'seed'));
  if (seed !== undefined && Object.hasOwn(spec.params, 'seed') && !Object.hasOwn(sets, 'seed')) sets.seed = seed;
  return withOverrides(spec, sets);
}

/** `base`, or `base-2`, `base-3`, … if it exists (two runs of one graph started in the same second). */
function freshDir(base: string): string {
  let dir = base;
  for (let i = 2; existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}

function runOptions(p: Parsed, signal: AbortSignal, io: CliIo): RunOptions {
  const backend = single(p, 'backend') ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} but got '${backend}'`);
  return { seed: parseSeed(single(p, 'seed')), backend, signal, collect: false, report: (line) => io.err(`${line}\n`), sinkTimeoutMs: io.sinkTimeoutMs, ...(p.flags.has('strict-tensors') ? { strictTensors: true } : {}) };
}

async function runCommand(p: Parsed, io: CliIo, dashboardPort?: number | null): Promise<number> {
  const spec = await loadSpec(p, 'run');
  const given = single(p, 'out');
  const base = `runs/${spec.name}-${stamp()}`;
  let outDir = given ?? freshDir(base);
  const quiet = p.flags.has('quiet');
  const memberItems = p.options.get('members');
  const listFile = single(p, 'member-list');
  if (memberItems && listFile !== undefined) throw new UsageError('--members and --member-list cannot be combined');
  const list = listFile === undefined ? undefined : readMemberList(listFile);
  const members = memberItems ? parseMemberAxes(memberItems, spec) : list?.members;
  const dash = dashboardPort === undefined ? null : await openDashboard(spec, dashboardPort, io);
  // The record and the manifest are written before the process ends, even after a second signal.
  const signals = cancelOnSignals(io, {
    first: (name) => `\neigenflow: ${name}: cancelling; writing the metrics so far and the manifest…\n`,
    again: (name) => `\neigenflow: ${name} again: still writing the metrics and the manifest; they come first\n`,
  });
  try {
    const options = runOptions(p, signals.signal, io);
    const start = (dir: string) => {
      const sinks: Sink[] = [...defaultSinks(dir, spec, { members: members !== undefined })];
      if (!quiet) sinks.push(consoleSink({ write: (t: string) => io.err(t), isTTY: io.isTTY }));
      if (dash) sinks.push(dash);
      if (dash && members) sinks.push(membersLiveSink(memberList(members), (summary) => dash.members(summary)));
      // A member run's event files go into the members' own directories (one run each for TensorBoard).
      if (p.flags.has('tensorboard') && !members) sinks.push(tensorboardSink(dir));
      const memberSinks = p.flags.has('tensorboard') ? (d: string) => [tensorboardSink(d)] : undefined;
      return startRun(spec, { ...options, outDir: dir, sinks, members, memberDirs: list?.dirs?.map((d) => resolve(d)), memberSinks });
    };
    let handle: ReturnType<typeof startRun>;
    // The default directory may be taken by a run of the same graph started in the same second.
    for (let attempt = 2; ; attempt++) {
      try { handle = start(outDir); break; } catch (e) {
        if (given !== undefined || !(e instanceof RunSetupError) || attempt > 20) throw e;
        outDir = freshDir(`${base}-${attempt}`);
      }
    }
    const { result } = handle;
    const r = await result;
    signals.dispose();
    // The console sink says how the run ended; with --quiet, a run that did not complete still says why.
    if (quiet && r.status !== 'completed') io.err(`eigenflow: run ${r.status}: ${r.error} → ${outDir}\n`);
    if (p.flags.has('verbose') && r.status === 'failed' && r.errorStack) io.err(`${r.errorStack}\n`);
    if (dash) await lingerDashboard(dash, r.status, io);
    return runExitCode(r.status, signals.received());
  } finally {
    signals.dispose();
    await dash?.stop();
  }
}

async function validateCommand(io: CliIo, p: Parsed): Promise<number> {
  const spec = await loadSpec(p, 'validate');
  const graph = validateGraph(spec);
  io.out(`${spec.name}: valid (${graph.nodes.size} nodes)\n`);
  return 0;
}

async function graphCommand(io: CliIo, p: Parsed): Promise<number> {
  const out = single(p, 'svg');
  if (!out) throw new UsageError('eigenflow graph needs --svg OUT.svg');
  const spec = await loadSpec(p, 'graph');
  const svg = graphSvg(validateGraph(spec));
  try {
    writeFileSync(out, svg);
  } catch (e) {
    throw new UsageError(`--svg ${out}: cannot write it (${(e as Error).message.split('\n')[0]})`);
  }
  io.out(`wrote ${out}\n`);
  return 0;
}

async function nodesCommand(io: CliIo, p: Parsed): Promise<number> {
  await loadNodes(p);
  const defs = listNodes();
  const portOf = (v: PortSpec) => ({
    type: v.type, doc: v.doc, ...(v.type === 'matrix' && { precision: v.precision ?? 'float32' }),
    ...(v.stream && { stream: true }), ...(v.optional && { optional: true }),
  });
  const ports = (m: Record<string, PortSpec>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, portOf(v)]));
  const metricOf = (m: MetricSpec) => ({ kind: m.kind, when: m.when ?? 'call', ...(m.unit !== undefined && { unit: m.unit }), doc: m.doc });
  if (p.flags.has('json')) {
    io.out(`${JSON.stringify(defs.map((d) => ({
      type: d.type, doc: d.doc, params: d.params, inputs: ports(d.inputs), outputs: ports(d.outputs),
      metrics: Object.fromEntries(Object.entries(d.metrics ?? {}).map(([k, m]) => [k, metricOf(m)])),
      artifacts: d.artifacts ?? {},
    })), null, 2)}\n`);
    return 0;
  }
  const portType = (s: PortSpec) => `${s.type}${s.type === 'matrix' && s.precision === 'float64' ? ' (float64)' : ''}`;
  for (const d of defs) {
    io.out(`${d.type}\n  ${d.doc}\n`);
    for (const [name, s] of Object.entries(d.params as Record<string, ParamSpec>)) {
      io.out(`    param    ${name}: ${s.type}${'default' in s && s.default !== undefined ? ` = ${JSON.stringify(s.default)}` : ''} — ${s.doc}\n`);
    }
    for (const [name, s] of Object.entries(d.inputs as Record<string, PortSpec>)) io.out(`    in       ${name}: ${portType(s)}${s.optional ? ' (optional)' : ''} — ${s.doc}\n`);
    for (const [name, s] of Object.entries(d.outputs as Record<string, PortSpec>)) io.out(`    out      ${name}: ${portType(s)}${s.stream ? ' (stream)' : ''} — ${s.doc}\n`);
    for (const [name, m] of Object.entries(d.metrics ?? {})) {
      const when = { step: 'per step', once: 'once', call: 'per call' }[m.when ?? 'call'];
      io.out(`    metric   ${name}: ${m.kind}, ${when}${m.unit ? `, in ${m.unit}` : ''} — ${m.doc}\n`);
    }
    for (const [path, a] of Object.entries(d.artifacts ?? {})) io.out(`    artifact ${path} — ${a.doc}\n`);
  }
  return 0;
}
