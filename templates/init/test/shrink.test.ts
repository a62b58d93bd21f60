import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { graph, loadGraph, registerNodes, ready, tf, validateGraph } from 'eigenflow';
import { registerAllNodes } from 'eigenflow/nodes';
import { runNode } from 'eigenflow/testing';
import { nodes, shrink } from '../src/nodes.ts';

describe('study.shrink', () => {
  it('should divide by 1 + λ and report both norms', async () => {
    await ready();
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[3, 0], [0, 4]]);
    const r = runNode(shrink, { params: { lambda: 1 }, inputs: { x } });
    assert.deepEqual(Array.from(r.outputs.out.dataSync()), [1.5, 0, 0, 2]);
    assert.deepEqual(r.values('norm_in'), [5]);
    assert.deepEqual(r.values('norm_out'), [2.5]);
    r.dispose();
    x.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
  });

  it('should refuse a negative λ, naming the parameter', () => {
    assert.throws(() => runNode(shrink, { params: { lambda: -1 }, inputs: {} }), /lambda must be ≥ 0/);
  });

  it('should make graphs/demo.json and a graph built in code valid', () => {
    registerAllNodes();
    registerNodes(nodes);
    assert.doesNotThrow(() => validateGraph(loadGraph('graphs/demo.json')));
    const spec = graph('in-code', { n: 32 })
      .node('x', 'gen.gaussian', { rows: '$n', cols: '$n' })
      .node('shrunk', 'study.shrink', { lambda: 3 }, { x: 'x' })
      .plot({ y: ['shrunk.norm_out'] })
      .build();
    assert.doesNotThrow(() => validateGraph(spec));
  });
});
