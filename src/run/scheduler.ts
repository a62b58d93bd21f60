/**
 * The scheduler: executes a validated graph.
 *
 * Every value output is a shared `AsyncSubject` (it emits once, to every consumer, whenever they
 * subscribe); a node starts as soon as `forkJoin` of its inputs fires, so independent branches
 * run concurrently. Every generator drives a `Subject` of *waves*: one wave per yielded step that
 * carries stream outputs. The nodes lifted onto that stream subscribe to it in topological order,
 * so a wave is processed synchronously — by the time `next(wave)` returns every probe has seen it
 * and the wave's tensors are released. Generators yield to the event loop every few ms so Ctrl-C,
 * progress bars and other branches get their turn.
 *
 * Ownership: each value output holds one reference per consuming node, released when that node
 * finishes; wave tensors are released after the wave. On failure everything still held is
 * released, so `tf.memory().numTensors` returns to where it was.
 */
import { AsyncSubject, Subject, firstValueFrom, forkJoin, of, type Observable } from 'rxjs';
import { filter } from 'rxjs/operators';
import type { Step } from '../node.ts';
import type { CompiledGraph, CompiledNode } from '../graph/validate.ts';
import { CancelledError, DivergedError, NodeError } from '../graph/errors.ts';
import { createContext, type MetricEvent, type MutableContext } from './context.ts';
import { isGenerator, release, retain, runScoped } from './tensors.ts';

import type { Progress } from '../contract.ts';

export type { Progress };

export interface SchedulerEnv {
  seed: number;
  signal: AbortSignal;
  emit(event: MetricEvent): void;
  log(node: string, message: string): void;
  artifact(node: string, path: string, content: string | Uint8Array): void;
  progress(p: Progress): void;
}

interface Wave {
  step: number;
  /** Stream values of this wave by `node.port`. */
  values: Map<string, unknown>;
  /** Outputs of lifted nodes, each holding one reference until the wave ends. */
  owned: unknown[];
  error?: unknown;
}

/** How long a generator may hold the thread before yielding to the event loop. */
const SLICE_MS = 20;

