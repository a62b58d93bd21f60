/**
 * Members: many instances of one graph in one process (`eigenflow run G --members seed=0:31`).
 *
 * A member is the graph with its own overrides (graph or node parameters, as `--set` gives them)
 * and its own seed. Each member's graph is validated on its own, so member k computes what a
 * separate run with its overrides and seed computes. The engine then runs one graph of *instances*:
 *
 * - a node type without `members` runs once per member (instance `id#k`), with member k's params
 *   and a context whose random stream is the one a separate run with member k's seed gives it;
 * - a `members: 'batched'` node runs once for all members that agree on its parameters (except
 *   its `memberParams`), with its inputs and outputs in member form (see memberValues.ts);
 * - at an edge between the two, an engine node slices member k out of the member form, or stacks
 *   the members' values into it (converting each to the precision the consumer asks first).
 *
 * Without members, a batched node runs as an ordinary node for one member (`asSingleMember`).
 * Every metric event of member k carries `member: k` (its index in the run's member list).
 */
import type { AnyNodeDef, PortSpec } from '../node.ts';
import { withOverrides, type GraphSpec } from '../graph/spec.ts';
import { isStreamEdge, type CompiledGraph, type CompiledNode, type Edge } from '../graph/compiled.ts';
import { validateGraph } from '../graph/validate.ts';
import { GraphValidationError } from '../graph/errors.ts';
import { batchedContext, createContext, type ContextOptions, type MutableContext } from './context.ts';
import { asSingleMember, memberCallParams, sameValue, sliceMember, stackMembers } from './memberValues.ts';

/** Values per axis (`{ seed: [0, 1, 2], sigma: [0, 0.05] }`): the members are their product, first axis slowest. */
export type MemberAxes = Record<string, readonly unknown[]>;
/** One member's overrides: graph parameters (`sigma`), node parameters (`train.lr`) and `seed` (the run seed). */
export type MemberOverrides = Record<string, unknown>;

export interface Member {
  /** Position in the run's member list; events carry it as `member`. */
  index: number;
  seed: number;
  /** What this member sets, `seed` included when it sets one. */
  overrides: MemberOverrides;
  spec: GraphSpec;
  graph: CompiledGraph;
}

/** The member list of axes (their product) or of an explicit list of overrides. */
export function memberList(members: MemberAxes | readonly MemberOverrides[]): MemberOverrides[] {
  if (Array.isArray(members)) return members.map((m) => ({ ...m }));
  return Object.entries(members as MemberAxes).reduce<MemberOverrides[]>(
    (acc, [name, values]) => acc.flatMap((p) => values.map((v) => ({ ...p, [name]: v }))), [{}]);
}

/** `seed=3 sigma=0.05` */
export const describeOverrides = (o: MemberOverrides): string =>
  Object.entries(o).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ') || '(no overrides)';

/**
 * Each member's spec and validated graph. `seed` in a member's overrides is its run seed (and sets
 * the graph parameter `seed` when the graph has one, as `--seed` does); without it, `baseSeed`.
 * Throws one GraphValidationError listing every member's problems, each prefixed with the member.
 */
export function resolveMembers(spec: GraphSpec, list: readonly MemberOverrides[], baseSeed: number): Member[] {
  const problems: string[] = [];
  const members: Member[] = [];
  list.forEach((overrides, index) => {
    const { seed: seedValue, ...sets } = overrides;
    const seed = seedValue === undefined ? baseSeed : seedValue;
    const at = `member ${index} (${describeOverrides(overrides)})`;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) { problems.push(`${at}: seed must be a non-negative integer but got ${JSON.stringify(seed)}`); return; }
    if (seedValue !== undefined && Object.hasOwn(spec.params, 'seed') && !Object.hasOwn(sets, 'seed')) sets.seed = seed;
    try {
      const memberSpec = withOverrides(spec, sets);
      members.push({ index, seed, overrides, spec: memberSpec, graph: validateGraph(memberSpec) });
    } catch (e) {
      if (!(e instanceof GraphValidationError)) throw e;
      problems.push(...e.problems.map((p) => `${at}: ${p}`));
    }
  });
  if (list.length === 0) problems.push('members: the list is empty');
  if (problems.length) throw new GraphValidationError(spec.name, problems);
  return members;
}

