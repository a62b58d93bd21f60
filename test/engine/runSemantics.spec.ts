/** Declared divergence, and `startRun().metrics$` replaying the run to a late subscriber. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstValueFrom, toArray } from 'rxjs';
import { defineNode, graph, registerNodes, runGraph, scalarMetric, startRun, unregisterNode, type MetricEvent } from '../../src/index.ts';
import { useWasm } from '../helpers.ts';

const emitter = defineNode({
  type: 'sem.emitter',
  doc: 'Emits loss, grad_norm and quiet_loss each step; one of them becomes NaN at step `nanAt`.',
  params: { steps: { type: 'int', doc: 'steps', default: 5 }, nanAt: { type: 'int', doc: 'step of the NaN (0: none)', default: 0 }, which: { type: 'string', doc: 'metric made NaN', oneOf: ['loss', 'grad_norm', 'quiet_loss'], default: 'loss' } },
  inputs: {},
  outputs: { tick: { type: 'number', doc: 'the step', stream: true } },
  metrics: {
    loss: { kind: 'scalar', doc: 'a loss (the name rule)', when: 'step' },
    grad_norm: { kind: 'scalar', doc: 'declared to diverge', when: 'step', divergence: true },
    quiet_loss: { kind: 'scalar', doc: 'a loss declared not to', when: 'step', divergence: false },
  },
  *run({ params, ctx }) {
    for (let s = 1; s <= params.steps; s++) {
      for (const name of ['loss', 'grad_norm', 'quiet_loss'] as const) ctx.metric(name, s === params.nanAt && name === params.which ? NaN : 1 / s);
      yield { step: s, out: { tick: s } };
    }
  },
});

describe('a run', () => {
  before(async () => { await useWasm(); registerNodes([emitter]); });
  after(() => unregisterNode('sem.emitter'));

  for (const [which, status] of [['loss', 'diverged'], ['grad_norm', 'diverged'], ['quiet_loss', 'completed']] as const) {
    it(`should end ${status} when ${which} becomes NaN`, async () => {
      const r = await runGraph(graph('d').node('e', emitter, { nanAt: 3, which }).build());
      assert.equal(r.status, status, r.error ?? '');
      if (status === 'diverged') assert.match(r.error!, new RegExp(`^e\\.${which} became NaN at step 3`));
    });
  }

  it('should replay every event to a subscriber of metrics$ that comes after the run ended', async () => {
    const handle = startRun(graph('r').node('e', emitter, { steps: 20 }).build(), { seed: 0 });
    const r = await handle.result;
    const late = await firstValueFrom(handle.metrics$.pipe(toArray()));
    assert.equal(late.length, 60);
    assert.deepEqual(late, r.events);
    const losses = await firstValueFrom(handle.metrics$.pipe(scalarMetric('e.loss'), toArray()));
    assert.deepEqual(losses.map((e: MetricEvent<number>) => e.value * e.step!), Array(20).fill(1));
  });

  it('should give a late subscriber only what comes next when the run collects nothing', async () => {
    const handle = startRun(graph('r').node('e', emitter, { steps: 20 }).build(), { seed: 0, collect: false });
    await handle.result;
    assert.deepEqual(await firstValueFrom(handle.metrics$.pipe(toArray())), []);
  });
});
