import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineNode, graph, runGraph, registerNodes, unregisterNode, validateGraph, type MetricEvent } from '../../src/index.ts';
import { runNode } from '../../src/testing.ts';
import { matrix64, type Matrix64 } from '@eigenflow/linalg';
import { constant64, nodes, sum64 } from '../fixtures/nodes.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../helpers.ts';

const values = (events: MetricEvent[], node: string, name: string) => events.filter((e) => e.node === node && e.name === name).map((e) => e.value);

describe('matrix precision at edges', () => {
  /** What each `test.grab*` node received, in call order (local to this test file's nodes). */
  const seen: { id: string; value: unknown }[] = [];
  const grab64 = defineNode({
    type: 'test.grab64', doc: 'Records its float64 input.', params: {},
    inputs: { x: { type: 'matrix', precision: 'float64', doc: 'x' } }, outputs: {}, metrics: {},
    run: ({ inputs, ctx }) => { seen.push({ id: ctx.id, value: inputs.x }); return {}; },
  });
  const grab32 = defineNode({
    type: 'test.grab32', doc: 'Records its float32 input tensor.', params: {},
    inputs: { x: { type: 'matrix', doc: 'x' } }, outputs: {}, metrics: {},
    run: ({ inputs, ctx }) => { seen.push({ id: ctx.id, value: inputs.x }); return {}; },
  });
  before(async () => { await useWasm(); registerNodes([...nodes, grab64, grab32]); });
  after(() => [...nodes, grab64, grab32].forEach((n) => unregisterNode(n.type)));

  it('should accept matrix edges of different precisions at validation', () => {
    const spec = graph('t', {}).node('c', 'fx.constant', {}).node('s', 'fx.sum64', {}, { x: 'c' }).node('p', 'fx.probe', {}, { x: 's' }).build();
    assert.doesNotThrow(() => validateGraph(spec));
  });

  it('should convert float32 → float64 → float32 at edges with the values intact', async () => {
    const before = tf.memory().numTensors;
    // constant(3) is 2×2 of 3s; sum64 sees 12 in float64 and returns 6s; probe (float32) sees mean 6.
    const spec = graph('t', {}).node('c', 'fx.constant', { value: 3 }).node('s', 'fx.sum64', {}, { x: 'c' })
      .node('p', 'fx.probe', {}, { x: 's' }).build();
    const r = await runGraph(spec);
    assert.equal(r.status, 'completed', r.error ?? '');
    assert.deepEqual(values(r.events, 's', 'sum'), [12]);
    assert.deepEqual(values(r.events, 's', 'row_0'), [[3, 3]]);
    assert.deepEqual(values(r.events, 'p', 'mean'), [6]);
    assert.equal(tf.memory().numTensors, before, 'the converted tensor was disposed after its consumer');
  });

  it('should convert a value once per precision when consumers share it', async () => {
    seen.length = 0;
    const before = tf.memory().numTensors;
    const spec = graph('t', {}).node('c', 'fx.constant', {})
      .node('a', grab64, {}, { x: 'c' }).node('b', grab64, {}, { x: 'c' })
      .node('m', 'fx.constant64', {}).node('u', grab32, {}, { x: 'm' }).node('v', grab32, {}, { x: 'm' })
      .build();
    const r = await runGraph(spec);
    assert.equal(r.status, 'completed', r.error ?? '');
    const got = (id: string) => seen.find((s) => s.id === id)!.value;
    assert.ok((got('a') as Matrix64).data instanceof Float64Array);
    assert.equal(got('a'), got('b'), 'both float64 consumers got the same converted copy');
    assert.equal(got('u'), got('v'), 'both float32 consumers got the same converted tensor');
    assert.ok((got('u') as tf.Tensor).isDisposed, 'the converted tensor was disposed after its last consumer');
    assert.equal(tf.memory().numTensors, before);
  });

  it('should convert stream values for lifted nodes, once per wave', async () => {
    seen.length = 0;
    const before = tf.memory().numTensors;
    const spec = graph('t', {}).node('train', 'fx.trainer', { steps: 4 })
      .node('a', grab64, {}, { x: 'train.snapshot' }).node('b', grab64, {}, { x: 'train.snapshot' })
      .node('s', 'fx.sum64', {}, { x: 'train.snapshot' }).node('p', 'fx.probe', {}, { x: 's' }).build();
    const r = await runGraph(spec);
    assert.equal(r.status, 'completed', r.error ?? '');
    // snapshot after step k is k everywhere (2×2): sum 4k, and the probe reads 2k back in float32.
    assert.deepEqual(values(r.events, 's', 'sum'), [4, 8, 12, 16]);
    assert.deepEqual(values(r.events, 'p', 'mean'), [2, 4, 6, 8]);
    const a = seen.filter((s) => s.id === 'a'), b = seen.filter((s) => s.id === 'b');
    assert.equal(a.length, 4);
    a.forEach((s, i) => assert.equal(s.value, b[i]!.value, `step ${i + 1}: one conversion shared`));
    assert.notEqual(a[0]!.value, a[1]!.value, 'each wave converts its own value');
    assert.equal(tf.memory().numTensors, before);
  });

  it('should let runNode convert inputs to the precision each port declares', async () => {
    await expectNoLeak(() => {
      const x = tf.tensor2d([[1, 2], [3, 4]]);
      const r = runNode(sum64, { inputs: { x } });
      assert.deepEqual(r.values('sum'), [10]);
      assert.deepEqual(Array.from((r.outputs.out as Matrix64).data), [2, 4, 6, 8]);
      r.dispose();
      assert.equal(x.isDisposed, false, 'the caller keeps its input');
      x.dispose();
    });
    await expectNoLeak(() => {
      const probe = nodes.find((n) => n.type === 'fx.probe')!;
      const r = runNode(probe, { inputs: { x: matrix64(1, 2, [1, 3]) } });
      assert.deepEqual(r.values('mean'), [2]);
      expectArraysClose(r.outputs.out, [2]);
      r.dispose();
    });
    const r = runNode(constant64, { params: { rows: 1, cols: 3 } });
    assert.deepEqual(Array.from((r.outputs.out as Matrix64).data), [1, 2, 3]);
    r.dispose();
  });
});
