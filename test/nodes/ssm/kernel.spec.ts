import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { system } from '../../../nodes/ssm/system.ts';
import { kernel } from '../../../nodes/ssm/kernel.ts';
import { denseKernel, dplrBeta, dplrKernel, diagonalKernel, matrixPower, type SsmSystem } from '../../../nodes/ssm/kernelInternals.ts';
import { fromRows } from '@eigenflow/linalg';
import { deriveRng } from '../../../src/rng.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';
import { eye, mul, naiveKernel, type Mat } from './naive.ts';

function sys(params: Record<string, unknown>, seed = 0): SsmSystem {
  const r = runNode(system, { params, seed });
  return r.outputs.system as SsmSystem;
}

function kernelOf(s: SsmSystem, params: Record<string, unknown>) {
  return runNode(kernel, { params, inputs: { system: s } });
}

describe('ssm.kernel: the seed\'s worked examples', () => {
  before(useWasm);

  it('should give K = [0, 1.5, 1.2, 0.96, 0.768] for A = 0.8, B = 1, C = 1.5, D = 0, L = 4', async () => {
    await expectNoLeak(() => {
      const r = kernelOf(sys({ n: 1, A: [[0.8]], B: [1], C: [1.5] }), { L: 4 });
      // 1.5·0.8^k by hand
      expectArraysClose(r.outputs.kernel, [0, 1.5, 1.5 * 0.8, 1.5 * 0.64, 1.5 * 0.512], 1e-14);
      assert.deepEqual(r.values('kernel'), [r.outputs.kernel]);
    });
  });

  it('should give K = [0, 1, 0.7, 0.51] for the 2×2 example (and 0.383, which the seed does not list, for L = 4)', () => {
    const s = sys({ n: 2, A: [[0.7, 0.1], [0.2, 0.6]], B: [1, 0], C: [1, 0] });
    expectArraysClose(kernelOf(s, { L: 3 }).outputs.kernel, [0, 1, 0.7, 0.51], 1e-14);
    // A² = [[0.51, 0.13], [0.26, 0.38]] as the seed says; CA³B = 0.7·0.51 + 0.1·0.26 = 0.383.
    expectArraysClose(mul([[0.7, 0.1], [0.2, 0.6]], [[0.7, 0.1], [0.2, 0.6]]).flat(), [0.51, 0.13, 0.26, 0.38], 1e-15);
    expectArraysClose(kernelOf(s, { L: 4 }).outputs.kernel, [0, 1, 0.7, 0.51, 0.383], 1e-14);
  });

  it('should match the eigen-decomposition of the 2×2 example: K_k = (2/3)·0.8^{k−1} + (1/3)·0.5^{k−1}', () => {
    // trace 1.3, det 0.40 ⇒ eigenvalues 0.8 and 0.5; K_1 = 1 and K_2 = 0.7 fix the weights 2/3, 1/3.
    const s = sys({ n: 2, A: [[0.7, 0.1], [0.2, 0.6]], B: [1, 0], C: [1, 0] });
    const K = kernelOf(s, { L: 40 }).outputs.kernel as number[];
    expectArraysClose(K.slice(1), Array.from({ length: 40 }, (_, k) => (2 / 3) * 0.8 ** k + (1 / 3) * 0.5 ** k), 1e-15);
  });

  it('should cut the kernel metric to metricTaps but keep every tap on the output port', () => {
    const r = kernelOf(sys({ n: 1, A: [[0.8]], B: [1], C: [1.5] }), { L: 10, metricTaps: 3 });
    assert.equal((r.outputs.kernel as number[]).length, 11);
    expectArraysClose(r.values('kernel')[0] as number[], [0, 1.5, 1.2], 1e-14);
  });

  it('should put D in K_0', () => {
    const s = sys({ n: 1, A: [[0.8]], B: [1], C: [1.5], D: 0.25 });
    expectArraysClose(kernelOf(s, { L: 2 }).outputs.kernel, [0.25, 1.5, 1.2], 1e-14);
  });
});

