/**
 * The scheduler: executes a validated graph. docs/architecture.md explains the model; in short:
 *
 * - Every node call — a value node's `run`, a generator's `run` and each of its steps, a lifted
 *   node's `run` on one stream item — goes through one wrapper, `invoke`: a tensor scope, and
 *   any error reported as a `NodeError` naming the node.
 * - A value output is a promise of a `Published` value. A node starts when the values it waits
 *   for are published, so independent branches run concurrently. What a generator waits for is
 *   its own value inputs and those of every node lifted onto its stream (validation has checked
 *   that none of them needs the generator itself).
 * - Every generator drives an RxJS `Subject` of *waves*: one wave per yielded step that carries
 *   stream outputs. The nodes lifted onto that stream subscribe to it in topological order, so a
 *   wave is processed synchronously — by the time `next(wave)` returns every probe has seen it
 *   and the wave's tensors are released. Generators yield to the event loop every ~20 ms so
 *   Ctrl-C, progress bars and other branches get their turn.
 * - Matrices are converted at the edge to the precision the consuming port declares, once per
 *   value and precision (`precision.ts`).
 *
 * Ownership: the run's `TensorRefs` table holds one reference per consumer of each value (and of
 * each converted copy), released when that consumer finishes; wave tensors are released after
 * the wave. On failure everything still held is released, so `tf.memory().numTensors` returns
 * to where it was.
 */
import { Subject } from 'rxjs';
import { filter } from 'rxjs/operators';
import type { PortSpec, Precision, Step } from '../node.ts';
import { isStreamEdge, waitsOf, type CompiledGraph, type CompiledNode, type Wait } from '../graph/compiled.ts';
import { CancelledError, DivergedError, NodeError } from '../graph/errors.ts';
import { createContext, type ContextOptions, type MetricEvent, type MutableContext } from './context.ts';
import { convertMatrix, needsConversion, portPrecision } from './precision.ts';
import { isGenerator, TensorRefs } from './tensors.ts';

import type { Progress } from '../record/events.ts';

export type { Progress };

export interface SchedulerEnv {
  seed: number;
  signal: AbortSignal;
  emit(event: MetricEvent): void;
  log(node: string, message: string): void;
  artifact(node: string, path: string, content: string | Uint8Array): void;
  progress(p: Progress): void;
  /** A problem that does not stop the run (a leaking node), for stderr even when quiet. */
  warn(message: string): void;
  /** A node that ends holding tensors it made fails the run, instead of a warning. */
  strictTensors?: boolean;
  /** Builds each node's context (member runs, src/run/members.ts); default `createContext`. */
  context?(node: CompiledNode, options: ContextOptions): MutableContext;
}

interface Wave {
  step: number;
  /** Stream values of this wave by `node.port`. */
  values: Map<string, unknown>;
  /** Converted copies of stream values by `node.port@precision`. */
  converted: Map<string, unknown>;
  /** Outputs of lifted nodes and converted copies, each holding one reference until the wave ends. */
  owned: unknown[];
  error?: unknown;
}

/** How long a generator may hold the thread before yielding to the event loop. */
const SLICE_MS = 20;

const key = (node: string, port: string): string => `${node}.${port}`;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A value input (a wait, see graph/compiled.ts) and the precision its port reads it in. */
interface ValueUse extends Wait { want: Precision | null }

/** Each task's value inputs (stream edges are read per wave instead), by task id. */
const valueUses = (graph: CompiledGraph): Map<string, ValueUse[]> => new Map([...waitsOf(graph.nodes)].map(([task, waits]) =>
  [task, waits.map((w) => ({ ...w, want: portPrecision(w.node.def.inputs[w.port] as PortSpec) }))]));

/**
 * One published value output with the copies converted from it, each holding one reference per
 * consumer that reads it in that representation. Consumers `take` their copy and say `done`.
 */
class Published {
  /** Representation (`as-is` or a precision) → the value and how many consumers still hold it. */
  private readonly copies = new Map<string, { value: unknown; users: number }>();

