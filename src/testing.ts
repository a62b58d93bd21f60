/**
 * Run one node type outside a graph, for unit tests: parameters are checked and defaulted as in
 * a graph, metrics are collected, generators are driven to the end. The caller owns the
 * returned outputs and must `dispose()` them (the leak checks in tests rely on it).
 *
 * ```ts
 * const r = runNode(symmetricNoise, { params: { n: 8, sigma: 0.1 }, seed: 1 });
 * expectArraysClose(r.outputs.out, ...); r.dispose();
 * ```
 */
import type { AnyNodeDef, Step } from './node.ts';
import { resolveParams } from './graph/params.ts';
import { createContext, type MetricEvent } from './run/context.ts';
import { disown, isGenerator, release, retain, runScoped } from './run/tensors.ts';

export interface RunNodeOptions {
  params?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  seed?: number;
  /** Sets `ctx.step`, as for a lifted node processing a stream item. */
  step?: number | null;
  /** Called with each generator step while its `out` tensors are alive. */
  onStep?: (step: Step) => void;
}

export interface RunNodeResult {
  outputs: Record<string, any>;
  metrics: MetricEvent[];
  /** Values of metric `name` in emission order. */
  values(name: string): (number | number[])[];
  /** Files the node wrote through `ctx.artifact`, by path. */
  artifacts: Map<string, string | Uint8Array>;
  steps: number;
  dispose(): void;
}

export function runNode(def: AnyNodeDef, opts: RunNodeOptions = {}): RunNodeResult {
  const { values: params, errors } = resolveParams(def, opts.params ?? {}, def.type);
  if (errors.length) throw new Error(errors.join('\n'));
  const metrics: MetricEvent[] = [];
  const artifacts = new Map<string, string | Uint8Array>();
  const ctx = createContext({
    id: def.type, type: def.type, seed: opts.seed ?? 0, signal: new AbortController().signal,
    emit: (e) => metrics.push(e), log: () => {}, artifact: (_node, path, content) => artifacts.set(path, content),
  });
  ctx.step = opts.step ?? null;
  const inputs = opts.inputs ?? {};
  // The caller owns the inputs: hold a reference so an output that passes one through is not
  // disposed with the outputs, and give it back (without disposing) afterwards.
  retain(inputs);
  const first: unknown = runScoped(() => def.run({ params, inputs, ctx }));
  let outputs = first as Record<string, unknown> | void;
  let steps = 0;
  if (isGenerator(first)) {
    const gen = first as Generator<Step, Record<string, unknown> | void>;
    for (;;) {
      const r = runScoped(() => gen.next());
      if (r.done) { outputs = r.value; break; }
      steps++;
      try { opts.onStep?.(r.value); } finally { release(r.value); }
    }
  }
  const out = (outputs ?? {}) as Record<string, unknown>;
  return {
    outputs: out, metrics, steps, artifacts,
    values: (name) => metrics.filter((m) => m.name === name).map((m) => m.value),
    dispose: () => { release(out); disown(inputs); },
  };
}

export { retain, release };