describe('ssm.kernel: dense schedules', () => {
  it('should give the same kernel by sequential, doubling and baby-step/giant-step as explicit powers', () => {
    for (const [n, L] of [[1, 1], [3, 2], [5, 37], [8, 64], [4, 100]]) {
      const s = sys({ kind: 'dense', n }, n * 1000 + L);
      const A: Mat = Array.from({ length: n }, (_, i) => Array.from(s.A!.data.subarray(i * n, (i + 1) * n)));
      const truth = naiveKernel(A, Array.from(s.B), Array.from(s.C), s.D, L);
      for (const method of ['sequential', 'doubling', 'bsgs', 'auto']) {
        expectArraysClose(kernelOf(s, { L, method }).outputs.kernel, truth, 1e-12, 1e-10);
      }
    }
  });

  it('should return just [D] for L = 0', () => {
    for (const method of ['sequential', 'doubling', 'bsgs'] as const) {
      expectArraysClose(denseKernel({ A: fromRows([[0.5]]), B: Float64Array.of(1), C: Float64Array.of(1), D: 3 }, 0, method), [3]);
    }
  });

  it('should compute A^k by repeated squaring', () => {
    const A = [[0.9, 0.2, 0], [-0.1, 0.5, 0.3], [0.05, 0, 0.7]];
    let P = eye(3);
    for (let k = 0; k <= 13; k++) {
      expectArraysClose(matrixPower(fromRows(A), k).data, P.flat(), 1e-14);
      P = mul(P, A);
    }
  });
});

describe('ssm.kernel: diagonal A', () => {
  it('should equal explicit powers of diag(λ) and emit diagonal_vs_dense ≈ 0', () => {
    const s = sys({ kind: 'diagonal', n: 6 }, 3);
    const A = eye(6).map((row, i) => row.map((x) => x * s.lambda![i]));
    const r = kernelOf(s, { L: 50 });
    expectArraysClose(r.outputs.kernel, naiveKernel(A, Array.from(s.B), Array.from(s.C), 0, 50), 1e-13);
    assert.ok((r.values('diagonal_vs_dense')[0] as number) < 1e-14);
  });

  it('should use explicit lambda, and the elementwise power formula Σ C_i λ_i^k B_i', () => {
    const K = diagonalKernel(Float64Array.of(0.5, -0.9), Float64Array.of(1, 2), Float64Array.of(3, 1), 0, 4);
    expectArraysClose(K, [0, 3 + 2, 3 * 0.5 + 2 * -0.9, 3 * 0.25 + 2 * 0.81, 3 * 0.125 + 2 * -0.729], 1e-15);
  });
});

describe('ssm.kernel: DPLR A = c·I + ppᵀ', () => {
  it('should equal dense powers of I + ppᵀ (the seed\'s case) and emit dplr_vs_dense ≈ 0', () => {
    for (const n of [1, 2, 7, 16]) {
      const s = sys({ kind: 'dplr', n, alpha: 0.05 }, n);
      const p = Array.from(s.p!);
      const A = eye(n).map((row, i) => row.map((x, j) => x + p[i] * p[j]));
      const r = kernelOf(s, { L: 40 });
      expectArraysClose(r.outputs.kernel, naiveKernel(A, Array.from(s.B), Array.from(s.C), 0, 40), 1e-12, 1e-12);
      assert.ok((r.values('dplr_vs_dense')[0] as number) < 1e-11, `dplr_vs_dense = ${r.values('dplr_vs_dense')[0]}`);
    }
  });

  it('should hold for shifts other than 1, including 0 and negative', () => {
    const rng = deriveRng(4, 'dplr');
    for (const c of [0.9, 0, -0.5, 1.3]) {
      const p = Array.from({ length: 5 }, () => 0.3 * rng.normal());
      const B = Array.from({ length: 5 }, () => rng.normal()), C = Array.from({ length: 5 }, () => rng.normal());
      const A = eye(5).map((row, i) => row.map((x, j) => c * x + p[i] * p[j]));
      const K = dplrKernel(Float64Array.from(p), c, Float64Array.from(B), Float64Array.from(C), 0.1, 12);
      expectArraysClose(K, naiveKernel(A, B, C, 0.1, 12), 1e-12, 1e-12);
    }
  });

  it('should stay accurate when ‖p‖² is tiny (β_k → k·c^{k−1}) and be exact at p = 0', () => {
    // β_k = Σ_{j=1..k} C(k, j) α^{j−1} c^{k−j}: the binomial sum the seed starts from.
    const binom = (k: number, j: number) => { let r = 1; for (let i = 1; i <= j; i++) r = (r * (k - i + 1)) / i; return r; };
    for (const alpha of [1e-12, 1e-6, 0.3, 2]) {
      for (const k of [0, 1, 2, 5, 20]) {
        let sum = 0;
        for (let j = 1; j <= k; j++) sum += binom(k, j) * alpha ** (j - 1);
        assert.ok(Math.abs(dplrBeta(1, alpha, k) - sum) <= 1e-12 * Math.max(1, sum), `α=${alpha} k=${k}: ${dplrBeta(1, alpha, k)} vs ${sum}`);
      }
    }
    assert.equal(dplrBeta(1, 0, 7), 7);
  });

  it('should show the seed\'s "revised" coefficient ((1+α)^{ℓ−1})/α is wrong and its first ((1+α)^ℓ − 1)/α right', () => {
    const alpha = 0.25, p = [0.3, 0.4]; // ‖p‖² = 0.25
    const A = [[1 + 0.09, 0.12], [0.12, 1 + 0.16]];
    let P = eye(2);
    for (let l = 0; l < 4; l++) P = mul(P, A);
    const want = P[0][1] / (p[0] * p[1]); // off-diagonal of A^4 = β_4 p_0 p_1
    assert.ok(Math.abs(want - ((1 + alpha) ** 4 - 1) / alpha) < 1e-12);
    assert.ok(Math.abs(want - (1 + alpha) ** 3 / alpha) > 1);
  });
});

