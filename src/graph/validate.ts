/**
 * Validation: one pass over a spec that resolves `$params`, node types, parameters, edges,
 * port types, static shapes, cycles and stream wiring, collecting every problem before throwing
 * once. What it returns is everything the scheduler needs, already checked.
 */
import { totalmem } from 'node:os';
import type { AnyNodeDef, PortSpec } from '../node.ts';
import { getNode, listNodes } from '../registry.ts';
import { GraphValidationError } from './errors.ts';
import { describeValue, resolveParams } from './params.ts';
import { isPositiveInt, plotRefs, substituteRefs, type GraphSpec } from './spec.ts';
import { closest } from './suggest.ts';
import { formatBytes } from '../format.ts';
import { checkPlotMetrics } from './plotMetrics.ts';
import { checkGeneratorWaits } from './waits.ts';
import { isStreamEdge, type CompiledGraph, type CompiledNode, type Edge } from './compiled.ts';

/**
 * A is assignable to B: same name (a `matrix` into a `matrix` whatever the precisions: the engine
 * converts at the edge), either is `any`, or a specialised tensor into `tensor` (a float64 matrix
 * arrives there as a float32 tensor).
 */
export function isAssignable(from: string, to: string): boolean {
  if (from === to || to === 'any' || from === 'any') return true;
  return to === 'tensor' && (from === 'matrix' || from === 'vector' || from === 'scalar');
}

const portList = (ports: Record<string, PortSpec>): string => Object.keys(ports).join(', ') || 'none';

/**
 * An unknown type: the closest registered name for a typo; when nothing of its family is
 * registered at all, the family's module was probably not loaded, so say how to load it.
 */
function unknownType(id: string, type: string): string {
  const types = listNodes().map((d) => d.type);
  const family = type.slice(0, type.indexOf('.') + 1);
  const hint = closest(type, types);
  const loaded = family !== '' && types.some((t) => t.startsWith(family));
  const advice = loaded || hint
    ? `\`eigenflow nodes\` lists them`
    : `no node type of family '${family.slice(0, -1) || type}' is registered: load the module that defines it with --nodes MODULE (registerNodes([...]) in code)`;
  return `nodes.${id}.type: unknown node type '${type}'${hint ? ` (did you mean '${hint}'?)` : ''}; ${advice}`;
}

