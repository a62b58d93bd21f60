import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { graph, parseGraph, runGraph, validateGraph, registerNodes, unregisterNode, GraphValidationError, metricSpecOf, type AnyNodeDef } from '../../src/index.ts';
import { TensorRefs } from '../../src/run/tensors.ts';
import { runNode } from '../../src/testing.ts';
import { nodes, undeclared } from '../fixtures/nodes.ts';
import { useWasm } from '../helpers.ts';

function problems(json: unknown): string[] {
  try {
    validateGraph(parseGraph(json));
  } catch (e) {
    assert.ok(e instanceof GraphValidationError, `expected a GraphValidationError, got ${e}`);
    return [...e.problems];
  }
  assert.fail('the graph was accepted');
}

describe('the node contract: declared metrics, generator waits, per-run ownership', () => {
  before(async () => { await useWasm(); registerNodes(nodes); });
  after(() => nodes.forEach((n) => unregisterNode(n.type)));

  it('should reject a probe on both a trainer\'s stream and its final value, saying how to wire it', () => {
    const found = problems({
      name: 'selfwait', params: {},
      nodes: {
        train: { type: 'fx.trainer' },
        probe: { type: 'fx.probe', inputs: { x: 'train.snapshot', offset: 'train.final' } },
      },
    });
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /nodes\.probe\.inputs\.offset: probe runs during train's stream \(it reads train\.snapshot\) but also waits for train\.final, which exists only once train has finished, so train would wait on itself\. Wire probe to the stream only, and read train\.final in a separate node/);
  });

  it('should reject a generator waiting on itself through a value node', () => {
    // probe follows train's stream and reads sq, which squares train.final: train → sq → train.
    const found = problems({
      name: 'loop', params: {},
      nodes: {
        train: { type: 'fx.trainer' },
        sq: { type: 'fx.square', inputs: { x: 'train.final' } },
        probe: { type: 'fx.probe', inputs: { x: 'train.snapshot', offset: 'sq' } },
      },
    });
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /^train would wait on itself: train waits for sq \(probe, which runs during train's stream, reads sq\.out\); sq waits for train \(sq\.x reads train\.final\)/);
  });

  it('should reject two generators waiting on each other through their probes', () => {
    const found = problems({
      name: 'pair', params: {},
      nodes: {
        a: { type: 'fx.trainer' }, b: { type: 'fx.trainer' },
        pa: { type: 'fx.probe', inputs: { x: 'a.snapshot', offset: 'b.final' } },
        pb: { type: 'fx.probe', inputs: { x: 'b.snapshot', offset: 'a.final' } },
      },
    });
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /^a would wait on itself: a waits for b \(pa, .*\); b waits for a \(pb, /);
  });

  it('should still accept a probe that reads another finished value while following a stream', () => {
    assert.doesNotThrow(() => validateGraph(parseGraph({
      name: 'fine', params: {},
      nodes: {
        init: { type: 'fx.constant' },
        a: { type: 'fx.trainer' }, b: { type: 'fx.trainer', inputs: { init: 'init' } },
        probe: { type: 'fx.probe', inputs: { x: 'b.snapshot', offset: 'a.final' } },
        after: { type: 'fx.probe', inputs: { x: 'b.final' } },
      },
    })));
  });

  it('should reject a plot naming an undeclared metric, suggesting the declared one', () => {
    const found = problems({
      name: 'plots', params: {},
      nodes: { train: { type: 'fx.trainer' }, probe: { type: 'fx.probe', inputs: { x: 'train.snapshot' } } },
      plots: [{ y: ['train.loss', 'train.los'] }, { spectrum: 'probe.maen' }, { y: ['probe.mean'] }],
    });
    assert.deepEqual(found, [
      "plots[0] refers to train.los, but fx.trainer (node train) declares no metric 'los' (did you mean 'train.loss'?); its metrics: loss",
      "plots[1] refers to probe.maen, but fx.probe (node probe) declares no metric 'maen' (did you mean 'probe.mean'?); its metrics: mean",
    ]);
  });

  it('should accept plot references matching a declared pattern, and report kinds through metricSpecOf', () => {
    const spec = graph('t', {}).node('u', 'fx.undeclared', {}).node('m', 'fx.constant64', {}).node('s', 'fx.sum64', {}, { x: 'm' })
      .plot({ y: ['u.alpha_fc2', 'u.kept'] }).plot({ series: 's.row_3' }).build();
    assert.doesNotThrow(() => validateGraph(spec));
    assert.equal(metricSpecOf(spec, 's', 'row_3')?.kind, 'series');
    assert.equal(metricSpecOf(spec, 's', 'sum')?.kind, 'scalar');
    assert.equal(metricSpecOf(spec, 's', 'nope'), null);
    assert.equal(metricSpecOf(spec, 'nobody', 'sum'), null);
  });

  it('should fail a run whose node emits an undeclared metric, naming node, type and metric', async () => {
    const r = await runGraph(graph('t', {}).node('u', 'fx.undeclared', {}).build());
    assert.equal(r.status, 'failed');
    assert.equal(r.failedNode, 'u');
    assert.equal(r.error, "node 'u' (fx.undeclared) failed: emitted metric 'lost', which fx.undeclared does not declare (declared metrics: kept, alpha_*); add it to the node type's `metrics`");
    assert.deepEqual(r.events.map((e) => e.name), ['kept', 'alpha_fc1'], 'declared metrics, by name and by pattern, went through');
  });

  it('should fail a node writing an undeclared artifact', async () => {
    assert.throws(() => runNode(undeclared, { params: { file: true } }), /wrote artifact 'notes\.txt', which fx\.undeclared does not declare \(declared artifacts: tables\/\*\.csv\)/);
    const r = await runGraph(graph('t', {}).node('u', 'fx.undeclared', { file: true }).build());
    assert.match(r.error!, /^node 'u' \(fx\.undeclared\) failed: wrote artifact 'notes\.txt'/);
  });

  it('should keep two concurrent runs\' tensors apart and leave none behind', async () => {
    const before = tf.memory().numTensors;
    const spec = (steps: number) => graph('t', {}).node('init', 'fx.constant', { value: 0.5 })
      .node('train', 'fx.trainer', { steps, slowMs: 1 }, { init: 'init' })
      .node('probe', 'fx.probe', {}, { x: 'train.snapshot', offset: 'init' })
      .node('sq', 'fx.square', {}, { x: 'train.final' }).build();
    const [a, b] = await Promise.all([runGraph(spec(60)), runGraph(spec(40))]);
    assert.equal(a.status, 'completed', a.error ?? '');
    assert.equal(b.status, 'completed', b.error ?? '');
    const mean = (r: typeof a) => r.events.filter((e) => e.name === 'mean').map((e) => e.value);
    assert.deepEqual(mean(a), Array.from({ length: 60 }, (_, i) => i + 2));
    assert.deepEqual(mean(b), Array.from({ length: 40 }, (_, i) => i + 2));
    assert.ok(b.events[0]!.time <= a.events.at(-1)!.time, 'the runs overlapped in time');
    assert.equal(tf.memory().numTensors, before);
  });

  it('should refuse to release a tensor its table never retained, without disposing it', () => {
    const refs = new TensorRefs();
    const t = tf.scalar(1);
    assert.throws(() => refs.release(t), /engine bug: release of tensor #\d+ \[\] float32, which this run never retained/);
    assert.equal(t.isDisposed, false);
    refs.retain(t);
    const other = new TensorRefs();
    assert.throws(() => other.release(t), /never retained/, 'another table does not share the count');
    refs.release(t);
    assert.equal(t.isDisposed, true);
  });

  it('should drive a generator written as *run that has no stream outputs, step by step', async () => {
    const counter = {
      type: 'fx.countdown', doc: 'Counts steps without streaming them.',
      params: { n: { type: 'int' as const, doc: 'steps', default: 5 } }, inputs: {},
      outputs: { total: { type: 'number' as const, doc: 'steps taken' } },
      metrics: { tick: { kind: 'scalar' as const, doc: 'the step', when: 'step' as const } },
      *run({ params, ctx }: { params: { n: number }; ctx: { metric(n: string, v: number, s?: number): void } }) {
        for (let i = 1; i <= params.n; i++) { ctx.metric('tick', i, i); yield { step: i, total: params.n }; }
        return { total: params.n };
      },
    };
    registerNodes([counter as never]);
    try {
      const spec = graph('countdown').node('c', counter as unknown as AnyNodeDef, { n: 7 }).build();
      assert.equal(validateGraph(spec).nodes.get('c')!.generator, true);
      const r = await runGraph(spec, { seed: 0 });
      assert.equal(r.status, 'completed', r.error ?? '');
      assert.deepEqual(r.events.filter((e) => e.name === 'tick').map((e) => e.step), [1, 2, 3, 4, 5, 6, 7]);
    } finally {
      unregisterNode('fx.countdown');
    }
  });

  it('should run a *run node that follows a stream to the end within each streamed step, tensors released', async () => {
    const chunks = {
      type: 'fx.chunkSum', doc: 'Sums a matrix in chunks of rows, one generator step per chunk.',
      params: { rows: { type: 'int' as const, doc: 'rows per chunk', default: 1 } },
      inputs: { x: { type: 'matrix' as const, doc: 'the matrix' } },
      outputs: { total: { type: 'number' as const, doc: 'the sum' } },
      metrics: { total: { kind: 'scalar' as const, doc: 'the sum' }, chunks: { kind: 'scalar' as const, doc: 'generator steps taken' } },
      *run({ params, inputs, ctx }: { params: { rows: number }; inputs: { x: tf.Tensor2D }; ctx: { metric(n: string, v: number): void } }) {
        let total = 0, steps = 0;
        for (let r = 0; r < inputs.x.shape[0]; r += params.rows) {
          total += tf.sum(inputs.x.slice([r, 0], [Math.min(params.rows, inputs.x.shape[0] - r), -1])).dataSync()[0]!;
          yield { step: ++steps };
        }
        ctx.metric('total', total);
        ctx.metric('chunks', steps);
        return { total };
      },
    };
    registerNodes([chunks as never]);
    try {
      const spec = graph('drained')
        .node('train', 'fx.trainer', { steps: 6 })
        .node('sum', chunks as unknown as AnyNodeDef, { rows: 1 }, { x: 'train.snapshot' }, { every: 2 })
        .build();
      const compiled = validateGraph(spec);
      assert.equal(compiled.nodes.get('sum')!.origin, 'train', 'the *run node is lifted onto the stream');
      const before = tf.memory().numTensors;
      const r = await runGraph(spec, { seed: 0 });
      assert.equal(r.status, 'completed', r.error ?? '');
      const totals = r.events.filter((e) => e.node === 'sum' && e.name === 'total');
      assert.deepEqual(totals.map((e) => e.step), [2, 4, 6], 'one full evaluation per selected streamed step');
      const snapshots = r.events.filter((e) => e.node === 'sum' && e.name === 'chunks').map((e) => e.value);
      assert.ok(snapshots.every((c) => typeof c === 'number' && c >= 1), `every evaluation ran all its chunks: ${snapshots}`);
      assert.equal(tf.memory().numTensors, before);
    } finally {
      unregisterNode('fx.chunkSum');
    }
  });
});