  constructor(private readonly refs: TensorRefs, private readonly value: unknown, wants: (Precision | null)[]) {
    for (const want of wants) {
      const k = this.repr(want);
      const copy = this.copies.get(k) ?? { value: k === 'as-is' ? value : convertMatrix(value, want!), users: 0 };
      copy.users++;
      this.copies.set(k, copy);
    }
    for (const copy of this.copies.values()) for (let i = 0; i < copy.users; i++) refs.retain(copy.value);
  }

  private repr(want: Precision | null): string {
    return needsConversion(this.value, want) ? want : 'as-is';
  }

  /** The value in the representation `want` asks for. */
  take(want: Precision | null): unknown {
    return this.copies.get(this.repr(want))!.value;
  }

  /** One consumer reading `want` has finished with it. */
  done(want: Precision | null): void {
    const copy = this.copies.get(this.repr(want))!;
    if (copy.users === 0) throw new Error('engine bug: a consumer finished twice with one value');
    copy.users--;
    this.refs.release(copy.value);
  }

  /** After a failure: release what consumers that never ran would have released. */
  drop(): void {
    for (const copy of this.copies.values()) for (; copy.users > 0; copy.users--) this.refs.release(copy.value);
  }
}

/** A promise with its settle functions, for a value output that later nodes wait for. */
interface Pending {
  promise: Promise<Published>;
  resolve(p: Published): void;
  reject(e: unknown): void;
}

function pending(): Pending {
  let resolve!: (p: Published) => void, reject!: (e: unknown) => void;
  const promise = new Promise<Published>((res, rej) => { resolve = res; reject = rej; });
  promise.catch(() => {}); // a failure is reported by the node that failed, not by every waiter
  return { promise, resolve, reject };
}

