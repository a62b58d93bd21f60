/**
 * attention.gradCheck's λ-gradient at large n and small λ, where ∂L/∂λ cancels heavily across
 * tokens: the check passes for correct code on 20 seeds at two sizes and fails for a gradient
 * that is 1% off.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { deriveRng } from '../../../src/rng.ts';
import { qkv } from '../../../nodes/attention/qkv.ts';
import { gradCheck } from '../../../nodes/attention/gradCheck.ts';
import { qkv64 } from '../../../nodes/attention/attentionInternals.ts';
import { ridgeGradients64 } from '../../../nodes/attention/ridge64Internals.ts';
import { checkLambdaGradient, ridgeAutodiff } from '../../../nodes/attention/gradCheckInternals.ts';
import type * as tf from '@tensorflow/tfjs';

const SEEDS = Array.from({ length: 20 }, (_, i) => i);
const SIZES = [[256, 4], [4096, 32]] as const;
const LAMBDA = 1e-3;
const one = (r: ReturnType<typeof runNode>, name: string): number => r.values(name)[0] as number;

describe('attention.gradCheck: the λ-gradient under cancellation', () => {
  for (const [n, d] of SIZES) {
    it(`should pass on 20 seeds at n = ${n}, d = ${d}, λ = 1e-3, and fail for a λ-gradient 1% off`, () => {
      let autodiffCaught = 0, autodiffCatchable = 0;
      for (const seed of SEEDS) {
        const g = runNode(qkv, { params: { n, d, dv: 3 }, seed });
        const { q, k, v } = g.outputs as { q: tf.Tensor2D; k: tf.Tensor2D; v: tf.Tensor2D };
        if (seed < 2) {
          // the node itself (its own G), λ only: finite differences of K, V, Q cost a forward pass per entry
          const r = runNode(gradCheck, { params: { lambda: LAMBDA, gradients: 'lambda' }, inputs: g.outputs, seed });
          assert.ok(one(r, 'autodiff_err_lambda') <= one(r, 'autodiff_tolerance_lambda'), `node, seed ${seed}: autodiff λ error ${one(r, 'autodiff_err_lambda')} > ${one(r, 'autodiff_tolerance_lambda')}`);
          assert.ok(one(r, 'closed_form_err_lambda') <= one(r, 'closed_form_tolerance_lambda'), `node, seed ${seed}: closed form ${one(r, 'closed_form_err_lambda')}`);
          r.dispose();
        }
        const x = qkv64(q, k, v, 'test'), G = deriveRng(seed, 'G').fillNormal(new Float64Array(n * 3));
        const auto = ridgeAutodiff(q, k, v, G, LAMBDA).lambda[0], closed = ridgeGradients64(x.Q, x.K, x.V, G, n, d, 3, LAMBDA).gLambda;
        const right = checkLambdaGradient(x, G, LAMBDA, auto, closed);
        assert.ok(right.autodiffErr <= right.autodiffTol, `seed ${seed}: autodiff λ error ${right.autodiffErr} > ${right.autodiffTol} (cancellation ${right.cancellation})`);
        assert.ok(right.closedErr <= right.closedTol, `seed ${seed}: closed-form λ error ${right.closedErr} > ${right.closedTol}`);
        const wrong = checkLambdaGradient(x, G, LAMBDA, auto * 1.01, closed * 1.01);
        assert.ok(wrong.closedErr > wrong.closedTol, `seed ${seed}: a float64 λ-gradient 1% off passes (${wrong.closedErr} ≤ ${wrong.closedTol})`);
        // float32: a 1% error is distinguishable from rounding only where the tolerance is below 1%
        if (wrong.autodiffTol < 0.01) { autodiffCatchable++; if (wrong.autodiffErr > wrong.autodiffTol) autodiffCaught++; }
        g.dispose();
      }
      assert.equal(autodiffCaught, autodiffCatchable);
      process.stdout.write(`# n=${n} d=${d}: a 1% autodiff error is caught on ${autodiffCaught}/20 seeds (elsewhere its tolerance exceeds 1%)\n`);
    });
  }
});
