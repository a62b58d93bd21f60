import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import { runNode } from '../../src/testing.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../helpers.ts';

const scale = defineNode({
  type: 'test.scale',
  doc: 'Multiplies x by k.',
  params: { k: { type: 'number', doc: 'factor', default: 2 } },
  inputs: { x: { type: 'tensor', doc: 'input' } },
  outputs: { y: { type: 'tensor', doc: 'k·x' } },
  run: ({ params, inputs }) => ({ y: tf.mul(tf.add(inputs.x, 0), params.k) }),
});

const counter = defineNode({
  type: 'test.counter',
  doc: 'Counts to n, emitting a tensor each step.',
  params: { n: { type: 'int', doc: 'steps', min: 1 } },
  inputs: {},
  outputs: { tick: { type: 'scalar', doc: 'the step', stream: true }, last: { type: 'scalar', doc: 'n' } },
  metrics: { count: { kind: 'scalar', doc: 'steps so far', when: 'step' } },
  *run({ params, ctx }) {
    const acc = tf.variable(tf.scalar(0));
    try {
      for (let s = 1; s <= params.n; s++) {
        acc.assign(tf.add(acc, 1));
        ctx.metric('count', acc, s);
        yield { step: s, total: params.n, out: { tick: tf.scalar(s) } };
      }
      return { last: acc.clone() };
    } finally {
      acc.dispose();
    }
  },
});

describe('runNode', () => {
  before(useWasm);

  it('should run a value node in a scope and hand back only its outputs', async () => {
    const x = tf.tensor1d([1, 2, 3]);
    await expectNoLeak(() => {
      const r = runNode(scale, { params: { k: 3 }, inputs: { x } });
      expectArraysClose(r.outputs.y, [3, 6, 9]);
      r.dispose();
    });
    x.dispose();
  });

  it('should drive a generator, dispose each step and keep the returned value', async () => {
    await expectNoLeak(() => {
      const seen: number[] = [];
      const r = runNode(counter, { params: { n: 5 }, onStep: (s) => seen.push((s.out!.tick as tf.Scalar).dataSync()[0]!) });
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);
      assert.deepEqual(r.values('count'), [1, 2, 3, 4, 5]);
      expectArraysClose(r.outputs.last, [5]);
      r.dispose();
    });
  });

  it('should leave a caller-owned input alive when a node passes it through', async () => {
    const echo = defineNode({
      type: 'test.echo', doc: 'Returns its input.', params: {},
      inputs: { x: { type: 'tensor', doc: 'input' } }, outputs: { y: { type: 'tensor', doc: 'x' } },
      run: ({ inputs }) => ({ y: inputs.x }),
    });
    const x = tf.tensor1d([1, 2]);
    await expectNoLeak(() => runNode(echo, { inputs: { x } }).dispose());
    assert.equal(x.isDisposed, false);
    expectArraysClose(x, [1, 2]);
    x.dispose();
  });

  it('should reject a bad parameter naming the node type and field', () => {
    assert.throws(() => runNode(counter, { params: { n: 0 } }), /test\.counter\.params\.n must be ≥ 1 but got 0/);
    assert.throws(() => runNode(counter, { params: {} }), /test\.counter\.params\.n is required/);
  });
});
