/**
 * In-context linear regression, an experiment with a known answer. Each sequence draws
 * w ~ N(0, τ²I_d), xᵢ ~ N(0, I_d) and yᵢ = wᵀxᵢ + εᵢ, εᵢ ~ N(0, σ²), i = 1..T. Causal ridge
 * attention with keys xᵢ, values yᵢ and query x_t predicts y_t from the earlier pairs,
 *   ŷ_t = x_tᵀ (X_{<t}ᵀX_{<t} + λI)⁻¹ X_{<t}ᵀ y_{<t},
 * which is the posterior mean of wᵀx_t given the earlier pairs exactly when λ = σ²/τ² (the
 * posterior of w is N((XᵀX/σ² + I/τ²)⁻¹Xᵀy/σ², …)). The posterior mean minimises the expected
 * squared error, so gradient descent on the mean loss over t = 2..T, with λ = exp(ℓ) learnable,
 * should find λ ≈ σ²/τ².
 *
 * Alongside, on the same batches: softmax attention with a learnable bilinear score
 * x_tᵀ M xᵢ over i < t and values yᵢ, trained with the same optimizer (its loss stays well above
 * ridge's: a convex combination of earlier y's cannot represent wᵀx_t), and the ridge loss at the
 * Bayes-optimal λ (the floor). Batched over members (τ, σ and the initial λ may differ between them).
 *
 * ## Example
 * `"icl": { "type": "attention.iclRegression", "params": { "d": 4, "T": 12 }, "inputs": { "optimizer": "optimizer.out" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import { createOptimizer, type OptimizerSpec } from '../optim/optimInternals.ts';
import { causalRidgeSolve } from './ridgeTensorInternals.ts';

export const iclRegression = defineNode({
  type: 'attention.iclRegression',
  doc: 'Trains ridge attention’s λ (and a softmax-attention baseline) by gradient descent on in-context linear regression; Bayes-optimal λ = σ²/τ².',
  params: {
    d: { type: 'int', doc: 'input dimension', min: 1, default: 4 },
    T: { type: 'int', doc: 'pairs per sequence (the loss covers t = 2..T)', min: 2, default: 12 },
    tau: { type: 'number', doc: 'prior std τ of the weights w', min: 0, exclusiveMin: true, default: 1 },
    sigma: { type: 'number', doc: 'noise std σ of y', min: 0, exclusiveMin: true, default: 0.5 },
    batch: { type: 'int', doc: 'sequences per step (fresh each step)', min: 1, default: 512 },
    steps: { type: 'int', doc: 'gradient steps', min: 1, default: 300 },
    lambda0: { type: 'number', doc: 'initial λ', min: 0, exclusiveMin: true, default: 1 },
    logEvery: { type: 'int', doc: 'steps per loss point (the mean over the window)', min: 1, default: 10 },
    softmax: { type: 'boolean', doc: 'also train the softmax-attention baseline', default: true },
  },
  inputs: {
    optimizer: { type: 'optimizer', doc: 'optimizer for log λ and for the softmax baseline’s M (separate state)' },
  },
  outputs: {
    lambda: { type: 'number', stream: true, doc: 'the learned λ every logEvery steps' },
    lambdaFinal: { type: 'number', doc: 'λ after the last step' },
  },
  metrics: {
    lambda: { kind: 'scalar', when: 'step', doc: 'the learned λ' },
    bayes_lambda: { kind: 'scalar', when: 'once', doc: 'the Bayes-optimal λ = σ²/τ²' },
    loss: { kind: 'scalar', when: 'step', doc: 'ridge attention: mean squared error of ŷ_t over t = 2..T (window mean)' },
    bayes_loss: { kind: 'scalar', when: 'step', doc: 'the same loss at λ = σ²/τ² on the same batches (the floor)' },
    softmax_loss: { kind: 'scalar', when: 'step', doc: 'softmax attention’s loss on the same batches' },
    lambda_final: { kind: 'scalar', when: 'once', doc: 'λ after the last step' },
    lambda_rel_err: { kind: 'scalar', when: 'once', doc: '|λ_final − σ²/τ²| / (σ²/τ²)' },
  },
  cost: (p) => ({ bytes: 4 * p.batch * p.T * p.d * p.d * 8 }),
  members: 'batched',
  memberParams: ['tau', 'sigma', 'lambda0'],
  *run({ params, inputs, ctx }) {
    // Batched (see src/node.ts): the members' sequences are stacked on the batch axis (member k's
    // at k·B … k·B + B − 1), each member with its own λ, M, optimizers and random stream.
    const { count: K, params: each, rng } = ctx.members!;
    const { d, T, batch: B, steps, logEvery } = params;
    const tau = each.map((p) => p.tau as number), sigma = each.map((p) => p.sigma as number);
    const bayes = each.map((_, k) => (sigma[k]! * sigma[k]!) / (tau[k]! * tau[k]!));
    bayes.forEach((b, k) => ctx.members!.metric(k, 'bayes_lambda', b));
    const logLam = Float32Array.from(each, (p) => Math.log(p.lambda0 as number));
    const M = new Float32Array(K * d * d);
    const specs = inputs.optimizer as unknown as OptimizerSpec[];
    const optRidge = specs.map((spec) => createOptimizer(spec, [1])), optSoft = specs.map((spec) => createOptimizer(spec, [d * d]));
    const alive = new Array<boolean>(K).fill(true);
    const mask = tf.keep(tf.sub(tf.linalg.bandPart(tf.ones([T, T]), -1, 0), tf.eye(T))); // i < t
    /** One value per member → one per sequence, shaped to broadcast over [K·B, T, d, d]. */
    const perSequence = (v: tf.Tensor) => tf.reshape(tf.tile(tf.reshape(v, [K, 1]), [1, B]), [K * B, 1, 1, 1]);
    const bayesLam = tf.keep(perSequence(tf.tensor1d(bayes)));
    // Each member's mean over t = 2..T (index 1..T−1) and its B sequences: [K].
    const mse = (pred: tf.Tensor, y: tf.Tensor) => tf.mean(tf.reshape(tf.square(tf.sub(tf.slice(pred, [0, 1, 0], [K * B, T - 1, 1]), tf.slice(y, [0, 1, 0], [K * B, T - 1, 1]))), [K, B * (T - 1)]), 1);
    try {
      const acc = { loss: new Float64Array(K), bayes: new Float64Array(K), soft: new Float64Array(K), count: 0 };
      for (let t = 1; t <= steps; t++) {
        const xs = new Float32Array(K * B * T * d), ys = new Float32Array(K * B * T);
        for (let k = 0; k < K; k++) {
          const w = rng[k]!.fillNormal(new Float32Array(B * d), 0, tau[k]);
          const x = rng[k]!.fillNormal(xs.subarray(k * B * T * d, (k + 1) * B * T * d));
          const y = rng[k]!.fillNormal(ys.subarray(k * B * T, (k + 1) * B * T), 0, sigma[k]);
          for (let b = 0; b < B; b++) for (let i = 0; i < T; i++) {
            let s = 0;
            for (let a = 0; a < d; a++) s += w[b * d + a] * x[(b * T + i) * d + a];
            y[b * T + i] += s;
          }
        }
        // Results leave the tidy through `step`: tf.tidy's return value must be tensors.
        let step!: { loss: Float32Array; g: Float32Array; bayes: Float32Array; soft: Float32Array | null; gM: Float32Array | null };
        tf.tidy(() => {
          const X = tf.tensor3d(xs, [K * B, T, d]), Y = tf.tensor3d(ys, [K * B, T, 1]);
          let losses!: tf.Tensor;
          // The sum's gradient is each member's own; the members' losses are kept out of grad's scope (disposed below).
          const ridgeLoss = (l: tf.Tensor) => tf.sum(losses = tf.keep(mse(causalRidgeSolve(X, X, Y, perSequence(tf.exp(l)), true), Y))) as tf.Scalar;
          const r = tf.grad(ridgeLoss)(tf.tensor1d(logLam));
          const bayesLoss = mse(causalRidgeSolve(X, X, Y, bayesLam, true), Y);
          let soft: { value: tf.Tensor; grad: tf.Tensor } | null = null;
          if (params.softmax) {
            let softLosses!: tf.Tensor;
            const softLoss = (m: tf.Tensor) => {
              const perSeq = tf.reshape(tf.tile(tf.reshape(m, [K, 1, d, d]), [1, B, 1, 1]), [K * B, d, d]);
              const scores = tf.matMul(tf.matMul(X, perSeq), tf.transpose(X, [0, 2, 1])); // [K·B, T, T]
              const masked = tf.add(tf.mul(scores, mask), tf.mul(tf.sub(1, mask), -1e9));
              return tf.sum(softLosses = tf.keep(mse(tf.matMul(tf.softmax(masked), Y), Y))) as tf.Scalar;
            };
            const grad = tf.grad(softLoss)(tf.tensor3d(M, [K, d, d]));
            soft = { value: softLosses, grad };
          }
          // Copies: the backend's arrays die with the tensors.
          const read = (x: tf.Tensor) => (x.dataSync() as Float32Array).slice();
          step = { loss: read(losses), g: read(r), bayes: read(bayesLoss), soft: soft ? read(soft.value) : null, gM: soft ? read(soft.grad) : null };
          losses.dispose();
          soft?.value.dispose();
        });
        for (let k = 0; k < K; k++) {
          if (!alive[k]) continue;
          if (!Number.isFinite(step.loss[k]) || !Number.isFinite(step.g[k])) {
            ctx.log(`member ${k}: ridge loss or its gradient became ${step.loss[k]}/${step.g[k]} at step ${t} with λ = ${Math.exp(logLam[k])}`);
            ctx.members!.metric(k, 'loss', step.loss[k], t);
            ctx.members!.metric(k, 'lambda', Math.exp(logLam[k]), t);
            alive[k] = false;
            continue;
          }
          optRidge[k]!.step([logLam.subarray(k, k + 1)], [step.g.subarray(k, k + 1)], t, steps);
          if (step.gM) optSoft[k]!.step([M.subarray(k * d * d, (k + 1) * d * d)], [step.gM.subarray(k * d * d, (k + 1) * d * d)], t, steps);
          acc.loss[k] += step.loss[k]; acc.bayes[k] += step.bayes[k]; acc.soft[k] += step.soft ? step.soft[k] : NaN;
        }
        if (!alive.includes(true)) break;
        acc.count++;
        if (t % logEvery === 0 || t === steps) {
          for (let k = 0; k < K; k++) {
            if (!alive[k]) continue;
            ctx.members!.metric(k, 'lambda', Math.exp(logLam[k]), t);
            ctx.members!.metric(k, 'loss', acc.loss[k] / acc.count, t);
            ctx.members!.metric(k, 'bayes_loss', acc.bayes[k] / acc.count, t);
            if (params.softmax) ctx.members!.metric(k, 'softmax_loss', acc.soft[k] / acc.count, t);
          }
          acc.loss.fill(0); acc.bayes.fill(0); acc.soft.fill(0); acc.count = 0;
          yield { step: t, total: steps, out: { lambda: Array.from(logLam, Math.exp) as unknown as number } };
        }
      }
      // A member that stopped on a non-finite loss has no final λ (as a separate run has none).
      if (!alive.includes(true)) return {};
      const finals = Array.from(logLam, (l, k) => (alive[k] ? Math.exp(l) : undefined));
      finals.forEach((f, k) => {
        if (f === undefined) return;
        ctx.members!.metric(k, 'lambda_final', f);
        ctx.members!.metric(k, 'lambda_rel_err', Math.abs(f - bayes[k]!) / bayes[k]!);
      });
      return { lambdaFinal: finals as unknown as number };
    } finally {
      mask.dispose();
      bayesLam.dispose();
    }
  },
});
