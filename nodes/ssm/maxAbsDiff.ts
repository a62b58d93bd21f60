/**
 * Max absolute difference of two equal-length sequences, emitted as a metric named by `name`
 * (e.g. `conv_vs_recurrence`). Also emits `<name>_rel`: the same divided by max |b|.
 *
 * ## Example
 * `{"type": "ssm.maxAbsDiff", "params": {"name": "conv_vs_recurrence"}, "inputs": {"a": "conv.y", "b": "rec.y"}}`
 */
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { maxAbsDiff as diff, sequenceOf } from './ssmInternals.ts';

export const maxAbsDiff = defineNode({
  type: 'ssm.maxAbsDiff',
  doc: 'max_i |a_i − b_i| of two equal-length sequences, as the metric `name` (and `<name>_rel`, relative to max |b|).',
  params: {
    name: { type: 'string', doc: 'metric name', default: 'max_abs_diff' },
  },
  inputs: {
    a: { type: 'numbers', doc: 'first sequence' },
    b: { type: 'numbers', doc: 'reference sequence' },
  },
  outputs: { out: { type: 'number', doc: 'the max abs difference' } },
  metrics: { '*': { kind: 'scalar', doc: 'max |a_i − b_i| under the metric name `name`, and the same over max |b| under `<name>_rel`' } },
  check: (p) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.name) ? [] : [`name must be a metric name (letters, digits, _) but got ${JSON.stringify(p.name)}`]),
  run: ({ params, inputs, ctx }) => {
    const a = sequenceOf('ssm.maxAbsDiff', 'a', inputs.a), b = sequenceOf('ssm.maxAbsDiff', 'b', inputs.b);
    requireArg(a.length === b.length, ctx.type, 'b', `have the length of a (${a.length})`, `length ${b.length}`);
    const d = diff(a, b);
    let scale = 0;
    for (const x of b) scale = Math.max(scale, Math.abs(x));
    ctx.metric(params.name, d);
    ctx.metric(`${params.name}_rel`, scale > 0 ? d / scale : d);
    return { out: d };
  },
});
