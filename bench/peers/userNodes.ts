/**
 * The peer benchmarks' eigenflow side, written as the README teaches a user to write a trainer:
 * plain `tf.matMul`, `tf.relu`, `tf.losses.meanSquaredError` under `tf.variableGrads`, a tfjs
 * optimiser, nothing eigenflow-specific. Loaded with `--nodes` like any user module:
 *
 *   npx eigenflow run bench/peers/twoLayer.json --nodes bench/peers/userNodes.ts --set d=100 --set P=1000
 *
 * Each trainer logs `loss` every `logEvery` steps (the harness reads steps/s from those events'
 * times) and is the same model as bench/peers/peerModels.py trains in PyTorch and JAX.
 */
import { defineNode, tf } from '../../src/index.ts';

const normal = (rng: { fillNormal(out: Float32Array, mean?: number, std?: number): Float32Array }, shape: [number, number], std: number) =>
  tf.tensor2d(rng.fillNormal(new Float32Array(shape[0] * shape[1]), 0, std), shape);

const trainerParams = {
  steps: { type: 'int', doc: 'training steps', default: 1000, min: 1 },
  lr: { type: 'number', doc: 'learning rate', default: 0.01, min: 0, exclusiveMin: true },
  logEvery: { type: 'int', doc: 'emit the loss every this many steps', default: 100, min: 1 },
} as const;

/** Y = X·W1·W2 (linear) or relu(X·W1)·W2 (relu) on a fixed data set, full-batch SGD or Adam. */
export const twoLayer = defineNode({
  type: 'user.twoLayer',
  doc: 'Two-layer net (linear or ReLU) trained full-batch on fixed data, as a user writes it.',
  params: {
    d: { type: 'int', doc: 'input dimension', default: 100, min: 1 },
    h: { type: 'int', doc: 'hidden width', default: 100, min: 1 },
    c: { type: 'int', doc: 'output dimension (0: d)', default: 0, min: 0 },
    P: { type: 'int', doc: 'training samples', default: 1000, min: 1 },
    activation: { type: 'string', doc: 'hidden activation', oneOf: ['linear', 'relu'], default: 'linear' },
    optimizer: { type: 'string', doc: 'optimiser', oneOf: ['sgd', 'adam'], default: 'sgd' },
    ...trainerParams,
  },
  inputs: {},
  outputs: {},
  metrics: { loss: { kind: 'scalar', doc: 'mean squared error', when: 'step' } },
  *run({ params, ctx }) {
    const { d, h, P } = params;
    const c = params.c || d;
    const X = tf.keep(normal(ctx.rng, [P, d], 1));
    const Y = tf.keep(params.activation === 'linear' ? tf.matMul(X, normal(ctx.rng, [d, c], 1 / Math.sqrt(d))) : normal(ctx.rng, [P, c], 1));
    const W1 = tf.variable(normal(ctx.rng, [d, h], 1 / Math.sqrt(d)));
    const W2 = tf.variable(normal(ctx.rng, [h, c], 1 / Math.sqrt(h)));
    const opt = params.optimizer === 'sgd' ? tf.train.sgd(params.lr) : tf.train.adam(params.lr);
    const forward = params.activation === 'linear' ? (x: tf.Tensor2D) => tf.matMul(x, W1) : (x: tf.Tensor2D) => tf.relu(tf.matMul(x, W1));
    try {
      for (let step = 1; step <= params.steps; step++) {
        const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(Y, tf.matMul(forward(X), W2)) as tf.Scalar);
        opt.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
        if (step % params.logEvery === 0 || step === params.steps) ctx.metric('loss', value, step);
        yield { step, total: params.steps };
      }
    } finally {
      tf.dispose([X, Y, W1, W2]);
      opt.dispose();
    }
  },
});

/** CiS: y = W2·relu(W1·x) + Wn·x learns relu(x) on a fresh sparse batch each step, Adam. */
export const cis = defineNode({
  type: 'user.cis',
  doc: 'Computation in superposition (residual MLP on sparse features), dense tf ops, as a user writes it.',
  params: {
    n: { type: 'int', doc: 'features', default: 100, min: 1 },
    m: { type: 'int', doc: 'neurons', default: 50, min: 1 },
    p: { type: 'number', doc: 'feature probability', default: 0.01, min: 0, max: 1 },
    batch: { type: 'int', doc: 'batch size', default: 2048, min: 1 },
    sigma: { type: 'number', doc: 'noise of Wn = I + σB', default: 0.03, min: 0 },
    ...trainerParams,
    lr: { type: 'number', doc: 'Adam learning rate', default: 3e-3, min: 0, exclusiveMin: true },
  },
  inputs: {},
  outputs: {},
  metrics: { loss: { kind: 'scalar', doc: 'training MSE', when: 'step' } },
  *run({ params, ctx }) {
    const { n, m, p, batch } = params;
    const std = Math.sqrt(2 / (n + m));
    const W1 = tf.variable(normal(ctx.rng, [n, m], std));
    const W2 = tf.variable(normal(ctx.rng, [m, n], std));
    const Wn = tf.keep(tf.add(tf.eye(n), normal(ctx.rng, [n, n], params.sigma)));
    const opt = tf.train.adam(params.lr);
    try {
      for (let step = 1; step <= params.steps; step++) {
        const seed = ctx.rng.tfSeed();
        const mask = tf.less(tf.randomUniform([batch, n], 0, 1, 'float32', seed), p);
        const x = tf.where(mask, tf.randomUniform([batch, n], -1, 1, 'float32', seed + 1), tf.zerosLike(mask).asType('float32')) as tf.Tensor2D;
        const { value, grads } = tf.variableGrads(() => {
          const y = tf.add(tf.matMul(tf.relu(tf.matMul(x, W1)), W2), tf.matMul(x, Wn));
          return tf.losses.meanSquaredError(tf.relu(x), y) as tf.Scalar;
        });
        opt.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
        if (step % params.logEvery === 0 || step === params.steps) ctx.metric('loss', value, step);
        yield { step, total: params.steps };
      }
    } finally {
      tf.dispose([W1, W2, Wn]);
      opt.dispose();
    }
  },
});

export const nodes = [twoLayer, cis];
