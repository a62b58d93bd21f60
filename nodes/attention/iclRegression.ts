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
 * Bayes-optimal λ (the floor).
 *
 * ## Example
 * `"icl": { "type": "attention.iclRegression", "params": { "d": 4, "T": 12 }, "inputs": { "optimizer": "optimizer.out" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import { createOptimizer } from '../optim/optimInternals.ts';
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
  *run({ params, inputs, ctx }) {
    const { d, T, tau, sigma, batch: B, steps, logEvery } = params;
    const bayes = (sigma * sigma) / (tau * tau);
    ctx.metric('bayes_lambda', bayes);
    const logLam = Float32Array.of(Math.log(params.lambda0));
    const M = new Float32Array(d * d);
    const gradLam = new Float32Array(1), gradM = new Float32Array(d * d);
    const optRidge = createOptimizer(inputs.optimizer, [1]);
    const optSoft = createOptimizer(inputs.optimizer, [d * d]);
    const mask = tf.keep(tf.sub(tf.linalg.bandPart(tf.ones([T, T]), -1, 0), tf.eye(T))); // i < t
    const bayesLam = tf.keep(tf.scalar(bayes));
    // mean over t = 2..T (index 1..T−1) and the batch
    const mse = (pred: tf.Tensor, y: tf.Tensor) => tf.mean(tf.square(tf.sub(tf.slice(pred, [0, 1, 0], [B, T - 1, 1]), tf.slice(y, [0, 1, 0], [B, T - 1, 1]))));
    try {
      const acc = { loss: 0, bayes: 0, soft: 0, count: 0 };
      for (let t = 1; t <= steps; t++) {
        const w = ctx.rng.fillNormal(new Float32Array(B * d), 0, tau);
        const xs = ctx.rng.fillNormal(new Float32Array(B * T * d));
        const ys = ctx.rng.fillNormal(new Float32Array(B * T), 0, sigma);
        for (let b = 0; b < B; b++) for (let i = 0; i < T; i++) {
          let s = 0;
          for (let a = 0; a < d; a++) s += w[b * d + a] * xs[(b * T + i) * d + a];
          ys[b * T + i] += s;
        }
        // Results leave the tidy through `step`: tf.tidy's return value must be tensors.
        let step!: { loss: number; g: number; bayes: number; soft: number; gM: Float32Array | null };
        tf.tidy(() => {
          const X = tf.tensor3d(xs, [B, T, d]), Y = tf.tensor3d(ys, [B, T, 1]);
          const ridgeLoss = (l: tf.Tensor) => mse(causalRidgeSolve(X, X, Y, tf.exp(l) as tf.Scalar, true), Y) as tf.Scalar;
          const r = tf.valueAndGrad(ridgeLoss)(tf.scalar(logLam[0]));
          const bayesLoss = mse(causalRidgeSolve(X, X, Y, bayesLam, true), Y);
          let soft: { value: tf.Scalar; grad: tf.Tensor } | null = null;
          if (params.softmax) {
            const softLoss = (m: tf.Tensor) => {
              const scores = tf.matMul(tf.matMul(X, tf.tile(m.reshape([1, d, d]), [B, 1, 1])), tf.transpose(X, [0, 2, 1])); // [B, T, T]
              const masked = tf.add(tf.mul(scores, mask), tf.mul(tf.sub(1, mask), -1e9));
              return mse(tf.matMul(tf.softmax(masked), Y), Y) as tf.Scalar;
            };
            soft = tf.valueAndGrad(softLoss)(tf.tensor2d(M, [d, d]));
          }
          step = {
            loss: r.value.dataSync()[0], g: r.grad.dataSync()[0], bayes: bayesLoss.dataSync()[0],
            soft: soft ? soft.value.dataSync()[0] : NaN, gM: soft ? (soft.grad.dataSync() as Float32Array).slice() : null,
          };
        });
        if (!Number.isFinite(step.loss) || !Number.isFinite(step.g)) {
          ctx.log(`ridge loss or its gradient became ${step.loss}/${step.g} at step ${t} with λ = ${Math.exp(logLam[0])}`);
          ctx.metric('loss', step.loss, t);
          ctx.metric('lambda', Math.exp(logLam[0]), t);
          return {};
        }
        gradLam[0] = step.g;
        optRidge.step([logLam], [gradLam], t, steps);
        if (step.gM) { gradM.set(step.gM); optSoft.step([M], [gradM], t, steps); }
        acc.loss += step.loss; acc.bayes += step.bayes; acc.soft += step.soft; acc.count++;
        if (t % logEvery === 0 || t === steps) {
          ctx.metric('lambda', Math.exp(logLam[0]), t);
          ctx.metric('loss', acc.loss / acc.count, t);
          ctx.metric('bayes_loss', acc.bayes / acc.count, t);
          if (params.softmax) ctx.metric('softmax_loss', acc.soft / acc.count, t);
          acc.loss = acc.bayes = acc.soft = acc.count = 0;
          yield { step: t, total: steps, out: { lambda: Math.exp(logLam[0]) } };
        }
      }
      const final = Math.exp(logLam[0]);
      ctx.metric('lambda_final', final);
      ctx.metric('lambda_rel_err', Math.abs(final - bayes) / bayes);
      return { lambdaFinal: final };
    } finally {
      mask.dispose();
      bayesLam.dispose();
    }
  },
});
