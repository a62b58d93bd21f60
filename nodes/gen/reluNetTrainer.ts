import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';

/**
 * Trains a 2-layer ReLU network Z = relu(X W1) W2 (no biases, as in seed 004) on a fixed data
 * set by full-batch Adam (`tf.train.adam`, gradients by `tf.variableGrads`), streaming at every
 * step the weights and the features of that step's forward pass: x, w1, w2, pre = X W1,
 * hidden = relu(pre), out = Z. Snapshots share the forward pass, so a probe lifted with
 * `every: k` costs only its own compute. Targets come from a random ReLU teacher plus noise;
 * X has column variances i^(−inputDecay). Metric: `loss` (MSE) each step. Batched over members
 * (each member's data, teacher and weights from its own stream).
 *
 * ## Example
 * `"train": {"type": "gen.reluNetTrainer", "params": {"n": 512, "d": 32, "m": 128, "c": 8, "steps": 500}}`
 */
export const reluNetTrainer = defineNode({
  type: 'gen.reluNetTrainer',
  doc: '2-layer ReLU net trained by full-batch Adam; streams x, w1, w2, pre, hidden, out each step.',
  params: {
    n: { type: 'int', doc: 'training samples', default: 512, min: 2 },
    d: { type: 'int', doc: 'input dimension', default: 32, min: 1 },
    m: { type: 'int', doc: 'hidden width', default: 128, min: 1 },
    c: { type: 'int', doc: 'output dimension', default: 8, min: 1 },
    steps: { type: 'int', doc: 'Adam steps', default: 500, min: 1 },
    lr: { type: 'number', doc: 'Adam learning rate', default: 3e-3, min: 0, exclusiveMin: true },
    teacherWidth: { type: 'int', doc: 'hidden width of the teacher', default: 16, min: 1 },
    noise: { type: 'number', doc: 'label noise std', default: 0.1, min: 0 },
    inputDecay: { type: 'number', doc: 'input column variances decay as i^(−inputDecay)', default: 0.5, min: 0 },
  },
  inputs: {},
  outputs: {
    x: { type: 'matrix', precision: 'float32', doc: 'n×d inputs', stream: true },
    w1: { type: 'matrix', precision: 'float32', doc: 'd×m first-layer weights (before this step\'s update)', stream: true },
    w2: { type: 'matrix', precision: 'float32', doc: 'm×c second-layer weights', stream: true },
    pre: { type: 'matrix', precision: 'float32', doc: 'n×m pre-activations X W1', stream: true },
    hidden: { type: 'matrix', precision: 'float32', doc: 'n×m hidden features relu(X W1)', stream: true },
    out: { type: 'matrix', precision: 'float32', doc: 'n×c outputs', stream: true },
  },
  metrics: { loss: { kind: 'scalar', doc: 'full-batch MSE of this step\'s forward pass', when: 'step' } },
  cost: (p) => ({ bytes: 4 * 4 * (p.n * (p.d + 3 * p.m + p.c) + p.m * (p.d + p.c + p.teacherWidth)) }),
  members: 'batched',
  *run({ params, ctx }) {
    // Batched (see src/node.ts): every tensor is [count, …]; member k draws from its own stream in
    // the order a separate run does (inputs, teacher, noise, then weights).
    const { count, rng } = ctx.members!;
    const { n, d, m, c, teacherWidth: t } = params;
    const data = rng.map((r) => {
      const draw = (len: number, std: number) => r.fillNormal(new Float32Array(len), 0, std);
      const xs = draw(n * d, 1);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xs[i * d + j] *= (j + 1) ** (-params.inputDecay / 2);
      return { xs, a1: draw(d * t, 1 / Math.sqrt(d)), a2: draw(t * c, 1 / Math.sqrt(t)), noise: draw(n * c, params.noise), w1: draw(d * m, 1 / Math.sqrt(d)), w2: draw(m * c, 1 / Math.sqrt(m)) };
    });
    const stacked = (key: keyof (typeof data)[number], rows: number, cols: number) => {
      const out = new Float32Array(count * rows * cols);
      data.forEach((x, k) => out.set(x[key], k * rows * cols));
      return tf.tensor3d(out, [count, rows, cols]);
    };
    const X = tf.keep(stacked('xs', n, d));
    const Y = tf.keep(tf.tidy(() => tf.add(tf.matMul(tf.relu(tf.matMul(X, stacked('a1', d, t))), stacked('a2', t, c)), stacked('noise', n, c))));
    const w1 = tf.variable(stacked('w1', d, m));
    const w2 = tf.variable(stacked('w2', m, c));
    const opt = tf.train.adam(params.lr);
    try {
      for (let step = 1; step <= params.steps; step++) {
        let snap: Record<string, tf.Tensor> = {};
        let losses!: tf.Tensor1D;
        const { grads } = tf.variableGrads(() => {
          const pre = tf.matMul(X, w1), hidden = tf.relu(pre), out = tf.matMul(hidden, w2);
          snap = { w1: w1.clone(), w2: w2.clone(), pre, hidden, out };
          for (const v of Object.values(snap)) tf.keep(v);
          // Each member's MSE; their sum's gradient is each member's own.
          losses = tf.keep(tf.mean(tf.squaredDifference(Y, out), [1, 2]));
          return tf.sum(losses) as tf.Scalar;
        });
        opt.applyGradients(grads as tf.NamedTensorMap as never);
        tf.dispose(grads);
        const values = losses.dataSync().slice();
        losses.dispose();
        for (let k = 0; k < count; k++) ctx.members!.metric(k, 'loss', values[k], step);
        yield { step, total: params.steps, out: { x: X.clone(), ...snap } as never };
      }
    } finally {
      X.dispose(); Y.dispose(); w1.dispose(); w2.dispose(); opt.dispose();
    }
  },
});