export function validateGraph(spec: GraphSpec): CompiledGraph {
  const problems: string[] = [];
  const nodes = new Map<string, CompiledNode>();
  const paramsOk = new Set<string>();

  // 1. Types and parameters.
  for (const [id, ns] of Object.entries(spec.nodes)) {
    const def = getNode(ns.type);
    if (!def) {
      problems.push(unknownType(id, ns.type));
      continue;
    }
    const before = problems.length;
    const raw = substituteRefs(ns.params ?? {}, spec.params, `nodes.${id}.params`, problems) as Record<string, unknown>;
    const { values, errors } = problems.length > before ? { values: {}, errors: [] } : resolveParams(def, raw, `nodes.${id}`);
    problems.push(...errors);
    if (problems.length === before) paramsOk.add(id);
    // A generator streams (it has stream outputs) or is written as one (`*run`): either way its steps are driven.
    const generator = Object.values(def.outputs as Record<string, PortSpec>).some((p) => p.stream) || isGeneratorFunction(def.run);
    const every = ns.every === undefined ? null : substituteRefs(ns.every, spec.params, `nodes.${id}.every`, problems);
    if (every !== null && typeof ns.every === 'string' && !isPositiveInt(every)) problems.push(`nodes.${id}.every (${ns.every}) must be a positive integer, got ${describeValue(every)}`);
    nodes.set(id, { id, def, params: values, inputs: {}, every: isPositiveInt(every) ? every : null, generator, origin: null });
  }

  // 2. Edges: explicit, then by name; port existence, types, shapes.
  const consumers = new Map<string, string[]>();
  const unwired = new Set<string>(); // nodes with a broken edge: later checks would only echo it
  for (const node of nodes.values()) {
    const explicit = spec.nodes[node.id]!.inputs ?? {};
    const inPorts = node.def.inputs as Record<string, PortSpec>;
    for (const port of Object.keys(explicit)) {
      if (!Object.hasOwn(inPorts, port)) problems.push(`nodes.${node.id}.inputs.${port}: ${node.def.type} has no input '${port}' (inputs: ${portList(inPorts)})`);
    }
    for (const [port, want] of Object.entries(inPorts)) {
      const edge = resolveEdge(node.id, port, Object.hasOwn(explicit, port) ? explicit[port] : undefined, spec, nodes, problems);
      if (!edge) {
        if (explicit[port] !== undefined) unwired.add(node.id);
        if (!want.optional && explicit[port] === undefined) problems.push(`nodes.${node.id}.inputs.${port} is required (${want.type}: ${want.doc}) but nothing provides it; wire it with "inputs": {"${port}": "node.port"}`);
        continue;
      }
      const up = nodes.get(edge.node)!;
      const have = (up.def.outputs as Record<string, PortSpec>)[edge.port]!;
      if (!isAssignable(have.type, want.type)) {
        problems.push(`${node.id}.${port} expects ${want.type}, got ${have.type} from ${edge.node}.${edge.port}`);
      } else if (want.shape && have.shape && paramsOk.has(node.id) && paramsOk.has(edge.node)) {
        const a = have.shape(up.params), b = want.shape(node.params);
        const fits = a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
        if (!fits) problems.push(`${node.id}.${port} expects shape [${b.map((d) => d ?? '*')}], got [${a.map((d) => d ?? '*')}] from ${edge.node}.${edge.port}`);
      }
      node.inputs[port] = edge;
      const key = `${edge.node}.${edge.port}`;
      consumers.set(key, [...(consumers.get(key) ?? []), node.id]);
    }
  }

  // 3. Cycles, then stream origins in topological order.
  const order = topoSort(nodes, problems);
  if (order) {
    for (const id of order) {
      const node = nodes.get(id)!;
      const origins = new Set<string>();
      for (const [port, edge] of Object.entries(node.inputs)) {
        if (!isStreamEdge(nodes, edge)) continue;
        const up = nodes.get(edge.node)!;
        const origin = up.generator && (up.def.outputs as Record<string, PortSpec>)[edge.port]!.stream ? up.id : up.origin!;
        origins.add(origin);
        if (streams(node)) problems.push(`${node.id}.${port}: ${node.def.type} streams outputs of its own, so it cannot also follow the stream ${edge.node}.${edge.port}; wire it to a value port (such as the trainer's final output)`);
      }
      // A node written as `*run` without stream outputs follows a stream like any other node: each
      // streamed step runs its generator to the end within that step (see the scheduler).
      if (origins.size > 0 && !streams(node)) node.generator = false;
      if (origins.size > 1) problems.push(`nodes.${id} is fed by the streams of ${[...origins].join(' and ')}; a node may follow only one generator's stream`);
      node.origin = origins.size === 1 && !node.generator ? [...origins][0]! : null;
      if (node.every !== null && node.origin === null && !unwired.has(id)) problems.push(`nodes.${id}.every only applies to a node fed by a stream, and ${id} is not`);
    }
    // What each generator waits for must not need that generator (one rule: see waits.ts).
    checkGeneratorWaits(nodes, problems);
  }

  // Resources: the nodes' own estimates, summed, against the machine.
  checkResources(nodes, paramsOk, problems);

  // 4. Plots name existing nodes.
  spec.plots?.forEach((p, i) => {
    for (const ref of plotRefs(p)) {
      const id = ref.split('.')[0]!;
      if (!Object.hasOwn(spec.nodes, id)) problems.push(`plots[${i}] refers to ${ref}, but there is no node '${id}'`);
    }
  });

  // 5. Plots name metrics their node's type declares.
  checkPlotMetrics(spec, nodes, problems);

  if (problems.length) throw new GraphValidationError(spec.name, problems);
  return { spec, nodes, order: order!, consumers };
}