/** One node of the executed graph: an instance of a graph node for some members, or an engine slice/stack. */
interface Instance {
  /** The graph node it runs, or null for an engine node. */
  node: string | null;
  /** Positions in the member list it computes, in member-form order. */
  members: number[];
  batched: boolean;
}

export interface MemberPlan {
  graph: CompiledGraph;
  /** Builds the context of each executed node (the scheduler's `context` hook). */
  context(node: CompiledNode, options: ContextOptions): MutableContext;
}

/** A plain run: batched nodes run as ordinary nodes for one member. */
export function singleRunPlan(graph: CompiledGraph): MemberPlan {
  const nodes = new Map([...graph.nodes].map(([id, n]) => [id, { ...n, def: asSingleMember(n.def) }]));
  return { graph: { ...graph, nodes }, context: (_node, options) => createContext(options) };
}

/** The executed graph of a member run and the contexts of its nodes. */
export function memberPlan(members: readonly Member[]): MemberPlan {
  const first = members[0]!.graph;
  const nodes = new Map<string, CompiledNode>();
  const order: string[] = [];
  const instances = new Map<string, Instance>();
  /** Graph node id → for each member position, the executed node holding it and its place there. */
  const holder = new Map<string, { id: string; at: number }[]>();
  const all = members.map((_, k) => k);

  const add = (node: CompiledNode, inst: Instance): void => { nodes.set(node.id, node); order.push(node.id); instances.set(node.id, inst); };
  const compiled = (id: string, k: number): CompiledNode => members[k]!.graph.nodes.get(id)!;
  const isStream = (e: Edge): boolean => isStreamEdge(nodes, e);
  /** The generator whose stream an edge into the executed graph carries, or null for a value edge. */
  const originOf = (e: Edge): string | null => (isStream(e) ? (nodes.get(e.node)!.origin ?? e.node) : null);
  const engineNode = (id: string, def: AnyNodeDef, inputs: Record<string, Edge>, every: number | null, ks: number[]): Edge => {
    const origins = Object.values(inputs).map(originOf).filter((o) => o !== null);
    add({ id, def, params: {}, inputs, every: origins.length ? every : null, generator: false, origin: origins[0] ?? null }, { node: null, members: ks, batched: false });
    return { node: id, port: 'out' };
  };
  /** The edge that gives consumer `id.port` member k's value of `from` (a slice when its holder is batched). */
  const memberEdge = (from: Edge, k: number, consumer: string, every: number | null): Edge => {
    const h = holder.get(from.node)![k]!;
    const inst = instances.get(h.id)!;
    if (!inst.batched) return { node: h.id, port: from.port };
    const spec = nodes.get(h.id)!.def.outputs[from.port] as PortSpec;
    return engineNode(`${consumer}<${k}`, sliceDef(spec, h.at), { in: { node: h.id, port: from.port } }, every, [k]);
  };

  for (const id of first.order) {
    const base = first.nodes.get(id)!;
    const def = base.def;
    // Members that can share one batched call: same params except memberParams, and no stream
    // from a generator that runs per member (a node follows one generator's stream).
    let groups: number[][] = all.map((k) => [k]);
    const streamsPerMember = Object.values(base.inputs).some((e) => {
      const hs = holder.get(e.node)!;
      return isStream({ node: hs[0]!.id, port: e.port }) && new Set(hs.map((h) => h.id)).size > 1;
    });
    if (def.members === 'batched' && !streamsPerMember) {
      groups = [];
      for (const k of all) {
        const g = groups.find((g) => sharesCall(def, compiled(id, g[0]!).params, compiled(id, k).params));
        if (g) g.push(k); else groups.push([k]);
      }
    }
    const batched = def.members === 'batched' && groups.length < all.length;
    holder.set(id, []);
    for (const ks of groups) {
      const instId = !batched ? `${id}#${ks[0]}` : groups.length === 1 ? id : `${id}#${ks.join('+')}`;
      const inputs: Record<string, Edge> = {};
      for (const [port, from] of Object.entries(base.inputs)) {
        const where = `${instId}.${port}`;
        if (!batched) { inputs[port] = memberEdge(from, ks[0]!, where, base.every); continue; }
        const hs = ks.map((k) => holder.get(from.node)![k]!);
        const same = hs.every((h, i) => h.id === hs[0]!.id && h.at === i) && instances.get(hs[0]!.id)!.members.length === ks.length;
        if (same && instances.get(hs[0]!.id)!.batched) { inputs[port] = { node: hs[0]!.id, port: from.port }; continue; }
        const parts = Object.fromEntries(ks.map((k, i) => [`m${i}`, memberEdge(from, k, `${where}${i}`, base.every)]));
        inputs[port] = engineNode(`${where}>`, stackDef(def.inputs[port] as PortSpec, ks.length), parts, base.every, ks);
      }
      const params = batched ? memberCallParams(def, ks.map((k) => compiled(id, k).params)) : compiled(id, ks[0]!).params;
      const node: CompiledNode = { ...base, id: instId, def: batched ? def : asSingleMember(def), params, inputs, origin: null };
      const origins = Object.values(inputs).map(originOf).filter((o) => o !== null);
      node.origin = base.origin === null ? null : origins[0]!;
      add(node, { node: id, members: ks, batched });
      ks.forEach((k, at) => { holder.get(id)![k] = { id: instId, at }; });
    }
  }

  const consumers = new Map<string, string[]>();
  for (const n of nodes.values()) for (const e of Object.values(n.inputs)) consumers.set(`${e.node}.${e.port}`, [...(consumers.get(`${e.node}.${e.port}`) ?? []), n.id]);

  const memberContext = (node: string, k: number, options: ContextOptions): MutableContext => createContext({
    ...options, id: node, seed: members[k]!.seed,
    emit: (e) => options.emit({ ...e, member: members[k]!.index }),
  });
  return {
    graph: { spec: members[0]!.spec, nodes, order, consumers },
    context(node, options) {
      const inst = instances.get(node.id)!;
      if (inst.node === null) return createContext(options);
      if (!inst.batched) return memberContext(inst.node, inst.members[0]!, options);
      const each = inst.members.map((k) => memberContext(inst.node!, k, options));
      return batchedContext(each[0]!, each, inst.members.map((k) => compiled(inst.node!, k).params));
    },
  };
}

