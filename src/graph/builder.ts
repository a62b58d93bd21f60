/**
 * Composing a graph in TypeScript. The builder produces the same frozen spec as a JSON file, and
 * checks at compile time what `NodeTypes` declares (see `builderTypes.ts`): type names,
 * parameters, input ports, `"$param"` references and plot metrics.
 *
 * ```ts
 * const spec = graph('demo', { n: 20, sigma: 0.03 })
 *   .node('data', 'data.sparseFeatures', { n: '$n', p: 0.05 })
 *   .node('wn', 'wn.residual', { kind: 'symmetric', n: '$n', sigma: '$sigma' })
 *   .node('model', 'models.residualMLP', { m: 10 }, { wn: 'wn.out' })
 *   .node('optimizer', 'optim.optimizer', { kind: 'adam', lr: 3e-3 })
 *   .node('train', 'optim.trainResidualMLP', { steps: 500 }, { model: 'model.out', data: 'data.out', optimizer: 'optimizer.out' })
 *   .plot({ title: 'loss', y: ['train.loss'], logY: true })
 *   .build();
 *
 * // A variant of a shipped experiment, without copying it:
 * const mine = graph.from(loadGraph('cis-noise'), 'cis-lowrank')
 *   .set('steps', 2000)
 *   .replace('wn', 'wn.lowRank', { n: '$n', rank: 10, alpha: 4 })
 *   .build();
 * ```
 */
import type { AnyNodeDef } from '../node.ts';
import type { BuiltNodes, DefOf, GraphParams, NodeArgs, NodeTypeName, TypedPlot } from './builderTypes.ts';
import { parseGraph, plotRefs, withOverrides, type GraphSpec, type NodeSpec, type PlotSpec } from './spec.ts';

/** Parts of a graph to merge into another: parameters, nodes and plots (any `GraphSpec` is one). */
export interface GraphPart {
  params?: Readonly<Record<string, unknown>>;
  nodes?: Readonly<Record<string, NodeSpec>>;
  plots?: readonly PlotSpec[];
}

export interface GraphBuilder<GP extends GraphParams = GraphParams, N extends BuiltNodes = BuiltNodes> {
  /**
   * Add node `id` of `type` (a type name, or a definition made with `defineNode`). `params`
   * values may be `"$name"` references to graph parameters; `inputs` wire input ports to
   * `"node.port"` (or `"node"`); an input left out binds to the node whose id is the port's name.
   */
  node<Id extends string, T extends NodeTypeName | AnyNodeDef>(id: Id, type: T, ...args: NodeArgs<DefOf<T>, GP, N>): GraphBuilder<GP, N & Record<Id, DefOf<T>>>;
  /** Replace node `id` by a new definition (the same arguments as `node`); nodes wired to `id` stay wired to it. */
  replace<Id extends keyof N & string, T extends NodeTypeName | AnyNodeDef>(id: Id, type: T, ...args: NodeArgs<DefOf<T>, GP, Omit<N, Id>>): GraphBuilder<GP, Omit<N, Id> & Record<Id, DefOf<T>>>;
  /**
   * Remove node `id`, and its metrics from the plots (a plot left with nothing to draw is removed).
   * A node still wired to it fails validation, naming the edge.
   */
  remove<Id extends keyof N & string>(id: Id): GraphBuilder<GP, Omit<N, Id>>;
  /** Set a graph parameter (`'sigma'`) or a node parameter (`'train.lr'`), as `--set` does: the name must exist. */
  set(name: (keyof GP & string) | `${keyof N & string}.${string}`, value: unknown): GraphBuilder<GP, N>;
  /** Merge parameters, nodes and plots from another graph or part of one; a node id both define is an error. */
  extend(part: GraphPart): GraphBuilder<GraphParams, BuiltNodes>;
  plot(p: TypedPlot<N>): GraphBuilder<GP, N>;
  describe(text: string): GraphBuilder<GP, N>;
  /** Structurally checked, frozen spec (semantic checks happen in `validateGraph`/`runGraph`). */
  build(): GraphSpec;
}

