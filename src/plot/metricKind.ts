/**
 * What kind of metric an event carries, for choosing how to draw it: the node type's declared kind
 * when a lookup is given (the engine's `metricSpecOf(graph, node, name)?.kind`), otherwise a guess
 * from the value — a number is a scalar, an array is a rank-ordered `array` (a spectrum). This is
 * the one place that guesses; plots and viewers call it instead of inspecting values themselves.
 */
import type { MetricKind } from '../node.ts';

export type KindLookup = (node: string, name: string) => MetricKind | null | undefined;

export function metricKindOf(node: string, name: string, value: number | readonly number[], lookup?: KindLookup): MetricKind {
  const declared = lookup?.(node, name);
  if (declared) return declared;
  return Array.isArray(value) ? 'array' : 'scalar';
}