function resolveEdge(id: string, port: string, ref: string | undefined, spec: GraphSpec, nodes: Map<string, CompiledNode>, problems: string[]): Edge | null {
  const at = `nodes.${id}.inputs.${port}`;
  const [upId, upPort] = ref !== undefined ? ref.split('.') as [string, string | undefined] : [port, undefined];
  if (!Object.hasOwn(spec.nodes, upId)) {
    if (ref !== undefined) problems.push(`${at} refers to '${ref}', but there is no node '${upId}' (nodes: ${Object.keys(spec.nodes).join(', ')})`);
    return null;
  }
  if (upId === id) { problems.push(`${at} refers to its own node '${id}'`); return null; }
  const up = nodes.get(upId);
  if (!up) return null; // unknown type, already reported
  const outs = up.def.outputs as Record<string, PortSpec>;
  if (upPort !== undefined) {
    if (!Object.hasOwn(outs, upPort)) { problems.push(`${at} refers to '${ref}', but ${upId} (${up.def.type}) has no output '${upPort}' (outputs: ${portList(outs)})`); return null; }
    return { node: upId, port: upPort };
  }
  const names = Object.keys(outs);
  if (Object.hasOwn(outs, 'out')) return { node: upId, port: 'out' };
  if (names.length === 1) return { node: upId, port: names[0]! };
  problems.push(`${at} refers to node '${upId}', which has several outputs (${portList(outs)}); name one as "${upId}.<port>"`);
  return null;
}

function topoSort(nodes: Map<string, CompiledNode>, problems: string[]): string[] | null {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  let cyclic = false;
  const visit = (id: string): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      cyclic = true;
      problems.push(`cycle: ${[...stack.slice(stack.indexOf(id)), id].join(' → ')}`);
      return;
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const e of Object.values(nodes.get(id)!.inputs)) visit(e.node);
    stack.pop();
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of [...nodes.keys()].sort()) visit(id);
  return cyclic ? null : order;
}

function streams(node: CompiledNode): boolean {
  return Object.values(node.def.outputs as Record<string, PortSpec>).some((p) => p.stream);
}

function isGeneratorFunction(fn: unknown): boolean {
  return Object.prototype.toString.call(fn) === '[object GeneratorFunction]';
}

/**
 * How much memory a graph may plan to allocate: `EIGENFLOW_MAX_BYTES` (bytes) when set, else 80%
 * of this machine's memory (`os.totalmem()`).
 */
export function memoryLimit(env: Record<string, string | undefined> = process.env): { bytes: number; why: string } {
  const set = env.EIGENFLOW_MAX_BYTES;
  if (set !== undefined && /^[0-9]+(\.[0-9]+)?(e[0-9]+)?$/i.test(set.trim())) return { bytes: Number(set), why: 'EIGENFLOW_MAX_BYTES' };
  const total = totalmem();
  return { bytes: Math.floor(0.8 * total), why: `80% of this machine's ${formatBytes(total)}` };
}

/**
 * Sum every node's `cost(params).bytes` (nodes whose params are valid and that declare a cost)
 * and refuse the graph when the sum exceeds `memoryLimit()`, naming the biggest contributors.
 */
export function checkResources(nodes: Map<string, CompiledNode>, paramsOk: Set<string>, problems: string[], limit = memoryLimit()): void {
  const parts: [string, number][] = [];
  for (const node of nodes.values()) {
    if (!paramsOk.has(node.id) || typeof node.def.cost !== 'function') continue;
    let bytes: number;
    try {
      bytes = node.def.cost(node.params).bytes;
    } catch (e) {
      problems.push(`nodes.${node.id}: its cost estimate (${node.def.type}) failed: ${(e as Error)?.message ?? String(e)}`);
      continue;
    }
    if (typeof bytes !== 'number' || Number.isNaN(bytes) || bytes < 0) {
      problems.push(`nodes.${node.id}: its cost estimate (${node.def.type}) must be a non-negative number of bytes but is ${describeValue(bytes)}`);
      continue;
    }
    parts.push([node.id, bytes]);
  }
  const total = parts.reduce((a, [, b]) => a + b, 0);
  if (total <= limit.bytes) return;
  const top = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id, b]) => `${id}: ${formatBytes(b)}`).join(', ');
  problems.push(`the graph would allocate about ${formatBytes(total)} (${top}), more than the limit of ${formatBytes(limit.bytes)} (${limit.why}); make it smaller, or set EIGENFLOW_MAX_BYTES to raise the limit`);
}
