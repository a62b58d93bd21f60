/**
 * The compiled graph: what validation returns and the scheduler runs. Besides the types, the two
 * rules both of them apply — which edges are streams, and what each node waits for — live here
 * once.
 */
import type { AnyNodeDef, PortSpec } from '../node.ts';
import type { GraphSpec } from './spec.ts';

export interface Edge { node: string; port: string }

export interface CompiledNode {
  id: string;
  def: AnyNodeDef;
  params: Record<string, unknown>;
  /** Input port → upstream output. Optional inputs left unwired are absent. */
  inputs: Record<string, Edge>;
  every: number | null;
  /** Driven step by step at the top level: it has stream outputs, or is written `*run` and follows no stream. */
  generator: boolean;
  /** The generator whose stream this node is fed by (lifted nodes), else null. */
  origin: string | null;
}

export interface CompiledGraph {
  spec: GraphSpec;
  nodes: Map<string, CompiledNode>;
  /** Topological order. */
  order: string[];
  /** `node.port` → ids of the nodes that consume it. */
  consumers: Map<string, string[]>;
}

/**
 * The edge carries a stream: it reads a stream output, or any output of a node lifted onto a
 * stream. (Validation calls this in topological order, once the upstream node's origin is known.)
 */
export function isStreamEdge(nodes: ReadonlyMap<string, CompiledNode>, e: Edge): boolean {
  const up = nodes.get(e.node)!;
  return up.origin !== null || Boolean((up.def.outputs as Record<string, PortSpec>)[e.port]?.stream);
}

/** One wait: `node.port` (run by `task`) reads the value `from`, which exists once `from.node` has finished. */
export interface Wait { task: string; node: CompiledNode; port: string; from: Edge }

/** Who runs a node: its generator if it is lifted onto a stream, else itself. */
export const taskOf = (n: CompiledNode): string => n.origin ?? n.id;

/**
 * What each node waits for before it can start: the values read by it and, for a generator, by
 * every node lifted onto its stream. Keys are node ids of value nodes and generators.
 */
export function waitsOf(nodes: ReadonlyMap<string, CompiledNode>): Map<string, Wait[]> {
  const waits = new Map<string, Wait[]>();
  for (const n of nodes.values()) if (n.origin === null) waits.set(n.id, []);
  for (const n of nodes.values()) {
    for (const [port, from] of Object.entries(n.inputs)) {
      if (isStreamEdge(nodes, from)) continue;
      waits.get(taskOf(n))?.push({ task: taskOf(n), node: n, port, from });
    }
  }
  return waits;
}
