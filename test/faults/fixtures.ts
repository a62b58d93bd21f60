/**
 * Node types for the fault-injection suite (loadable with `--nodes test/faults/fixtures.ts`).
 * They are cheap and use no tensors, so hundreds of runs stay fast; every metric is declared.
 */
import { defineNode, type AnyNodeDef, type NodeTypesOf } from '../../src/node.ts';

const num = (v: unknown): number => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : Number(v));

/** Counts steps; emits `loss` = 1/step (or NaN at `nanAt`), streams the step number. */
export const count = defineNode({
  type: 'ft.count',
  doc: 'A cheap generator: step s emits loss 1/s and streams s; it can throw, go NaN or busy-wait on request.',
  params: {
    steps: { type: 'int', doc: 'steps', min: 1, default: 10 },
    throwAt: { type: 'int', doc: 'step at which it throws (0: never)', min: 0, default: 0 },
    nanAt: { type: 'int', doc: 'step at which the loss is NaN (0: never)', min: 0, default: 0 },
    slowMs: { type: 'number', doc: 'busy-wait per step (ms)', min: 0, default: 0 },
  },
  inputs: {},
  outputs: { s: { type: 'number', doc: 'the step', stream: true }, total: { type: 'number', doc: 'steps run' } },
  metrics: { loss: { kind: 'scalar', doc: '1/step', when: 'step' } },
  *run({ params, ctx }) {
    for (let s = 1; s <= params.steps; s++) {
      const t0 = Date.now();
      while (Date.now() - t0 < params.slowMs) { /* simulated compute */ }
      if (s === params.throwAt) throw new Error(`boom at step ${s}`);
      ctx.metric('loss', s === params.nanAt ? NaN : 1 / s, s);
      yield { step: s, total: params.steps, out: { s } };
    }
    return { total: params.steps };
  },
});

/** Lifted onto a stream: emits `twice` = 2·s. */
export const double = defineNode({
  type: 'ft.double',
  doc: 'Emits twice its input.',
  params: {},
  inputs: { x: { type: 'number', doc: 'a number' } },
  outputs: { out: { type: 'number', doc: '2x' } },
  metrics: { twice: { kind: 'scalar', doc: '2x' } },
  run: ({ inputs, ctx }) => { ctx.metric('twice', 2 * inputs.x); return { out: 2 * inputs.x }; },
});

/** Emits a given sequence as metric `value` (one per step) and, at the end, as array metric `spectrum`. */
export const emit = defineNode({
  type: 'ft.emit',
  doc: 'Emits `values` (numbers, or "NaN", "Infinity", "-Infinity") as `value` per step, then all of them as `spectrum`.',
  params: { values: { type: 'json', doc: 'the values', default: [] } },
  inputs: {},
  outputs: { n: { type: 'number', doc: 'how many', stream: true } },
  metrics: { value: { kind: 'scalar', doc: 'one value per step', when: 'step' }, spectrum: { kind: 'array', doc: 'all values', when: 'once' }, once: { kind: 'scalar', doc: 'the first value', when: 'once' } },
  *run({ params, ctx }) {
    const values = (params.values as unknown[]).map(num);
    values.forEach((v, i) => ctx.metric('value', v, i + 1));
    if (values.length) ctx.metric('once', values[0]!, null);
    ctx.metric('spectrum', values, null);
    yield { step: 1, total: 1, out: { n: values.length } };
  },
});

/** A value node that blocks the thread for `ms` — a long synchronous computation. */
export const busy = defineNode({
  type: 'ft.busy',
  doc: 'Busy-waits `ms` milliseconds without yielding (a long synchronous computation); emits `done`.',
  params: { ms: { type: 'number', doc: 'total time', min: 0, default: 100 } },
  inputs: { after: { type: 'number', doc: 'wait for this first', optional: true } },
  outputs: { out: { type: 'number', doc: 'ms' } },
  metrics: { done: { kind: 'scalar', doc: 'ms spent' } },
  run: ({ params, ctx }) => {
    const t0 = Date.now();
    while (Date.now() - t0 < params.ms) { /* compute */ }
    ctx.metric('done', Date.now() - t0);
    return { out: params.ms };
  },
});

/** Writes one artifact at `path`. */
export const artifact = defineNode({
  type: 'ft.artifact',
  doc: 'Writes `text` to `path` in the run directory.',
  params: { path: { type: 'string', doc: 'relative path', default: 'a.txt' }, text: { type: 'string', doc: 'content', default: 'hello' } },
  inputs: {},
  outputs: {},
  metrics: {},
  artifacts: { '*': { doc: 'the file' } },
  run: ({ params, ctx }) => { ctx.artifact(params.path, params.text); return {}; },
});

/** Throws when run. */
export const fail = defineNode({
  type: 'ft.fail',
  doc: 'Throws `message`.',
  params: { message: { type: 'string', doc: 'the error', default: 'deliberate failure' } },
  inputs: { after: { type: 'number', doc: 'wait for this first', optional: true } },
  outputs: { out: { type: 'number', doc: 'never' } },
  metrics: {},
  run: ({ params }) => { throw new Error(params.message); },
});

/** Allocates according to `n` (declares a cost of 8·n² bytes; allocates nothing). */
export const big = defineNode({
  type: 'ft.big',
  doc: 'Declares a cost of 8·n² bytes (a dense n×n float64 matrix); allocates nothing.',
  params: { n: { type: 'number', doc: 'size', min: 1, default: 10 } },
  inputs: {},
  outputs: { out: { type: 'number', doc: 'n' } },
  metrics: {},
  cost: (p) => ({ bytes: 8 * p.n * p.n }),
  run: ({ params }) => ({ out: params.n }),
});

/** Calls `process.exit(code)` at step `at` — user code that tries to end the process. */
export const exit = defineNode({
  type: 'ft.exit',
  doc: 'Counts steps and calls process.exit(code) at step `at`.',
  params: { at: { type: 'int', doc: 'the step', min: 1, default: 2 }, code: { type: 'int', doc: 'the exit code', min: 0, default: 0 } },
  inputs: {},
  outputs: { s: { type: 'number', doc: 'the step', stream: true } },
  metrics: { loss: { kind: 'scalar', doc: '1/step', when: 'step' } },
  *run({ params, ctx }) {
    for (let s = 1; s <= params.at + 2; s++) {
      if (s === params.at) process.exit(params.code);
      ctx.metric('loss', 1 / s, s);
      yield { step: s, total: params.at + 2, out: { s } };
    }
  },
});

export const nodes = [count, double, emit, busy, artifact, fail, big, exit] satisfies AnyNodeDef[];

declare module '../../src/index.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface NodeTypes extends NodeTypesOf<typeof nodes> {}
}

