/**
 * Run one node type outside a graph, for unit tests: parameters are checked and defaulted as in
 * a graph, inputs are converted to the precision each port declares (as the engine does at an
 * edge), declared metrics and artifacts are enforced, metrics are collected, generators are
 * driven to the end. The caller keeps owning the inputs it passed, and owns the returned
 * outputs: it must `dispose()` them (the leak checks in tests rely on it).
 *
 * ```ts
 * const r = runNode(symmetric, { params: { n: 8, sigma: 0.1 }, seed: 1 }); // nodes/wn/symmetric.ts
 * expectArraysClose(r.outputs.out, ...); r.dispose();
 * ```
 */
import type { AnyNodeDef, PortSpec, Step } from './node.ts';
import { resolveParams } from './graph/params.ts';
import { createContext, type MetricEvent } from './run/context.ts';
import { convertMatrix, needsConversion, portPrecision } from './run/precision.ts';
import { isGenerator, TensorRefs } from './run/tensors.ts';

export interface RunNodeOptions {
  params?: Record<string, unknown>;
  /** Port values; a matrix in the other precision than the port declares is converted (a copy). */
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
    metrics: def.metrics, artifacts: def.artifacts,
    emit: (e) => metrics.push(e), log: () => {}, artifact: (_node, path, content) => artifacts.set(path, content),
  });
  ctx.step = opts.step ?? null;
  const refs = new TensorRefs();
  const given = opts.inputs ?? {};
  // The caller owns the inputs: hold a reference so an output that passes one through is not
  // disposed with the outputs, and give it back (without disposing) afterwards.
  refs.retain(given);
  const converted: unknown[] = [];
  const inputs: Record<string, unknown> = { ...given };
  for (const [port, value] of Object.entries(given)) {
    const spec = (def.inputs as Record<string, PortSpec>)[port];
    const want = spec ? portPrecision(spec) : null;
    if (!needsConversion(value, want)) continue;
    inputs[port] = convertMatrix(value, want);
    refs.retain(inputs[port]);
    converted.push(inputs[port]);
  }
  let out: Record<string, unknown>;
  let steps = 0;
  try {
    const first: unknown = refs.runScoped(() => def.run({ params, inputs, ctx }));
    let outputs = first as Record<string, unknown> | void;
    if (isGenerator(first)) {
      const gen = first as Generator<Step, Record<string, unknown> | void>;
      for (;;) {
        const r = refs.runScoped(() => gen.next());
        if (r.done) { outputs = r.value; break; }
        steps++;
        try { opts.onStep?.(r.value); } finally { refs.release(r.value); }
      }
    }
    out = (outputs ?? {}) as Record<string, unknown>;
  } catch (e) {
    for (const c of converted) refs.release(c);
    refs.disown(given);
    throw e;
  }
  // Converted copies die here unless an output passes one through (then it lives with the output).
  for (const c of converted) refs.release(c);
  return {
    outputs: out, metrics, steps, artifacts,
    values: (name) => metrics.filter((m) => m.name === name).map((m) => m.value),
    dispose: () => { refs.release(out); refs.disown(given); },
  };
}
