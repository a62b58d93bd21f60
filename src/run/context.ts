import type { ArtifactMap, MetricMap, MetricValue, NodeContext } from '../node.ts';
import { deriveRng } from '../rng.ts';
import { declaredList, findDeclared } from '../graph/declarations.ts';
import { toMetricValue } from './metricValue.ts';

import type { MetricEvent } from '../record/events.ts';

export type { MetricEvent };

export interface ContextOptions {
  id: string;
  type: string;
  seed: number;
  signal: AbortSignal;
  /** The node type's declared metrics and artifacts. A name not declared there (or no map at all) fails the node. */
  metrics?: MetricMap;
  artifacts?: ArtifactMap;
  emit(event: MetricEvent): void;
  log(node: string, message: string): void;
  artifact(node: string, path: string, content: string | Uint8Array): void;
}

/** A node's context; `step` is mutable so lifted nodes can reuse one context per item. */
export interface MutableContext extends NodeContext {
  step: number | null;
}

export function createContext(o: ContextOptions): MutableContext {
  const ctx: MutableContext = {
    id: o.id,
    type: o.type,
    rng: deriveRng(o.seed, o.id),
    step: null,
    signal: o.signal,
    metric(name: string, value: MetricValue, step: number | null = ctx.step) {
      if (!findDeclared(o.metrics, name)) {
        throw new Error(`emitted metric '${name}', which ${o.type} does not declare (declared metrics: ${declaredList(o.metrics)}); add it to the node type's \`metrics\``);
      }
      o.emit({ node: o.id, name, step, value: toMetricValue(value), time: Date.now() });
    },
    log: (message) => o.log(o.id, message),
    artifact(path, content) {
      if (!findDeclared(o.artifacts, path)) {
        throw new Error(`wrote artifact '${path}', which ${o.type} does not declare (declared artifacts: ${declaredList(o.artifacts)}); add it to the node type's \`artifacts\``);
      }
      o.artifact(o.id, path, content);
    },
  };
  return ctx;
}
