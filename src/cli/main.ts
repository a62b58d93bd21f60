/**
 * The `eigenflow` command. This is the composition root: the only place in src/ that loads the
 * node library and chooses a backend. Exit codes: 0 success, 1 run failed or diverged,
 * 2 bad input (usage, invalid graph), 130 cancelled (Ctrl-C).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { registerAllNodes } from '../../nodes/index.ts';
import { importUserModule } from './importModule.ts';
import { BACKENDS } from '../backend.ts';
import { GraphValidationError } from '../graph/errors.ts';
import { loadGraph, parseValue, withOverrides, type GraphSpec } from '../graph/spec.ts';
import { validateGraph } from '../graph/validate.ts';
import type { AnyNodeDef, MetricSpec, ParamSpec, PortSpec } from '../node.ts';
import { listNodes, registerNodes } from '../registry.ts';
import { startRun, type RunOptions } from '../run/runGraph.ts';
import { parseArgs, parseAssignments, parseSeed, single, UsageError, type Parsed } from './args.ts';
import { lingerDashboard, openDashboard, takeDashboard } from './dashboard.ts';
import { viewCommand } from '../view/command.ts';
import { tensorboardSink } from '../sinks/tensorboard.ts';
import { graphSvg } from './graphSvg.ts';
import { sweepMain } from '../sweep/cli.ts';

const USAGE = `eigenflow — declared-graph experiments on TensorFlow.js

usage:
  eigenflow run GRAPH.json [--set NAME=VALUE]... [--seed N] [--out DIR] [--backend B] [--quiet] [--dashboard [PORT]] [--tensorboard]
  eigenflow sweep GRAPH.json --grid NAME=V1,V2,...|START:STOP:STEP [--grid ...] [--seeds 0,1,2] [--sample N --dist NAME=KIND:ARGS]
                  [--set ...] [--seed N] [--out DIR] [--executor local|slurm] [--jobs N] [--retries K] [--summary last|min|mean-of-last-K]
  eigenflow sweep --resume DIR [--executor local|slurm] [--jobs N] [--retries K]
  eigenflow sweep status DIR | wait DIR | summarize DIR          (see docs/sweeps.md)
  eigenflow view DIR... [--port N]
  eigenflow validate GRAPH.json [--set NAME=VALUE]...
  eigenflow nodes [--json]
  eigenflow graph GRAPH.json --svg OUT.svg

  --set NAME=VALUE   graph parameter (sigma=0.03) or node parameter (train.lr=0.001); JSON, else string
  --backend B        auto (default: tfjs-node-gpu, then tfjs-node, then wasm) | wasm | cpu | tensorflow | tensorflow-gpu
  --dashboard [PORT] run: watch the run live in a browser at http://127.0.0.1:PORT/ (default 8765, else a free port);
                     on a terminal it keeps serving the final state until Ctrl-C
  --tensorboard      run: also write a TensorBoard event file into the run directory (tensorboard --logdir runs/)
  --port N           view: serve on 127.0.0.1:N (default: a free port)
  --jobs N           sweep (local executor): run N points at once, each in its own process (default 1)
  --seeds LIST       sweep: run every point with each seed (0,1,2 or START:STOP:STEP); the summary gives mean, sd, 95% interval
  --executor slurm   sweep: submit the points as one Slurm job array (--parallel P, --slurm-arg --partition=…) and return
  --nodes MODULE     also load node types from MODULE (it exports \`nodes: NodeDef[]\`)
`;

const RUN_OPTIONS = { flags: ['quiet'], options: ['set', 'seed', 'out', 'backend', 'nodes'] };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run': { const d = takeDashboard(rest); return await runCommand(parseArgs(d.argv, { ...RUN_OPTIONS, flags: [...RUN_OPTIONS.flags, 'tensorboard'] }, 'run'), d.port); }
      case 'view': return await viewCommand(parseArgs(rest, { flags: [], options: ['port'] }, 'view'));
      case 'sweep': return await sweepMain(rest, { loadSpec: (p) => loadSpec(p, 'sweep') });
      case 'validate': return await validateCommand(parseArgs(rest, { flags: [], options: ['set', 'nodes'] }, 'validate'));
      case 'nodes': return await nodesCommand(parseArgs(rest, { flags: ['json'], options: ['nodes'] }, 'nodes'));
      case 'graph': return await graphCommand(parseArgs(rest, { flags: [], options: ['svg', 'set', 'nodes'] }, 'graph'));
      case undefined: case 'help': case '--help': case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}' (commands: run, sweep, view, validate, nodes, graph)`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof GraphValidationError) {
      process.stderr.write(`eigenflow: ${e.message}\n`);
      if (e instanceof UsageError) process.stderr.write('Run `eigenflow help` for usage.\n');
      return 2;
    }
    process.stderr.write(`eigenflow: ${(e as Error).message}\n`);
    return 1;
  }
}

async function loadNodes(p: Parsed): Promise<void> {
  registerAllNodes();
  for (const mod of p.options.get('nodes') ?? []) {
    let loaded: { nodes?: AnyNodeDef[] };
    try {
      loaded = await importUserModule(mod);
    } catch (e) {
      throw new UsageError(`--nodes ${mod}: cannot load it (${(e as Error).message})`);
    }
    if (!Array.isArray(loaded.nodes)) throw new UsageError(`--nodes ${mod}: the module must export \`nodes\`, an array of node definitions`);
    registerNodes(loaded.nodes);
  }
}

/** Load GRAPH.json with --set (and --seed, which also sets a graph parameter named `seed`). */
async function loadSpec(p: Parsed, command: string): Promise<GraphSpec> {
  await loadNodes(p);
  if (p.positional.length !== 1) throw new UsageError(`eigenflow ${command} takes one graph file, got ${p.positional.length ? p.positional.join(' ') : 'none'}`);
  const sets = parseAssignments(p.options.get('set') ?? [], 'set', parseValue);
  const spec = loadGraph(p.positional[0]!);
  const seed = parseSeed(single(p, 'seed'));
  if (seed !== undefined && 'seed' in spec.params && !('seed' in sets)) sets.seed = seed;
  return withOverrides(spec, sets);
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}

