/**
 * Which metric values end a run as `diverged`: a NaN or infinite scalar of a metric whose
 * declaration says `divergence: true`, or, when it says nothing, whose name is `loss` or ends in
 * `_loss`. One rule for runs and for each member of a member run.
 */
import type { MetricEvent } from '../record/events.ts';
import { metricSpecOf } from '../graph/declarations.ts';
import type { GraphSpec } from '../graph/spec.ts';

const isLossName = (name: string): boolean => name === 'loss' || name.endsWith('_loss');

/** A test for events of `spec`'s nodes; each metric's declaration is looked up once. */
export function divergenceCheck(spec: GraphSpec): (e: MetricEvent) => boolean {
  const watched = new Map<string, boolean>();
  return (e) => {
    if (typeof e.value !== 'number' || Number.isFinite(e.value)) return false;
    const key = `${e.node}.${e.name}`;
    let watch = watched.get(key);
    if (watch === undefined) watched.set(key, watch = metricSpecOf(spec, e.node, e.name)?.divergence ?? isLossName(e.name));
    return watch;
  };
}
