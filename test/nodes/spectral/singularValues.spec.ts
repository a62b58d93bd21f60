import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { fromRows } from '@eigenflow/linalg';
import { singularValues } from '../../../nodes/spectral/singularValues.ts';
import { eigenvalues } from '../../../nodes/spectral/eigenvalues.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';
import { orthonormal, withSingularValues } from './spectralTestUtil.ts';

describe('spectral.singularValues', () => {
  before(useWasm);

  it('should give the constructed spectrum and closed-form effective ranks', () => {
    const r = runNode(singularValues, { inputs: { x: withSingularValues(9, 6, [3, 1, 0, 0, 0, 0].slice(0, 2), 5) } });
    expectArraysClose(r.outputs.s, [3, 1, 0, 0, 0, 0], 1e-13);
    const [p, q] = [0.75, 0.25];
    expectArraysClose(r.values('erank_pr') as number[], [16 / 10], 1e-12);
    expectArraysClose(r.values('erank_entropy') as number[], [Math.exp(-(p * Math.log(p) + q * Math.log(q)))], 1e-12);
    expectArraysClose(r.values('stable_rank') as number[], [10 / 9], 1e-12);
    assert.equal(r.values('condition')[0], Infinity);
    assert.deepEqual(r.values('rank'), [2]);
  });

  it('should take a float32 tensor (widened at the edge), honour top and leak nothing', async () => {
    await expectNoLeak(() => {
      // runNode widens the tensor to float64 as the engine does at an edge, and owns the copy.
      const x = tf.tensor2d([[2, 0], [0, -0.5], [0, 0]]);
      const r = runNode(singularValues, { inputs: { x }, params: { top: 1 } });
      expectArraysClose(r.outputs.s, [2, 0.5], 1e-7);
      assert.deepEqual(r.values('singular_values'), [[2]]);
      assert.equal(r.values('condition')[0], 4);
      r.dispose(); x.dispose();
    });
  });

  it('should count the numerical rank with float32\'s ε when every entry is a float32 number', () => {
    // σ = (1, 1e-9): above float64's threshold 2·2.2e-16, below float32's 2·1.2e-7.
    const tiny = Math.fround(1e-9);
    assert.notEqual(tiny, 1e-9);
    assert.deepEqual(runNode(singularValues, { inputs: { x: fromRows([[1, 0], [0, tiny]]) } }).values('rank'), [1]);
    assert.deepEqual(runNode(singularValues, { inputs: { x: fromRows([[1, 0], [0, 1e-9]]) } }).values('rank'), [2]);
  });

  it('should remove column means when center is set', () => {
    // rows = u + a·v with zero-mean a: centred, the matrix is rank 1 with σ = |a|·|v|
    const a = [1, -2, 3, -2];
    const x = fromRows(a.map((t) => [5 + t * 1, -1 + t * 2, 7 + t * 2]));
    const r = runNode(singularValues, { inputs: { x }, params: { center: true } });
    expectArraysClose(r.outputs.s, [Math.sqrt(18) * 3, 0, 0], 1e-12);
  });

});

describe('spectral.eigenvalues', () => {
  it('should return a constructed symmetric spectrum, descending', () => {
    const lam = [3, -1, 2, 0.5];
    const q = orthonormal(4, 4, 3);
    const a = fromRows([0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => lam.reduce((acc, l, t) => acc + q.data[i * 4 + t] * l * q.data[j * 4 + t], 0))));
    const r = runNode(eigenvalues, { inputs: { x: a } });
    expectArraysClose(r.outputs.values, [3, 2, 0.5, -1], 1e-13);
    assert.deepEqual(r.values('lambda_min'), [r.outputs.values[3]]);
  });

  it('should reject an asymmetric or non-square matrix', () => {
    assert.throws(() => runNode(eigenvalues, { inputs: { x: fromRows([[1, 2], [0, 1]]) } }), /spectral\.eigenvalues: x must be symmetric to tol = 0\.000001 .* but got max \|a_ij − a_ji\| = 2\.00e\+0/);
    assert.throws(() => runNode(eigenvalues, { inputs: { x: fromRows([[1, 2, 3]]) } }), /spectral\.eigenvalues: x must be square but got 1×3/);
  });
});