/** Ctrl-C cancels the run (metrics so far are flushed); a second Ctrl-C exits at once. */
function cancelOnSigint(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\neigenflow: cancelling (Ctrl-C again to exit now)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

function runOptions(p: Parsed, signal: AbortSignal): RunOptions {
  const backend = single(p, 'backend') ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')} but got '${backend}'`);
  return { seed: parseSeed(single(p, 'seed')), backend, console: !p.flags.has('quiet'), signal };
}

async function runCommand(p: Parsed, dashboardPort?: number | null): Promise<number> {
  const spec = await loadSpec(p, 'run');
  const outDir = single(p, 'out') ?? `runs/${spec.name}-${stamp()}`;
  const interactive = Boolean(process.stderr.isTTY);
  const dash = dashboardPort === undefined ? null : await openDashboard(spec, dashboardPort, interactive);
  const sigint = cancelOnSigint();
  try {
    const { result } = startRun(spec, { ...runOptions(p, sigint.signal), outDir, sinks: [...(dash ? [dash] : []), ...(p.flags.has('tensorboard') ? [tensorboardSink(outDir)] : [])] });
    const r = await result;
    sigint.dispose();
    if (dash) await lingerDashboard(dash, r.status, interactive);
    return r.status === 'completed' ? 0 : r.status === 'cancelled' ? 130 : 1;
  } finally {
    sigint.dispose();
    await dash?.stop();
  }
}

async function validateCommand(p: Parsed): Promise<number> {
  const spec = await loadSpec(p, 'validate');
  const graph = validateGraph(spec);
  process.stdout.write(`${spec.name}: valid (${graph.nodes.size} nodes)\n`);
  return 0;
}

async function graphCommand(p: Parsed): Promise<number> {
  const out = single(p, 'svg');
  if (!out) throw new UsageError('eigenflow graph needs --svg OUT.svg');
  const spec = await loadSpec(p, 'graph');
  writeFileSync(out, graphSvg(validateGraph(spec)));
  process.stdout.write(`wrote ${out}\n`);
  return 0;
}

async function nodesCommand(p: Parsed): Promise<number> {
  await loadNodes(p);
  const defs = listNodes();
  const portOf = (v: PortSpec) => ({
    type: v.type, doc: v.doc, ...(v.type === 'matrix' && { precision: v.precision ?? 'float32' }),
    ...(v.stream && { stream: true }), ...(v.optional && { optional: true }),
  });
  const ports = (m: Record<string, PortSpec>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, portOf(v)]));
  const metricOf = (m: MetricSpec) => ({ kind: m.kind, when: m.when ?? 'call', ...(m.unit !== undefined && { unit: m.unit }), doc: m.doc });
  if (p.flags.has('json')) {
    process.stdout.write(`${JSON.stringify(defs.map((d) => ({
      type: d.type, doc: d.doc, params: d.params, inputs: ports(d.inputs), outputs: ports(d.outputs),
      metrics: Object.fromEntries(Object.entries(d.metrics ?? {}).map(([k, m]) => [k, metricOf(m)])),
      artifacts: d.artifacts ?? {},
    })), null, 2)}\n`);
    return 0;
  }
  const portType = (s: PortSpec) => `${s.type}${s.type === 'matrix' && s.precision === 'float64' ? ' (float64)' : ''}`;
  for (const d of defs) {
    process.stdout.write(`${d.type}\n  ${d.doc}\n`);
    for (const [name, s] of Object.entries(d.params as Record<string, ParamSpec>)) {
      process.stdout.write(`    param    ${name}: ${s.type}${'default' in s && s.default !== undefined ? ` = ${JSON.stringify(s.default)}` : ''} — ${s.doc}\n`);
    }
    for (const [name, s] of Object.entries(d.inputs as Record<string, PortSpec>)) process.stdout.write(`    in       ${name}: ${portType(s)}${s.optional ? ' (optional)' : ''} — ${s.doc}\n`);
    for (const [name, s] of Object.entries(d.outputs as Record<string, PortSpec>)) process.stdout.write(`    out      ${name}: ${portType(s)}${s.stream ? ' (stream)' : ''} — ${s.doc}\n`);
    for (const [name, m] of Object.entries(d.metrics ?? {})) {
      const when = { step: 'per step', once: 'once', call: 'per call' }[m.when ?? 'call'];
      process.stdout.write(`    metric   ${name}: ${m.kind}, ${when}${m.unit ? `, in ${m.unit}` : ''} — ${m.doc}\n`);
    }
    for (const [path, a] of Object.entries(d.artifacts ?? {})) process.stdout.write(`    artifact ${path} — ${a.doc}\n`);
  }
  return 0;
}
