import type { ArtifactMap, MembersContext, MetricMap, MetricSpec, MetricValue, NodeContext } from '../node.ts';
import type { Rng } from '../rng.ts';
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
  /**
   * The node is a generator driven at the top level (no `ctx.step`): from now on a metric emitted
   * without a step waits for the step of the generator's next `yield`, except `when: 'once'` ones.
   */
  followYields(): void;
  /** The generator yielded `step`: emit the metrics waiting for it. */
  yielded(step: number): void;
  /** The generator returned: emit what still waits as one-off values; a `when: 'step'` metric fails (it has no step). */
  returned(): void;
}

export function createContext(o: ContextOptions): MutableContext {
  let following = false;
  /** Metrics emitted since the last yield, waiting for its step (values already read: tensors die with the step). */
  let waiting: { event: Omit<MetricEvent, 'step'>; when: MetricSpec['when'] }[] = [];
  const ctx: MutableContext = {
    id: o.id,
    type: o.type,
    rng: deriveRng(o.seed, o.id),
    step: null,
    signal: o.signal,
    metric(name: string, value: MetricValue, step?: number | null) {
      const spec = findDeclared(o.metrics, name);
      if (!spec) {
        throw new Error(`emitted metric '${name}', which ${o.type} does not declare (declared metrics: ${declaredList(o.metrics)}); add it to the node type's \`metrics\``);
      }
      const event = { node: o.id, name, value: toMetricValue(value), time: Date.now() };
      if (step !== undefined || ctx.step !== null) o.emit({ ...event, step: step ?? ctx.step });
      else if (following && spec.when !== 'once') waiting.push({ event, when: spec.when });
      else if (spec.when === 'step') throw new Error(noStep(name, 'it is neither a generator nor fed by a stream'));
      else o.emit({ ...event, step: null });
    },
    followYields() { following = true; },
    yielded(step) {
      const ready = waiting;
      waiting = [];
      for (const { event } of ready) o.emit({ ...event, step });
    },
    returned() {
      const left = waiting;
      waiting = [];
      const stepped = left.find((w) => w.when === 'step');
      if (stepped) throw new Error(noStep(stepped.event.name, 'it was emitted after the generator\'s last yield'));
      for (const { event } of left) o.emit({ ...event, step: null });
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

const noStep = (name: string, why: string): string =>
  `emitted metric '${name}', declared when: 'step', without a step (${why}); pass one, ctx.metric('${name}', value, step), or declare it when: 'call'`;

/**
 * The context of a batched call over `members` (each member's own context, as in a separate run
 * with its seed): `ctx.members` draws and emits per member; `rng` and `metric` throw, since in a
 * batched call every draw and metric belongs to one member. `step` follows `base` (the scheduler
 * sets it per stream item).
 */
export function batchedContext(base: MutableContext, members: readonly NodeContext[], params: readonly Record<string, unknown>[]): MutableContext {
  const perMember = (what: string): Error => new Error(`${base.type} is batched over members: use ${what} for member k instead`);
  const descriptor: MembersContext = {
    count: members.length,
    params,
    rng: members.map((m) => m.rng),
    // Without a step: the stream item's (a lifted node), else the generator's next yield, in member k's context.
    metric: (k, name, value, step) => members[k]!.metric(name, value, step !== undefined ? step : base.step ?? undefined),
  };
  // a generator's metrics wait for its next yield in each member's own context (base may be one of them)
  const contexts = [...new Set([base, ...members])] as MutableContext[];
  return {
    id: base.id,
    type: base.type,
    followYields: () => { for (const c of contexts) c.followYields(); },
    yielded: (step) => { for (const c of contexts) c.yielded(step); },
    returned: () => { for (const c of contexts) c.returned(); },
    get rng(): Rng { throw perMember('ctx.members.rng[k]'); },
    get step() { return base.step; },
    set step(s: number | null) { base.step = s; },
    signal: base.signal,
    metric: () => { throw perMember('ctx.members.metric(k, name, value)'); },
    artifact: (path, content) => base.artifact(path, content),
    log: (message) => base.log(message),
    members: descriptor,
  };
}