const key = (node: string, port: string): string => `${node}.${port}`;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function execute(graph: CompiledGraph, env: SchedulerEnv): Promise<void> {
  // The first failure stops every other node too.
  const stop = new AbortController();
  const signal = stop.signal;
  const onAbort = (): void => stop.abort();
  env.signal.addEventListener('abort', onAbort);
  if (env.signal.aborted) stop.abort();
  const valuePorts = new Map<string, AsyncSubject<unknown>>();
  const waves = new Map<string, Subject<Wave>>();
  /** References still held per value port, for cleanup after a failure. */
  const held = new Map<string, { value: unknown; refs: number }>();
  const contexts = new Map<string, MutableContext>();

  for (const node of graph.nodes.values()) {
    for (const port of Object.keys(node.def.outputs)) valuePorts.set(key(node.id, port), new AsyncSubject());
    if (node.generator) waves.set(node.id, new Subject<Wave>());
    contexts.set(node.id, createContext({ id: node.id, type: node.def.type, seed: env.seed, signal, emit: env.emit, log: env.log, artifact: env.artifact }));
  }

  const publish = (node: CompiledNode, outputs: Record<string, unknown>): void => {
    for (const port of Object.keys(node.def.outputs)) {
      if (node.def.outputs[port].stream) continue;
      const value = outputs[port];
      const k = key(node.id, port);
      const refs = graph.consumers.get(k)?.length ?? 0;
      if (refs > 0 && value === undefined) throw new Error(`did not produce its output '${port}', which ${graph.consumers.get(k)!.join(', ')} need`);
      for (let i = 0; i < refs; i++) retain(value);
      if (refs > 0) held.set(k, { value, refs });
      valuePorts.get(k)!.next(value);
      valuePorts.get(k)!.complete();
    }
    release(outputs); // the scope's own reference
  };

  const letGo = (node: CompiledNode): void => {
    for (const edge of Object.values(node.inputs)) {
      const h = held.get(key(edge.node, edge.port));
      if (!h) continue; // a stream port: released per wave
      release(h.value);
      if (--h.refs === 0) held.delete(key(edge.node, edge.port));
    }
  };

  /** Value inputs of a node (and, for a generator, of every node lifted onto its stream). */
  const valueInputs = (node: CompiledNode): Observable<Record<string, unknown>> => {
    const wanted: Record<string, Observable<unknown>> = {};
    const collect = (n: CompiledNode): void => {
      for (const [port, e] of Object.entries(n.inputs)) {
        if (!isStreamEdge(graph, e.node, e.port)) wanted[`${n.id}:${port}`] = valuePorts.get(key(e.node, e.port))!;
      }
    };
    collect(node);
    if (node.generator) for (const n of graph.nodes.values()) if (n.origin === node.id) collect(n);
    return Object.keys(wanted).length ? forkJoin(wanted) : of({});
  };

  const inputsOf = (node: CompiledNode, all: Record<string, unknown>, wave?: Wave): Record<string, unknown> | null => {
    const inputs: Record<string, unknown> = {};
    for (const [port, e] of Object.entries(node.inputs)) {
      if (isStreamEdge(graph, e.node, e.port)) {
        if (!wave!.values.has(key(e.node, e.port))) return null; // upstream skipped this wave
        inputs[port] = wave!.values.get(key(e.node, e.port));
      } else inputs[port] = all[`${node.id}:${port}`];
    }
    return inputs;
  };

  const guard = <T>(node: CompiledNode, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw e instanceof NodeError || e instanceof CancelledError || e instanceof DivergedError ? e : new NodeError(node.id, node.def.type, e);
    }
  };

  const runValueNode = async (node: CompiledNode): Promise<void> => {
    const all = await firstValueFrom(valueInputs(node));
    if (signal.aborted) throw new CancelledError();
    guard(node, () => {
      const out = runScoped(() => node.def.run({ params: node.params, inputs: inputsOf(node, all)!, ctx: contexts.get(node.id)! }));
      publish(node, (out ?? {}) as Record<string, unknown>);
    });
    letGo(node);
  };

  const runGenerator = async (node: CompiledNode): Promise<void> => {
    const all = await firstValueFrom(valueInputs(node));
    if (signal.aborted) throw new CancelledError();
    const waves$ = waves.get(node.id)!;
    const lifted = graph.order.map((id) => graph.nodes.get(id)!).filter((n) => n.origin === node.id);
    for (const n of lifted) {
      // Errors are carried on the wave: RxJS would report a throw inside `next` asynchronously.
      waves$.pipe(filter((w) => !w.error && (n.every === null || w.step % n.every === 0))).subscribe((wave) => {
        const inputs = inputsOf(n, all, wave);
        if (!inputs) return;
        const ctx = contexts.get(n.id)!;
        ctx.step = wave.step;
        try {
          const out = guard(n, () => runScoped(() => n.def.run({ params: n.params, inputs, ctx })) as Record<string, unknown>);
          wave.owned.push(out);
          for (const [port, v] of Object.entries(out ?? {})) wave.values.set(key(n.id, port), v);
        } catch (e) {
          wave.error = e;
        }
      });
    }
    const gen = guard(node, () => runScoped(() => node.def.run({ params: node.params, inputs: inputsOf(node, all)!, ctx: contexts.get(node.id)! })));
    if (!isGenerator(gen)) throw new NodeError(node.id, node.def.type, new Error('has stream outputs, so run() must be a generator function (function*)'));
    let finished = false;
    try {
      let slice = Date.now();
      for (;;) {
        if (signal.aborted) throw new CancelledError();
        const r = guard(node, () => runScoped(() => (gen as Generator<Step, Record<string, unknown> | void>).next()));
        if (r.done) {
          finished = true;
          guard(node, () => publish(node, (r.value ?? {}) as Record<string, unknown>));
          break;
        }
        const { step, total, out } = r.value;
        if (out) {
          const wave: Wave = { step, values: new Map(Object.entries(out).map(([p, v]) => [key(node.id, p), v])), owned: [] };
          try {
            waves$.next(wave);
          } finally {
            for (const v of wave.owned) release(v);
            release(r.value); // the generator step's own reference
          }
          if (wave.error) throw wave.error;
        } else release(r.value);
        if (Date.now() - slice >= SLICE_MS || (total !== undefined && step >= total)) {
          env.progress({ node: node.id, step, total: total ?? null });
          await yieldToLoop();
          slice = Date.now();
        }
      }
    } finally {
      if (!finished) gen.return(undefined); // runs the generator's finally: its variables are disposed
      waves$.complete();
      letGo(node);
      for (const n of lifted) letGo(n);
    }
  };

  const start = (node: CompiledNode): Promise<void> => (node.generator ? runGenerator(node) : runValueNode(node)).catch((e: unknown) => {
    stop.abort();
    // Consumers waiting on this node's outputs give up instead of waiting forever.
    for (const port of Object.keys(node.def.outputs)) valuePorts.get(key(node.id, port))!.error(new CancelledError(`stopped: ${node.id} did not finish`));
    throw e;
  });
  const results = await Promise.allSettled([...graph.nodes.values()].filter((n) => n.origin === null).map(start));
  env.signal.removeEventListener('abort', onAbort);
  for (const h of held.values()) for (let i = 0; i < h.refs; i++) release(h.value);
  held.clear();
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
  if (failures.length) throw failures.find((e) => !(e instanceof CancelledError)) ?? failures[0];
}

function isStreamEdge(graph: CompiledGraph, node: string, port: string): boolean {
  const up = graph.nodes.get(node)!;
  return up.origin !== null || Boolean(up.def.outputs[port].stream);
}
