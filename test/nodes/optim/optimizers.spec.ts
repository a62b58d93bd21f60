import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { adam } from '../../../nodes/optim/adam.ts';
import { adamw } from '../../../nodes/optim/adamw.ts';
import { sgd } from '../../../nodes/optim/sgd.ts';
import { optimizer } from '../../../nodes/optim/optimizer.ts';
import { createOptimizer, learningRate, type OptimizerSpec } from '../../../nodes/optim/optimInternals.ts';
import { expectArraysClose, useWasm } from '../../helpers.ts';

const spec = (def: typeof adam | typeof adamw | typeof sgd, params: Record<string, unknown>): OptimizerSpec => runNode(def, { params }).outputs.out;

/** Minimise f(θ) = ½ Σ c_k θ_k² with our optimizer and with tf.train's, from the same start. */
function compareWithTf(ours: OptimizerSpec, theirs: tf.Optimizer, steps: number) {
  const c = [1, 3, 0.5, 10];
  const start = [1, -2, 0.5, 0.3];
  const p = Float32Array.from(start);
  const opt = createOptimizer(ours, [4]);
  const v = tf.variable(tf.tensor1d(start));
  const cT = tf.tensor1d(c);
  for (let t = 1; t <= steps; t++) {
    const g = Float32Array.from(p, (x, k) => c[k]! * x);
    opt.step([p], [g], t, steps);
    theirs.minimize(() => tf.mul(0.5, tf.sum(tf.mul(cT, tf.square(v)))) as tf.Scalar);
  }
  expectArraysClose(p, v.dataSync(), 1e-5, 1e-4);
  v.dispose(); cT.dispose(); theirs.dispose();
}

describe('optimizers', () => {
  // No leak check on these two: our optimizer makes no tensors, and tf.train's optimizers keep
  // scalars that their dispose() does not release (tfjs internals, 1–2 per optimizer).
  before(useWasm);

  it('should take the same Adam steps as tf.train.adam', () => {
    compareWithTf(spec(adam, { lr: 0.05 }), tf.train.adam(0.05, 0.9, 0.999, 1e-8), 30);
  });

  it('should take the same SGD-with-momentum steps as tf.train.momentum', () => {
    compareWithTf(spec(sgd, { lr: 0.02, momentum: 0.9 }), tf.train.momentum(0.02, 0.9), 30);
    compareWithTf(spec(sgd, { lr: 0.02 }), tf.train.sgd(0.02), 30);
  });

  it('should decay weights multiplicatively in AdamW when the gradient is zero: θ_t = θ_0 (1 − lr·wd)^t', () => {
    const s = spec(adamw, { lr: 0.1, weightDecay: 0.5 });
    const p = Float32Array.from([2, -1]);
    const opt = createOptimizer(s, [2]);
    for (let t = 1; t <= 10; t++) opt.step([p], [new Float32Array(2)], t, 10);
    expectArraysClose(p, [2 * 0.95 ** 10, -(0.95 ** 10)], 1e-6);
  });

  it('should add L2 to the gradient in Adam (not decouple it): with zero gradient Adam moves by ≈ lr per step', () => {
    const s = spec(adam, { lr: 0.01, weightDecay: 0.1 });
    const p = Float32Array.from([1]);
    createOptimizer(s, [1]).step([p], [new Float32Array(1)], 1, 1);
    // First Adam step is lr·g/|g| (bias-corrected): exactly lr towards 0.
    expectArraysClose(p, [0.99], 1e-6);
  });

  it('should follow the cosine schedule lr_min + ½(lr − lr_min)(1 + cos πt/T) after warm-up', () => {
    const s = spec(adam, { lr: 1, schedule: 'cosine', warmup: 10, minLrFrac: 0.1 });
    expectArraysClose(learningRate(s, 5, 110), 0.5, 1e-12);
    expectArraysClose(learningRate(s, 10, 110), 1, 1e-12);
    expectArraysClose(learningRate(s, 60, 110), 0.55, 1e-12);
    expectArraysClose(learningRate(s, 110, 110), 0.1, 1e-12);
    expectArraysClose(learningRate(spec(sgd, { lr: 0.3 }), 77, 100), 0.3, 1e-12);
  });

  it('should reject a non-positive learning rate and an unknown schedule', () => {
    assert.throws(() => runNode(adam, { params: { lr: 0 } }), /params\.lr must be > 0 but got 0/);
    assert.throws(() => runNode(sgd, { params: { lr: 0.1, schedule: 'step' } }), /params\.schedule must be one of "constant", "cosine"/);
  });

  it('should give, from optim.optimizer with kind = adam | adamw | sgd, the spec of the dedicated node', () => {
    const common = { lr: 0.02, schedule: 'cosine', warmup: 5, minLrFrac: 0.1, weightDecay: 0.01 };
    assert.deepEqual(runNode(optimizer, { params: { ...common, kind: 'adam' } }).outputs.out, spec(adam, common));
    assert.deepEqual(runNode(optimizer, { params: { ...common, kind: 'adamw' } }).outputs.out, spec(adamw, common));
    assert.deepEqual(runNode(optimizer, { params: { ...common, kind: 'sgd', momentum: 0.9 } }).outputs.out, spec(sgd, { ...common, momentum: 0.9 }));
    assert.throws(() => runNode(optimizer, { params: { lr: 0.1, kind: 'rmsprop' } }), /params\.kind must be one of "adam", "adamw", "sgd"/);
  });

  it('should run warmup-cosine as the cosine schedule after a linear warm-up, and require warmup ≥ 1', () => {
    const wc = runNode(optimizer, { params: { lr: 1, schedule: 'warmup-cosine', warmup: 10, minLrFrac: 0.1 } }).outputs.out as OptimizerSpec;
    const c = spec(adam, { lr: 1, schedule: 'cosine', warmup: 10, minLrFrac: 0.1 });
    for (const t of [1, 5, 10, 11, 60, 109, 110]) assert.equal(learningRate(wc, t, 110), learningRate(c, t, 110));
    expectArraysClose(learningRate(wc, 60, 110), 0.55, 1e-12);
    assert.deepEqual(optimizer.check!({ ...wc, kind: 'adam', warmup: 0 } as never), ['schedule "warmup-cosine" needs warmup ≥ 1 (got warmup=0)']);
    assert.deepEqual(optimizer.check!({ ...wc, kind: 'adam' } as never), []);
  });
});
