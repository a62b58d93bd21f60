import type { MetricValue, NodeContext } from '../node.ts';
import { deriveRng } from '../rng.ts';
import { toMetricValue } from './metricValue.ts';

import type { MetricEvent } from '../contract.ts';

export type { MetricEvent };

export interface ContextOptions {
  id: string;
  type: string;
  seed: number;
  signal: AbortSignal;
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
      o.emit({ node: o.id, name, step, value: toMetricValue(value), time: Date.now() });
    },
    log: (message) => o.log(o.id, message),
    artifact: (path, content) => o.artifact(o.id, path, content),
  };
  return ctx;
}
