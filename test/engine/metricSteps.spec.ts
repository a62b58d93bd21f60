import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defineNode, graph, registerNodes, runGraph, unregisterNode } from '../../src/index.ts';
import { runNode } from '../../src/testing.ts';
import { useWasm } from '../helpers.ts';

const trainer = defineNode({
  type: 'steps.trainer',
  doc: 'Emits its loss without a step, a one-off before and after the loop, and optionally a step metric after its last yield.',
  params: { steps: { type: 'int', doc: 'steps', default: 4 }, late: { type: 'boolean', doc: 'emit a step metric after the last yield', default: false } },
  inputs: {},
  outputs: { tick: { type: 'number', doc: 'the step', stream: true } },
  metrics: {
    loss: { kind: 'scalar', doc: '1/step', when: 'step' },
    size: { kind: 'scalar', doc: 'steps, once', when: 'once' },
    final: { kind: 'scalar', doc: 'the last loss' },
  },
  *run({ params, ctx }) {
    ctx.metric('size', params.steps);
    for (let s = 1; s <= params.steps; s++) {
      ctx.metric('loss', 1 / s);
      yield { step: s, total: params.steps, out: { tick: s } };
    }
    ctx.metric('final', 1 / params.steps);
    if (params.late) ctx.metric('loss', 0);
    return {};
  },
});

const valueNode = defineNode({
  type: 'steps.value',
  doc: 'A value node emitting a step metric without a step.',
  params: {}, inputs: {}, outputs: {},
  metrics: { loss: { kind: 'scalar', doc: 'a loss', when: 'step' } },
  run: ({ ctx }) => { ctx.metric('loss', 1); return {}; },
});

describe('the step of a metric emitted without one', () => {
  before(async () => { await useWasm(); registerNodes([trainer, valueNode]); });
  after(() => { unregisterNode('steps.trainer'); unregisterNode('steps.value'); });

  it('should be the step a generator yields next; once metrics and metrics after the loop are one-off', async () => {
    const r = await runGraph(graph('g').node('t', trainer, { steps: 4 }).build());
    assert.equal(r.status, 'completed', r.error ?? '');
    const steps = (name: string) => r.events.filter((e) => e.name === name).map((e) => [e.step, e.value]);
    assert.deepEqual(steps('loss'), [[1, 1], [2, 0.5], [3, 1 / 3], [4, 0.25]]);
    assert.deepEqual(steps('size'), [[null, 4]]);
    assert.deepEqual(steps('final'), [[null, 0.25]]);
  });

  it('should be the same under runNode', () => {
    const r = runNode(trainer, { params: { steps: 3 } });
    assert.deepEqual(r.metrics.filter((e) => e.name === 'loss').map((e) => e.step), [1, 2, 3]);
    assert.deepEqual(r.metrics.filter((e) => e.name === 'final').map((e) => e.step), [null]);
    r.dispose();
  });

  it('should fail a generator that emits a step metric after its last yield, naming node and metric', async () => {
    const r = await runGraph(graph('g').node('t', trainer, { steps: 2, late: true }).build());
    assert.equal(r.status, 'failed');
    assert.equal(r.failedNode, 't');
    assert.match(r.error!, /node 't' \(steps\.trainer\) failed after step 2: emitted metric 'loss', declared when: 'step', without a step \(it was emitted after the generator's last yield\); pass one, ctx\.metric\('loss', value, step\)/);
  });

  it('should fail a value node that emits a step metric without a step', async () => {
    const r = await runGraph(graph('g').node('v', valueNode).build());
    assert.equal(r.status, 'failed');
    assert.match(r.error!, /node 'v' \(steps\.value\) failed: emitted metric 'loss', declared when: 'step', without a step \(it is neither a generator nor fed by a stream\)/);
    assert.throws(() => runNode(valueNode), /declared when: 'step', without a step/);
  });

  it('should keep the stream step for a value node lifted onto a generator', async () => {
    const r = await runGraph(graph('g').node('t', trainer, { steps: 3 }).node('v', valueNode, {}, {}).build());
    assert.equal(r.status, 'failed', 'not lifted: no inputs');
    const lifted = defineNode({ ...valueNode, type: 'steps.lifted', inputs: { tick: { type: 'number', doc: 'the step' } } });
    registerNodes([lifted]);
    try {
      const l = await runGraph(graph('g').node('t', trainer, { steps: 3 }).node('v', lifted, {}, { tick: 't.tick' }).build());
      assert.equal(l.status, 'completed', l.error ?? '');
      assert.deepEqual(l.events.filter((e) => e.node === 'v').map((e) => e.step), [1, 2, 3]);
    } finally {
      unregisterNode('steps.lifted');
    }
  });
});