describe('ssm.kernel: general DPLR A = diag(λ) + ppᵀ (generating function at roots of unity)', () => {
  it('should equal dense powers for random Λ, p, at lengths that are and are not powers of two', () => {
    for (const [n, L, seed] of [[1, 1, 1], [3, 5, 2], [8, 64, 3], [20, 100, 4], [6, 257, 5]]) {
      const s = sys({ kind: 'dplr', n, dplrDiagonal: 'random', alpha: 0.1, radius: 0.8 }, seed);
      assert.ok(s.lambda && s.lambda.length === n);
      const p = Array.from(s.p!), lam = Array.from(s.lambda!);
      const A = eye(n).map((row, i) => row.map((x, j) => x * lam[i] + p[i] * p[j]));
      const r = kernelOf(s, { L });
      expectArraysClose(r.outputs.kernel, naiveKernel(A, Array.from(s.B), Array.from(s.C), 0, L), 1e-12);
      assert.ok((r.values('dplr_vs_dense')[0] as number) < 1e-12);
    }
  });

  it('should agree with the c·I + ppᵀ closed form when Λ = c·I', () => {
    const p = Float64Array.of(0.2, -0.1, 0.3), B = Float64Array.of(1, 2, -1), C = Float64Array.of(0.5, 0.1, 1);
    const general = runNode(kernel, { params: { L: 30 }, inputs: { system: { kind: 'dplr', n: 3, p, lambda: Float64Array.of(0.7, 0.7, 0.7), B, C, D: 0 } } }).outputs.kernel;
    expectArraysClose(general, dplrKernel(p, 0.7, B, C, 0, 30), 1e-13);
  });
});

describe('ssm.kernel: sad paths', () => {
  it('should reject a negative L and an unknown method, naming the field', () => {
    const s = sys({ n: 1, A: [[0.5]], B: [1], C: [1] });
    assert.throws(() => kernelOf(s, { L: -1 }), /ssm\.kernel\.params\.L must be ≥ 0 but got -1/);
    assert.throws(() => kernelOf(sys({ kind: 'dplr', n: 3, alpha: 0.5 }), { L: 2000 }),
      /ssm\.kernel: system must give a finite kernel up to L = 2000 \(use L < \d+ or a contracting A\) but got K_\d+ = Infinity: A = 1·I \+ ppᵀ has eigenvalue 1 \+ ‖p‖² = 1\.5 along p, so K_k grows like 1\.5\^k/);
    assert.throws(() => kernelOf(sys({ n: 1, A: [[3]], B: [1], C: [1] }), { L: 800 }), /K_\d+ = Infinity: A has an eigenvalue of modulus > 1/);
    assert.throws(() => kernelOf(s, { method: 'fast' }), /params\.method must be one of "auto", "sequential", "doubling", "bsgs" but got "fast"/);
  });
});
