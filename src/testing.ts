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
import { batchedContext, createContext, type MetricEvent, type MutableContext } from './run/context.ts';
import { asSingleMember, memberCallParams } from './run/memberValues.ts';
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
  /**
   * Batched nodes only: compute these members in one call, each with its seed and parameter
   * overrides (on top of `params`). `inputs` are then in member form (tensors with a leading
   * member axis, other values one per member), and so are the outputs; each metric carries the
   * `member` it belongs to (its index in this list). Without it, a batched node runs for one member.
   */
  members?: { seed: number; params?: Record<string, unknown> }[];
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
  const resolve = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
    const { values, errors } = resolveParams(def, { ...opts.params, ...overrides }, def.type);
    if (errors.length) throw new Error(errors.join('\n'));
    return values;
  };
  const metrics: MetricEvent[] = [];
  const artifacts = new Map<string, string | Uint8Array>();
  const contextOf = (seed: number, member?: number): MutableContext => createContext({
    id: def.type, type: def.type, seed, signal: new AbortController().signal,
    metrics: def.metrics, artifacts: def.artifacts,
    emit: (e) => metrics.push(member === undefined ? e : { ...e, member }), log: () => {}, artifact: (_node, path, content) => artifacts.set(path, content),
  });
  if (opts.members && def.members !== 'batched') throw new Error(`runNode: members given, but ${def.type} is not batched`);
  const each = opts.members?.map((m) => resolve(m.params));
  const base = contextOf(opts.seed ?? 0);
  const ctx = opts.members ? batchedContext(base, opts.members.map((m, k) => contextOf(m.seed, k)), each!) : base;
  const params = each ? memberCallParams(def, each) : resolve();
  const node = opts.members ? def : asSingleMember(def);
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
    const first: unknown = refs.runScoped(() => node.run({ params, inputs, ctx }));
    let outputs = first as Record<string, unknown> | void;
    if (isGenerator(first)) {
      const gen = first as Generator<Step, Record<string, unknown> | void>;
      ctx.followYields();
      for (;;) {
        const r = refs.runScoped(() => gen.next());
        if (r.done) { ctx.returned(); outputs = r.value; break; }
        ctx.yielded(r.value.step);
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