interface Draft {
  name: string;
  description?: string;
  params: Record<string, unknown>;
  nodes: Record<string, NodeSpec>;
  plots: PlotSpec[];
}

/** A new graph named `name` with graph parameters `params` (referenced as `"$name"` in node params). */
export function graph<const GP extends GraphParams = {}>(name: string, params?: GP): GraphBuilder<GP, {}> {
  return builder({ name, params: { ...params }, nodes: {}, plots: [] }) as unknown as GraphBuilder<GP, {}>;
}

/** A builder starting from an existing spec (a shipped graph, a file): derive a variant without copying it. */
graph.from = function from(spec: GraphSpec, name: string = spec.name): GraphBuilder {
  const { description, params, nodes, plots } = structuredClone(spec) as GraphSpec;
  return builder({ name, ...(description !== undefined && { description }), params, nodes, plots: plots ?? [] });
};

type NodeArgsAtRunTime = [params?: Record<string, unknown>, inputs?: Record<string, string>, options?: { every?: number | string }];

/** The builder as it runs; its compile-time checks are the `GraphBuilder` interface's. */
function builder(draft: Draft): GraphBuilder {
  const fail = (message: string): never => { throw new Error(`graph ${draft.name}: ${message}`); };
  const has = (id: string): boolean => Object.hasOwn(draft.nodes, id);
  const nodeList = (): string => Object.keys(draft.nodes).join(', ') || 'none';
  const nodeSpec = (type: string | AnyNodeDef, [params, inputs, options]: NodeArgsAtRunTime): NodeSpec => ({
    type: typeof type === 'string' ? type : type.type,
    ...(params && { params }), ...(inputs && { inputs }), ...(options?.every !== undefined && { every: options.every }),
  });
  const b = {
    node(id: string, type: string | AnyNodeDef, ...args: NodeArgsAtRunTime) {
      if (has(id)) fail(`node '${id}' is defined twice`);
      draft.nodes[id] = nodeSpec(type, args);
      return b;
    },
    replace(id: string, type: string | AnyNodeDef, ...args: NodeArgsAtRunTime) {
      if (!has(id)) fail(`replace('${id}'): there is no node '${id}' (nodes: ${nodeList()})`);
      draft.nodes[id] = nodeSpec(type, args);
      return b;
    },
    remove(id: string) {
      if (!has(id)) fail(`remove('${id}'): there is no node '${id}' (nodes: ${nodeList()})`);
      delete draft.nodes[id];
      const other = (ref: string): boolean => ref.slice(0, ref.indexOf('.')) !== id;
      draft.plots = draft.plots
        .map((p) => (p.y ? { ...p, y: p.y.filter(other) } : p))
        .filter((p) => plotRefs(p).length > 0 && plotRefs(p).every(other));
      return b;
    },
    set(name: string, value: unknown) {
      const next = withOverrides({ name: draft.name, params: draft.params, nodes: draft.nodes }, { [name]: value });
      draft.params = structuredClone(next.params) as Record<string, unknown>;
      draft.nodes = structuredClone(next.nodes) as Record<string, NodeSpec>;
      return b;
    },
    extend(part: GraphPart) {
      for (const id of Object.keys(part.nodes ?? {})) if (has(id)) fail(`extend: node '${id}' is already defined`);
      Object.assign(draft.params, structuredClone(part.params ?? {}));
      Object.assign(draft.nodes, structuredClone(part.nodes ?? {}));
      draft.plots.push(...structuredClone(part.plots ?? []));
      return b;
    },
    plot(p: PlotSpec) { draft.plots.push(p); return b; },
    describe(text: string) { draft.description = text; return b; },
    build(): GraphSpec {
      const { plots, ...rest } = draft;
      return parseGraph({ ...rest, ...(plots.length && { plots }) }, draft.name);
    },
  };
  return b as unknown as GraphBuilder;
}
