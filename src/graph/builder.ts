/**
 * Composing a graph in TypeScript. The builder produces the same frozen spec as a JSON file.
 *
 * ```ts
 * const spec = graph('demo', { n: 20 })
 *   .node('data', 'data.sparseFeatures', { n: '$n', p: 0.05 })
 *   .node('model', 'models.residualMlp', { n: '$n', m: 10 }, { x: 'data.out' })
 *   .plot({ title: 'loss', y: ['train.loss'], logY: true })
 *   .build();
 * ```
 */
import { parseGraph, type GraphSpec, type NodeSpec, type PlotSpec } from './spec.ts';

export interface GraphBuilder {
  node(id: string, type: string, params?: Record<string, unknown>, inputs?: Record<string, string>, options?: { every?: number }): GraphBuilder;
  plot(p: PlotSpec): GraphBuilder;
  describe(text: string): GraphBuilder;
  /** Structurally checked, frozen spec (semantic checks happen in `validateGraph`/`runGraph`). */
  build(): GraphSpec;
}

export function graph(name: string, params: Record<string, unknown> = {}): GraphBuilder {
  const nodes: Record<string, NodeSpec> = {};
  const plots: PlotSpec[] = [];
  let description: string | undefined;
  const b: GraphBuilder = {
    node(id, type, nodeParams, inputs, options) {
      if (id in nodes) throw new Error(`graph ${name}: node '${id}' is defined twice`);
      nodes[id] = { type, ...(nodeParams && { params: nodeParams }), ...(inputs && { inputs }), ...(options?.every && { every: options.every }) };
      return b;
    },
    plot(p) { plots.push(p); return b; },
    describe(text) { description = text; return b; },
    build: () => parseGraph({ name, ...(description && { description }), params, nodes, ...(plots.length && { plots }) }, name),
  };
  return b;
}
