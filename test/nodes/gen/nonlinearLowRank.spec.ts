import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { svd, type Matrix64 } from '@eigenflow/linalg';
import { nonlinearLowRank } from '../../../nodes/gen/nonlinearLowRank.ts';

/** erank_pr = (Σσ)²/Σσ², computed here from the spectrum. */
function erank(m: Matrix64): number {
  const s = svd(m).s;
  let a = 0, b = 0;
  for (const x of s) { a += x; b += x * x; }
  return (a * a) / b;
}

function eranks(phi: string, ns: number[], k = 1): Map<number, number> {
  const out = new Map<number, number>();
  runNode(nonlinearLowRank, { params: { n: ns, k, phi }, onStep: (s) => { out.set(s.step, erank(s.out!.out as Matrix64)); } });
  assert.deepEqual([...out.keys()], ns, `${phi}: one step per n, in order`);
  return out;
}

describe('gen.nonlinearLowRank (seed 002)', () => {
  const ns = [64, 128, 256];

  it('should keep erank_pr of (1/n)·φ∘(xyᵀ) O(1) as n grows, for every φ', () => {
    for (const phi of ['relu', 'tanh', 'sin', 'exp', 'identity', 'square', 'abs', 'sign']) {
      const e = eranks(phi, ns);
      const values = ns.map((n) => e.get(n)!);
      assert.ok(values.every((v) => v < 6), `${phi}: erank ${values}`);
      assert.ok(values[2] < 1.25 * values[0] + 0.25, `${phi}: erank grows with n: ${values}`);
    }
  });

  it('should stay exactly rank one for multiplicative φ (square, abs, sign, identity)', () => {
    for (const phi of ['square', 'abs', 'sign', 'identity']) {
      // The assertion sits in the step callback: count the calls, or a node that never steps passes.
      let calls = 0;
      runNode(nonlinearLowRank, {
        params: { n: [50], k: 1, phi },
        onStep: (s) => { calls++; const sv = svd(s.out!.out as Matrix64).s; assert.ok(sv[1] < 1e-12 * sv[0], `${phi}: σ₂/σ₁ = ${sv[1] / sv[0]}`); },
      });
      assert.equal(calls, 1, `${phi}: the step callback ran ${calls} times`);
    }
  });

  it('should make relu(xyᵀ) exactly rank two: relu(ab) = a⁺b⁺ + a⁻b⁻', () => {
    let calls = 0;
    runNode(nonlinearLowRank, {
      params: { n: [60], k: 1, phi: 'relu' },
      onStep: (s) => { calls++; const sv = svd(s.out!.out as Matrix64).s; assert.ok(sv[1] > 0.1 * sv[0] && sv[2] < 1e-12 * sv[0], `σ = ${sv.slice(0, 3)}`); },
    });
    assert.equal(calls, 1, `the step callback ran ${calls} times`);
  });

  it('should grow the dense baseline ∝ n with the quarter-circle constant (8/3π)²', () => {
    const e = eranks('dense', ns);
    const c = (8 / (3 * Math.PI)) ** 2; // (E σ)² / E σ² for the quarter-circle law of a square Gaussian matrix
    for (const n of ns) assert.ok(Math.abs(e.get(n)! / n - c) < 0.03, `n=${n}: erank/n = ${e.get(n)! / n} vs ${c}`);
  });

  it('should keep rank-k inputs at O(k) effective rank', () => {
    const e = eranks('tanh', ns, 3);
    const v = ns.map((n) => e.get(n)!);
    assert.ok(v[2] < 1.3 * v[0] + 0.3 && v[2] < 15, `k=3: ${v}`);
  });

  it('should reject decreasing sizes and k larger than n', () => {
    assert.throws(() => runNode(nonlinearLowRank, { params: { n: [256, 128] } }), /n must be increasing/);
    assert.throws(() => runNode(nonlinearLowRank, { params: { n: 4, k: 5 } }), /k must be ≤ the smallest n \(got k=5, n=4\)/);
    assert.throws(() => runNode(nonlinearLowRank, { params: { n: 8, phi: 'cube' } }), /phi must be one of/);
  });
});
