/**
 * Ridge attention: the float32 tensor paths against float64 references, with tolerances derived
 * from the conditioning (attentionInternals.solveTolerance: 10·(d + n)·κ·2⁻²⁴); the float64 paths
 * against each other and against independent computations to float64 precision.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { deriveRng } from '../../../src/rng.ts';
import { qkv } from '../../../nodes/attention/qkv.ts';
import { ridge } from '../../../nodes/attention/ridge.ts';
import { causalRidge } from '../../../nodes/attention/causalRidge.ts';
import { gradCheck } from '../../../nodes/attention/gradCheck.ts';
import { costPerToken } from '../../../nodes/attention/costPerToken.ts';
import { causalCholesky64, causalRidge64, causalShermanMorrison, ridgeAttention64, type Qkv64 } from '../../../nodes/attention/ridge64Internals.ts';
import { relMaxDiff } from '../../../nodes/attention/attentionInternals.ts';
import { expectNoLeak, useWasm } from '../../helpers.ts';

const one = (r: ReturnType<typeof runNode>, name: string) => {
  const v = r.values(name);
  assert.equal(v.length, 1, `metric ${name} should arrive exactly once (got ${v.length})`);
  assert.ok(Number.isFinite(v[0]), `metric ${name} is ${v[0]}`);
  return v[0] as number;
};

function draw(seed: number, n: number, d: number, dv: number): Qkv64 {
  const rng = deriveRng(seed, 'ridge-test');
  const f = (k: number) => Float64Array.from(rng.fillNormal(new Float32Array(k)));
  return { n, d, dv, Q: f(n * d), K: f(n * d), V: f(n * dv) };
}

describe('ridge attention, float64 claims (exact to rounding)', () => {
  it('causal output at token t equals non-causal ridge attention on the first t tokens', () => {
    const x = draw(1, 20, 5, 3);
    const causal = causalRidge64(x, 0.5);
    for (let t = 1; t <= x.n; t++) {
      const nc = ridgeAttention64(x.Q.slice((t - 1) * x.d, t * x.d), x.K.slice(0, t * x.d), x.V.slice(0, t * x.dv), t, x.d, x.dv, 0.5);
      assert.ok(relMaxDiff(causal.slice((t - 1) * x.dv, t * x.dv), nc.out) < 1e-12, `token ${t}`);
    }
  });

  it('Sherman–Morrison and Cholesky per token agree with the LU reference to 1e-11 (float64)', () => {
    for (const seed of [1, 2, 3]) {
      const x = draw(seed, 64, 8, 4);
      const ref = causalRidge64(x, 1);
      assert.ok(relMaxDiff(causalShermanMorrison((l) => new Float64Array(l), x, 1), ref) < 1e-11);
      assert.ok(relMaxDiff(causalCholesky64(x, 1), ref) < 1e-11);
    }
  });

  it('the weights reproduce the output: Σᵢ wᵢ vᵢ, with wᵢ = kᵢᵀ(KᵀK + λI)⁻¹q computed by an explicit inverse', () => {
    const x = draw(4, 10, 3, 2);
    const { out } = ridgeAttention64(x.Q, x.K, x.V, x.n, x.d, x.dv, 0.7);
    // Independent: A⁻¹ by Cramer's rule for 3 × 3.
    const A = new Float64Array(9);
    for (let i = 0; i < x.n; i++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) A[a * 3 + b] += x.K[i * 3 + a] * x.K[i * 3 + b];
    for (let a = 0; a < 3; a++) A[a * 4] += 0.7;
    const m = (r: number, c: number) => A[r * 3 + c];
    const det = m(0, 0) * (m(1, 1) * m(2, 2) - m(1, 2) * m(2, 1)) - m(0, 1) * (m(1, 0) * m(2, 2) - m(1, 2) * m(2, 0)) + m(0, 2) * (m(1, 0) * m(2, 1) - m(1, 1) * m(2, 0));
    const inv = (r: number, c: number) => {
      const rows = [0, 1, 2].filter((i) => i !== c), cols = [0, 1, 2].filter((i) => i !== r);
      const minor = m(rows[0], cols[0]) * m(rows[1], cols[1]) - m(rows[0], cols[1]) * m(rows[1], cols[0]);
      return ((r + c) % 2 ? -1 : 1) * minor / det;
    };
    let negatives = 0;
    for (let j = 0; j < x.n; j++) {
      const y = [0, 0];
      for (let i = 0; i < x.n; i++) {
        let w = 0;
        for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) w += x.K[i * 3 + a] * inv(a, b) * x.Q[j * 3 + b];
        if (w < 0) negatives++;
        for (let c = 0; c < 2; c++) y[c] += w * x.V[i * 2 + c];
      }
      assert.ok(relMaxDiff(y, out.slice(j * 2, j * 2 + 2)) < 1e-10, `query ${j}`);
    }
    assert.ok(negatives > 0, 'ridge attention weights can be negative');
  });
});

describe('ridge attention nodes (float32 tensors against float64)', () => {
  before(useWasm);

  it('non-causal: output and weight reconstruction within the conditioning tolerance', async () => {
    await expectNoLeak(() => {
      for (const seed of [0, 1, 2]) {
        const g = runNode(qkv, { params: { n: 48, d: 6, dv: 3 }, seed });
        const r = runNode(ridge, { params: { lambda: 0.5 }, inputs: g.outputs });
        const tol = one(r, 'tolerance');
        assert.ok(tol < 0.01, `the tolerance ${tol} must be tight enough for a 10% error to fail`);
        assert.ok(one(r, 'rel_err_f64') <= tol);
        assert.ok(one(r, 'weights_reconstruction') <= tol);
        assert.ok(one(r, 'weights_rel_err_f64') <= tol);
        assert.ok(one(r, 'negative_weights') > 0);
        assert.deepEqual(r.outputs.weights.shape, [48, 48]);
        r.dispose(); g.dispose();
      }
    });
  });

  it('causal: Sherman–Morrison, recompute-and-solve and float64 agree within the tolerance', async () => {
    await expectNoLeak(() => {
      for (const seed of [0, 1, 2]) {
        const g = runNode(qkv, { params: { n: 64, d: 8, dv: 4 }, seed });
        const r = runNode(causalRidge, { params: { lambda: 1, driftPoints: 8 }, inputs: g.outputs });
        const tol = one(r, 'tolerance');
        assert.ok(tol < 0.01, `the tolerance ${tol} must be tight enough for a 10% error to fail`);
        for (const name of ['sm_vs_solve', 'sm_vs_f64', 'solve_vs_f64']) assert.ok(one(r, name) <= tol, `${name} = ${one(r, name)} > ${tol}`);
        // Drift series: one point per distinct mark, the last at token n.
        const drift = r.metrics.filter((m) => m.name === 'sm_drift');
        assert.ok(drift.length >= 2 && drift.length <= 9);
        assert.equal(drift.at(-1)!.step, 64);
        assert.deepEqual(r.outputs.out.shape, [64, 4]);
        r.dispose(); g.dispose();
      }
    });
  });

  it('causal: a wrongly shaped value matrix is refused, naming the node and the input', () => {
    const q = tf.zeros([5, 3]) as tf.Tensor2D, k = tf.zeros([5, 3]) as tf.Tensor2D, v = tf.zeros([4, 2]) as tf.Tensor2D;
    assert.throws(() => runNode(causalRidge, { inputs: { q, k, v } }), /attention\.causalRidge: v must have one row per key \(n = 5\) but got 4 rows/);
    tf.dispose([q, k, v]);
  });

  it('gradients w.r.t. λ, K, V and Q match float64 finite differences', async () => {
    await expectNoLeak(() => {
      for (const seed of [0, 1]) {
        const g = runNode(qkv, { params: { n: 10, d: 4, dv: 3 }, seed });
        const r = runNode(gradCheck, { params: { lambda: 0.8 }, inputs: g.outputs });
        const tol = one(r, 'autodiff_tolerance');
        assert.ok(tol < 0.01);
        for (const w of ['lambda', 'k', 'v', 'q']) {
          assert.ok(one(r, `autodiff_err_${w}`) <= tol, `autodiff ${w}: ${one(r, `autodiff_err_${w}`)} > ${tol}`);
          assert.ok(one(r, `closed_form_err_${w}`) <= 1e-6, `closed form ${w}: ${one(r, `closed_form_err_${w}`)}`);
        }
        r.dispose(); g.dispose();
      }
    });
  });

  it('cost per token: one timing per method and d, and per method and n, all positive', () => {
    const r = runNode(costPerToken, { params: { ds: [4, 8, 16], n: 16, ns: [8, 32], dForN: 4, repeats: 1 } });
    for (const name of ['solve_us_per_token', 'sm_us_per_token']) {
      assert.deepEqual(r.metrics.filter((m) => m.name === name).map((m) => m.step), [4, 8, 16]);
    }
    for (const name of ['solve_us_per_token_vs_n', 'sm_us_per_token_vs_n']) {
      assert.deepEqual(r.metrics.filter((m) => m.name === name).map((m) => m.step), [8, 32]);
    }
    for (const m of r.metrics) if (m.name.endsWith('per_token') || m.name.endsWith('_vs_n')) assert.ok((m.value as number) > 0);
    one(r, 'solve_slope_d'); one(r, 'sm_slope_d');
    r.dispose();
  });
});
