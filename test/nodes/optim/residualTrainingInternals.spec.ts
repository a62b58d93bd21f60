import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveRng, rngState } from '../../../src/rng.ts';
import type { OptimizerSpec } from '../../../nodes/optim/optimInternals.ts';
import { memberThreads, startTraining } from '../../../nodes/optim/residualTrainingInternals.ts';

const n = 12, m = 5, count = 5;
const adam = (lr: number): OptimizerSpec => ({ kind: 'adam', lr, schedule: 'constant', warmup: 0, minLrFrac: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, momentum: 0 });
const sgd = (lr: number): OptimizerSpec => ({ ...adam(lr), kind: 'sgd' });

/** Five members (one with a learning rate that makes it diverge) trained in two windows on `threads` threads. */
function train(threads: number) {
  const init = deriveRng(9, 'init');
  const W1T = init.fillNormal(new Float32Array(count * n * m), 0, 0.4), W2 = init.fillNormal(new Float32Array(count * n * m), 0, 0.4);
  const Wn = new Float32Array(count * n * n);
  for (let k = 0; k < count; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Wn[k * n * n + i * n + j] = (i === j ? 1 : 0) + (k % 2 ? 0.05 * init.normal() : 0);
  const rng = Array.from({ length: count }, (_, k) => deriveRng(k, 'train'));
  const specs = [adam(0.01), sgd(1e5), adam(0.003), sgd(0.05), adam(0.02)];
  const data = specs.map((_, k) => ({ n, p: 0.1 + 0.05 * k, lo: -1, hi: 1 }));
  const training = startTraining({ n, m, count, steps: 60, batch: 48, threads, W1T, W2, Wn, data, specs, rng });
  const windows: number[][] = [];
  try {
    for (const [t0, t1] of [[1, 30], [31, 60]]) {
      training.run(t0, t1);
      windows.push([...training.shared.acc]);
      training.shared.acc.fill(0);
    }
  } finally {
    training.close();
  }
  const { W1T: w1, W2: w2, divergedAt } = training.shared;
  return { threads: training.threads, windows, W1T: [...w1], W2: [...w2], divergedAt: [...divergedAt], streams: rng.map((r) => rngState(r)) };
}

describe('members on several threads (residualTraining)', () => {
  it('should train every member on worker threads exactly as on one thread, and hand each random stream back where a one-thread run leaves it', () => {
    const one = train(1), three = train(3);
    assert.equal(one.threads, 1);
    assert.equal(three.threads, 3);
    assert.ok(one.divergedAt[1] > 0 && one.divergedAt.filter((t) => t > 0).length === 1, `member 1 (lr 1e5) diverges alone: ${one.divergedAt}`);
    assert.ok(one.windows[1][0] < one.windows[0][0], 'member 0 learns');
    assert.deepEqual(three.divergedAt, one.divergedAt);
    assert.deepEqual(three.windows, one.windows);
    assert.deepEqual(three.W1T, one.W1T);
    assert.deepEqual(three.W2, one.W2);
    assert.deepEqual(three.streams, one.streams);
    assert.notDeepEqual(one.streams[4], rngState(deriveRng(4, 'train')), 'the streams moved');
  });

  it('should take the thread count from EIGENFLOW_MEMBER_THREADS, and stay on one thread for short runs or one member', () => {
    assert.equal(memberThreads(8, 1000, { EIGENFLOW_MEMBER_THREADS: '3' }), 3);
    assert.equal(memberThreads(2, 1000, { EIGENFLOW_MEMBER_THREADS: '3' }), 2);
    assert.equal(memberThreads(1, 1e6, {}), 1);
    assert.equal(memberThreads(4, 10, {}), 1);
    for (const bad of ['0', '-1', '1.5', 'two', ' 2']) assert.throws(() => memberThreads(4, 1000, { EIGENFLOW_MEMBER_THREADS: bad }), /EIGENFLOW_MEMBER_THREADS must be a positive integer/);
  });
});