export async function execute(graph: CompiledGraph, env: SchedulerEnv): Promise<void> {
  // The first failure stops every other node too.
  const stop = new AbortController();
  const signal = stop.signal;
  const onAbort = (): void => stop.abort();
  env.signal.addEventListener('abort', onAbort);
  if (env.signal.aborted) stop.abort();
  const refs = new TensorRefs();
  const outputs = new Map<string, Pending>();
  const published: Published[] = [];
  const contexts = new Map<string, MutableContext>();
  const usesByTask = valueUses(graph);
  /** Value inputs by the output they read. */
  const uses = new Map<string, ValueUse[]>();

  for (const node of graph.nodes.values()) {
    for (const [port, spec] of Object.entries(node.def.outputs as Record<string, PortSpec>)) if (!spec.stream) outputs.set(key(node.id, port), pending());
    const options: ContextOptions = {
      id: node.id, type: node.def.type, seed: env.seed, signal, metrics: node.def.metrics, artifacts: node.def.artifacts,
      emit: env.emit, log: env.log, artifact: env.artifact,
    };
    contexts.set(node.id, env.context ? env.context(node, options) : createContext(options));
  }
  for (const use of [...usesByTask.values()].flat()) {
    const k = key(use.from.node, use.from.port);
    uses.set(k, [...(uses.get(k) ?? []), use]);
  }

  /** The last step each generator yielded. */
  const yieldedSteps = new Map<string, number>();
  /** Where a node was when it failed: the streamed step it was processing, or after the last step its generator yielded. */
  const whereIn = (node: CompiledNode): string | undefined => {
    const streamed = contexts.get(node.id)?.step;
    if (streamed !== null && streamed !== undefined) return `at step ${streamed}`;
    const yielded = yieldedSteps.get(node.id);
    return yielded === undefined ? undefined : `after step ${yielded}`;
  };

  /** Errors from inside a node, named after it and its step (engine-level errors pass through). */
  const named = <T>(node: CompiledNode, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw e instanceof NodeError || e instanceof CancelledError || e instanceof DivergedError ? e : new NodeError(node.id, node.def.type, e, whereIn(node));
    }
  };

  /** The one way the engine calls into a node: in a tensor scope, its errors named after it and its step, its own tensors checked. */
  const invoke = <T>(node: CompiledNode, fn: () => T): T => named(node, () => refs.runScoped(fn, { node: node.id }));

  /** Hand a node's value outputs to their consumers, converted as they ask; drop the call's own reference. */
  const publish = (node: CompiledNode, out: Record<string, unknown>): void => {
    try {
      named(node, () => {
        for (const [port, spec] of Object.entries(node.def.outputs as Record<string, PortSpec>)) {
          if (spec.stream) continue;
          const readers = uses.get(key(node.id, port)) ?? [];
          if (readers.length && out[port] === undefined) {
            throw new Error(`did not produce its output '${port}', which ${[...new Set(readers.map((u) => u.node.id))].join(', ')} need`);
          }
          const p = new Published(refs, out[port], readers.map((u) => u.want));
          published.push(p);
          outputs.get(key(node.id, port))!.resolve(p);
        }
      });
    } finally {
      refs.release(out);
    }
  };

  /**
   * Wait for the values `task` and the nodes lifted onto its stream read from value ports, and
   * take them in the precision each port asks for. Returns the inputs by node id and port, and a
   * function that gives them back.
   */
  const takeValues = async (task: CompiledNode, lifted: CompiledNode[] = []): Promise<{ inputs: Map<string, Record<string, unknown>>; giveBack(): void }> => {
    const wanted = usesByTask.get(task.id) ?? [];
    const values = await Promise.all(wanted.map((u) => outputs.get(key(u.from.node, u.from.port))!.promise));
    const inputs = new Map([task, ...lifted].map((n) => [n.id, {} as Record<string, unknown>]));
    wanted.forEach((u, i) => { inputs.get(u.node.id)![u.port] = values[i]!.take(u.want); });
    let given = false;
    return {
      inputs,
      giveBack: () => {
        if (given) return;
        given = true;
        wanted.forEach((u, i) => values[i]!.done(u.want));
      },
    };
  };

  const runValueNode = async (node: CompiledNode): Promise<void> => {
    const { inputs, giveBack } = await takeValues(node);
    try {
      if (signal.aborted) throw new CancelledError();
      const out = invoke(node, () => node.def.run({ params: node.params, inputs: inputs.get(node.id)!, ctx: contexts.get(node.id)! }));
      publish(node, (out ?? {}) as Record<string, unknown>);
    } finally {
      giveBack();
    }
  };

  /** A lifted node's stream inputs from one wave, converted as its ports ask; null if upstream skipped this wave. */
  const streamInputs = (node: CompiledNode, wave: Wave, values: Record<string, unknown>): Record<string, unknown> | null => {
    const inputs = { ...values };
    for (const [port, e] of Object.entries(node.inputs)) {
      if (!isStreamEdge(graph.nodes, e)) continue;
      const k = key(e.node, e.port);
      if (!wave.values.has(k)) return null;
      const value = wave.values.get(k);
      const want = portPrecision(node.def.inputs[port] as PortSpec);
      if (!needsConversion(value, want)) { inputs[port] = value; continue; }
      if (!wave.converted.has(`${k}@${want}`)) {
        const copy = convertMatrix(value, want);
        refs.retain(copy);
        wave.owned.push(copy);
        wave.converted.set(`${k}@${want}`, copy);
      }
      inputs[port] = wave.converted.get(`${k}@${want}`);
    }
    return inputs;
  };

  /**
   * Run a lifted `*run` node's generator to its end inside one wave (it cannot yield to the event
   * loop there: the wave's tensors must be released when the wave ends). Returns its final value.
   */
  const drain = (node: CompiledNode, gen: Generator<Step, Record<string, unknown> | void>): Record<string, unknown> | void => {
    let done = false;
    try {
      for (;;) {
        if (signal.aborted) throw new CancelledError();
        const r = invoke(node, () => gen.next());
        if (r.done) { done = true; return r.value; }
        refs.release(r.value);
      }
    } finally {
      if (!done) gen.return(undefined);
    }
  };

  const runGenerator = async (node: CompiledNode): Promise<void> => {
    const lifted = graph.order.map((id) => graph.nodes.get(id)!).filter((n) => n.origin === node.id);
    const { inputs, giveBack } = await takeValues(node, lifted);
    const waves$ = new Subject<Wave>();
    let gen: Generator<Step, Record<string, unknown> | void> | null = null;
    let finished = false;
    try {
      if (signal.aborted) throw new CancelledError();
      for (const n of lifted) {
        // Errors are carried on the wave: RxJS would report a throw inside `next` asynchronously.
        waves$.pipe(filter((w) => !w.error && (n.every === null || w.step % n.every === 0))).subscribe((wave) => {
          try {
            const args = named(n, () => streamInputs(n, wave, inputs.get(n.id)!));
            if (!args) return;
            const ctx = contexts.get(n.id)!;
            ctx.step = wave.step;
            const called = invoke(n, () => n.def.run({ params: n.params, inputs: args, ctx }));
            const out = (isGenerator(called) ? drain(n, called as Generator<Step, Record<string, unknown> | void>) : called) as Record<string, unknown>;
            wave.owned.push(out);
            for (const [port, v] of Object.entries(out ?? {})) wave.values.set(key(n.id, port), v);
          } catch (e) {
            wave.error = e;
          }
        });
      }
      const started = invoke(node, () => node.def.run({ params: node.params, inputs: inputs.get(node.id)!, ctx: contexts.get(node.id)! }));
      if (!isGenerator(started)) {
        refs.release(started);
        throw new NodeError(node.id, node.def.type, new Error('has stream outputs, so run() must be a generator function (function*)'));
      }
      gen = started as Generator<Step, Record<string, unknown> | void>;
      const ctx = contexts.get(node.id)!;
      ctx.followYields();
      let slice = Date.now();
      for (;;) {
        if (signal.aborted) throw new CancelledError();
        const r = invoke(node, () => gen!.next());
        if (r.done) {
          finished = true;
          named(node, () => ctx.returned());
          publish(node, (r.value ?? {}) as Record<string, unknown>);
          break;
        }
        const { step, total, out } = r.value;
        yieldedSteps.set(node.id, step);
        named(node, () => ctx.yielded(step));
        if (out) {
          const wave: Wave = { step, values: new Map(Object.entries(out).map(([p, v]) => [key(node.id, p), v])), converted: new Map(), owned: [] };
          try {
            waves$.next(wave);
          } finally {
            for (const v of wave.owned) refs.release(v);
            refs.release(r.value); // the generator step's own reference
          }
          if (wave.error) throw wave.error;
        } else refs.release(r.value);
        if (Date.now() - slice >= SLICE_MS || (total !== undefined && step >= total)) {
          env.progress({ node: node.id, step, total: total ?? null });
          await yieldToLoop();
          slice = Date.now();
        }
      }
    } finally {
      if (gen && !finished) gen.return(undefined); // runs the generator's finally: its variables are disposed
      waves$.complete();
      giveBack();
    }
  };

  const start = (node: CompiledNode): Promise<void> => (node.generator ? runGenerator(node) : runValueNode(node)).catch((e: unknown) => {
    stop.abort();
    // Consumers waiting on this node's outputs give up instead of waiting forever.
    for (const port of Object.keys(node.def.outputs)) outputs.get(key(node.id, port))?.reject(new CancelledError(`stopped: ${node.id} did not finish`));
    throw e;
  });
  try {
    const results = await Promise.allSettled([...graph.nodes.values()].filter((n) => n.origin === null).map(start));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
    if (failures.length) throw failures.find((e) => !(e instanceof CancelledError)) ?? failures[0];
  } finally {
    env.signal.removeEventListener('abort', onAbort);
    for (const p of published) p.drop();
  }
  if (refs.size !== 0) throw new Error(`engine bug: ${refs.size} tensors still referenced after the run`);
  const leaks = refs.leaks();
  if (leaks.length) {
    const text = leaks.map(([id, n]) => `${id} (${graph.nodes.get(id)?.def.type ?? '?'}) ended holding ${n} tensor${n === 1 ? '' : 's'} it made (tf.keep, tf.Variable) and never disposed`).join('; ');
    if (env.strictTensors) throw new TensorLeakError(`tensor leak: ${text}`);
    env.warn(`tensor leak: ${text}; dispose them in the node's finally (--strict-tensors makes this an error)`);
  }
}

/** A run whose nodes ended holding tensors they made, with `strictTensors` on. */
export class TensorLeakError extends Error {}
