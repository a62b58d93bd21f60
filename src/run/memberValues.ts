/**
 * The member form of port values, and the adapter that calls a batched node for one member.
 *
 * A batched node (`members: 'batched'`, see src/node.ts) computes several members in one call.
 * In that call every tf.Tensor carries a leading member axis, objects and arrays holding tensors
 * hold stacked tensors (a model {W1, W2} becomes {W1: [M, …], W2: [M, …]}), and any value without
 * a tensor (a distribution, an optimizer description, a float64 matrix, a number) is an array with
 * one entry per member. `stackMembers` and `sliceMember` convert between the forms; the engine
 * uses them at the edges between batched and per-member nodes.
 */
import * as tf from '@tensorflow/tfjs';
import type { AnyNodeDef, NodeContext, Step } from '../node.ts';
import { batchedContext, type MutableContext } from './context.ts';

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

/** Whether a value holds a tf.Tensor anywhere (typed arrays and class instances are leaves). */
export function holdsTensor(value: unknown): boolean {
  if (value instanceof tf.Tensor) return true;
  if (Array.isArray(value)) return value.some(holdsTensor);
  return isPlainObject(value) && Object.values(value).some(holdsTensor);
}

/** The member form of per-member values (all of one structure). New tensors belong to the caller's scope. */
export function stackMembers(values: readonly unknown[]): unknown {
  const first = values[0];
  if (!holdsTensor(first)) return [...values];
  if (first instanceof tf.Tensor) return tf.stack(values as tf.Tensor[]);
  if (Array.isArray(first)) return first.map((_, i) => stackMembers(values.map((v) => (v as unknown[])[i])));
  return Object.fromEntries(Object.keys(first as object).map((k) => [k, stackMembers(values.map((v) => (v as Record<string, unknown>)[k]))]));
}

/** Member k's value out of a value in member form (the inverse of `stackMembers`). */
export function sliceMember(value: unknown, k: number): unknown {
  if (!holdsTensor(value)) return (value as readonly unknown[])[k];
  if (value instanceof tf.Tensor) return tf.squeeze(tf.slice(value, [k], [1]), [0]);
  if (Array.isArray(value)) return value.map((v) => sliceMember(v, k));
  return Object.fromEntries(Object.entries(value as object).map(([key, v]) => [key, sliceMember(v, k)]));
}

/**
 * The `params` of a batched call from each member's resolved params: a parameter listed in the
 * node's `memberParams` on which the members differ becomes the array of their values; every
 * other parameter is the members' common value. Throws if members differ elsewhere (an engine
 * bug: such members belong to separate calls, see `callGroups`).
 */
export function memberCallParams(def: AnyNodeDef, each: readonly Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(each[0] ?? {})) {
    const values = each.map((p) => p[name]);
    const same = values.every((v) => sameValue(v, values[0]));
    if (same) { out[name] = values[0]; continue; }
    if (!def.memberParams?.includes(name)) throw new Error(`engine bug: members of one call of ${def.type} differ in '${name}', which is not in its memberParams`);
    out[name] = values;
  }
  return out;
}

/** Parameter values are JSON: equal when their JSON is. */
export const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Call a batched node for the members whose contexts are `each` and whose resolved params are
 * `params`: builds the call's params and context. Its inputs must already be in member form.
 */
export function callBatched(def: AnyNodeDef, base: MutableContext, each: readonly NodeContext[], params: readonly Record<string, unknown>[], inputs: Record<string, unknown>): unknown {
  return def.run({ params: memberCallParams(def, params), inputs, ctx: batchedContext(base, each, params) });
}

/**
 * A batched node as an ordinary node of one member: it adds the member axis to the inputs, calls
 * the batched `run` with count 1 (member 0's stream and metrics are the node's own), and removes
 * the axis from every output and streamed step. Plain runs and `runNode` call batched nodes this
 * way, so a batched node has one code path. Returns the def unchanged for other nodes.
 */
export function asSingleMember(def: AnyNodeDef): AnyNodeDef {
  if (def.members !== 'batched') return def;
  const stack = (inputs: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(inputs).map(([port, v]) => [port, stackMembers([v])]));
  /**
   * Member 0 of each output. The batched outputs are the adapter's to dispose (a node may have
   * kept one, e.g. a snapshot taken inside a gradient's scope), except the stacked inputs it returns.
   */
  const unstack = (out: unknown, inputs: readonly tf.Tensor[]): Record<string, unknown> => {
    const single = Object.fromEntries(Object.entries((out ?? {}) as Record<string, unknown>).map(([port, v]) => [port, sliceMember(v, 0)]));
    for (const t of tensorsOf(out)) if (!(t instanceof tf.Variable) && !inputs.includes(t)) t.dispose();
    return single;
  };
  const callOne = (params: Record<string, unknown>, inputs: Record<string, unknown>, ctx: NodeContext): unknown =>
    def.run({ params, inputs, ctx: batchedContext(ctx as MutableContext, [ctx], [params]) });
  return {
    ...def,
    members: undefined,
    run({ params, inputs, ctx }) {
      if (!isGeneratorFunction(def.run)) {
        const stacked = stack(inputs);
        return unstack(callOne(params, stacked, ctx), tensorsOf(stacked));
      }
      return (function* single(): Generator<Step, Record<string, unknown>, void> {
        // The stacked inputs outlive this step's tensor scope: the batched generator reads them at every step.
        const stacked = stack(inputs);
        const kept = tensorsOf(stacked).map((t) => tf.keep(t));
        let gen: Generator<Step, unknown> | null = null;
        try {
          gen = callOne(params, stacked, ctx) as Generator<Step, unknown>;
          for (;;) {
            const r = gen.next();
            if (r.done) return unstack(r.value, kept);
            yield r.value.out ? { ...r.value, out: unstack(r.value.out, kept) } : r.value;
          }
        } finally {
          gen?.return(undefined);
          for (const t of kept) t.dispose();
        }
      })();
    },
  };
}

function tensorsOf(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(tensorsOf);
  return isPlainObject(value) ? Object.values(value).flatMap(tensorsOf) : [];
}

export function isGeneratorFunction(fn: unknown): boolean {
  return Object.prototype.toString.call(fn) === '[object GeneratorFunction]';
}
