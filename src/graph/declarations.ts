/**
 * What a node type declares it emits: metric names (with kinds) and artifact paths. A declared
 * name may contain one `*`, matching any run of characters (`alpha_*` covers `alpha_fc1`).
 * The run context enforces these declarations, validation checks plot references against them,
 * and plots/dashboards read a metric's declared kind through `metricSpecOf`.
 */
import type { AnyNodeDef, MetricSpec } from '../node.ts';
import { getNode } from '../registry.ts';
import type { GraphSpec } from './spec.ts';

/** `name` matches the declared `pattern` (exactly, or with its one `*` standing for any characters). */
export function matchesDeclared(pattern: string, name: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === name;
  const head = pattern.slice(0, star), tail = pattern.slice(star + 1);
  return name.length >= head.length + tail.length && name.startsWith(head) && name.endsWith(tail);
}

/** The declaration in `map` that covers `name`: an exact entry first, else the first matching pattern. */
export function findDeclared<T>(map: Record<string, T> | undefined, name: string): T | undefined {
  if (!map) return undefined;
  if (Object.prototype.hasOwnProperty.call(map, name)) return map[name];
  for (const [pattern, spec] of Object.entries(map)) if (pattern.includes('*') && matchesDeclared(pattern, name)) return spec;
  return undefined;
}

/** A node type's declared spec for metric `name`, or undefined. */
export function declaredMetric(def: AnyNodeDef, name: string): MetricSpec | undefined {
  return findDeclared(def.metrics, name);
}

/**
 * The declared spec (kind, doc, unit, when) of metric `name` emitted by node `node` of a graph,
 * looked up through the node's type in the registry; null when the node, its type or the metric
 * is unknown. Plots and dashboards use `kind` instead of guessing from values.
 */
export function metricSpecOf(graph: GraphSpec, node: string, name: string): MetricSpec | null {
  const ns = Object.prototype.hasOwnProperty.call(graph.nodes, node) ? graph.nodes[node] : undefined;
  const def = ns ? getNode(ns.type) : undefined;
  return (def && declaredMetric(def, name)) ?? null;
}

/** `'a', 'b'` or `none`, for messages. */
export function declaredList(map: Record<string, unknown> | undefined): string {
  const names = Object.keys(map ?? {});
  return names.length ? names.join(', ') : 'none';
}