/** Whether two members' params of a batched node allow one call: equal except the node's memberParams. */
function sharesCall(def: AnyNodeDef, a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(a).every((name) => def.memberParams?.includes(name) || sameValue(a[name], b[name]));
}

/** Engine node: member `index` out of a value in member form. */
function sliceDef(spec: PortSpec, index: number): AnyNodeDef {
  return {
    type: 'engine.memberSlice', doc: `member ${index} of a batched ${spec.type}`, params: {}, metrics: {},
    inputs: { in: { type: 'any', doc: 'the value in member form' } },
    outputs: { out: { type: spec.type, precision: spec.precision, doc: 'one member\'s value' } },
    run: ({ inputs }) => ({ out: sliceMember(inputs.in, index) }),
  };
}

/** Engine node: `count` members' values in member form, each first converted as the consumer's port asks. */
function stackDef(spec: PortSpec, count: number): AnyNodeDef {
  const port: PortSpec = { type: spec.type, precision: spec.precision, doc: 'one member\'s value' };
  return {
    type: 'engine.memberStack', doc: `${count} members' ${spec.type} in member form`, params: {}, metrics: {},
    inputs: Object.fromEntries(Array.from({ length: count }, (_, i) => [`m${i}`, port])),
    outputs: { out: { type: 'any', doc: 'the values in member form' } },
    run: ({ inputs }) => ({ out: stackMembers(Array.from({ length: count }, (_, i) => inputs[`m${i}`])) }),
  };
}
