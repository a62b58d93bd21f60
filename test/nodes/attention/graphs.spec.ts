/** graphs/ridge-attention.json and graphs/ridge-icl.json end to end at small sizes. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { loadGraph, runGraph, withOverrides, type MetricEvent } from '../../../src/index.ts';
import { registerAllNodes } from '../../../nodes/index.ts';
import { useWasm } from '../../helpers.ts';

const path = (name: string) => new URL(`../../../graphs/${name}.json`, import.meta.url).pathname;
const values = (events: MetricEvent[], node: string, name: string) => events.filter((e) => e.node === node && e.name === name).map((e) => e.value);

describe('ridge attention graphs', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should run ridge-attention small, every check within its tolerance, and leave no tensors', async () => {
    const before = tf.memory().numTensors;
    const spec = withOverrides(loadGraph(path('ridge-attention')), {
      n: 32, d: 4, longN: 256, gradN: 8, gradD: 3, 'cost.ds': [4, 8], 'cost.n': 16, 'cost.ns': [16, 32], 'cost.dForN': 4, 'cost.repeats': 1,
    });
    const r = await runGraph(spec, { seed: 3, outDir: null });
    assert.equal(r.status, 'completed', String(r.error));
    for (const node of ['causal', 'drift']) {
      const [tol] = values(r.events, node, 'tolerance') as number[];
      for (const name of ['sm_vs_solve', 'sm_vs_f64', 'solve_vs_f64']) {
        const v = values(r.events, node, name) as number[];
        assert.equal(v.length, 1, `${node}.${name} arrives once`);
        assert.ok(v[0] <= tol, `${node}.${name} = ${v[0]} > ${tol}`);
      }
    }
    const [gtol] = values(r.events, 'grads', 'autodiff_tolerance') as number[];
    for (const w of ['lambda', 'k', 'v', 'q']) assert.ok((values(r.events, 'grads', `autodiff_err_${w}`)[0] as number) <= gtol);
    assert.equal(values(r.events, 'cost', 'solve_us_per_token').length, 2);
    assert.equal(tf.memory().numTensors, before, 'the run left tensors behind');
  });

  it('should run ridge-icl small: λ streamed every 10 steps, the Bayes λ once, softmax loss alongside', async () => {
    const spec = withOverrides(loadGraph(path('ridge-icl')), { steps: 20, batch: 32 });
    const r = await runGraph(spec, { seed: 1, outDir: null });
    assert.equal(r.status, 'completed', String(r.error));
    assert.deepEqual(r.events.filter((e) => e.node === 'icl' && e.name === 'lambda').map((e) => e.step), [10, 20]);
    assert.deepEqual(values(r.events, 'icl', 'bayes_lambda'), [0.25]);
    assert.equal(values(r.events, 'icl', 'softmax_loss').length, 2);
    assert.equal(values(r.events, 'icl', 'lambda_final').length, 1);
  });
});
