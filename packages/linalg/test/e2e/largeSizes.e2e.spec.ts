/**
 * The decompositions at sizes too slow for the unit layer: 1000×1000 on two threads through the
 * WebAssembly path (divide and conquer for the vectors, dqds and QL for the values), checked by
 * their defining identities — backward error ‖A − UΣVᵀ‖_F/‖A‖_F and ‖A·Z − Z·Λ‖_F/‖A‖_F,
 * orthogonality ‖UᵀU − I‖_F — each ≤ 2·n·ε, and the values against the one-thread run.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matmul, matrix64, transpose, type Matrix64 } from '../../src/index.ts';
import { wasmSvd } from '../../src/svd.ts';
import { wasmSymEig } from '../../src/symEig.ts';
import { EPS } from '../../src/constants.ts';
import { deriveRng } from '../helpers.ts';

const n = 1000, bound = 2 * n * EPS;

function frob(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** ‖QᵀQ − I‖_F for the n×k Q. */
function orthogonality(q: Matrix64): number {
  const g = matmul(transpose(q), q);
  for (let i = 0; i < g.rows; i++) g.data[i * g.cols + i] -= 1;
  return frob(g.data);
}

/** ‖A − B·diag(d)·Cᵀ‖_F / ‖A‖_F. */
function residual(a: Matrix64, b: Matrix64, d: Float64Array, c: Matrix64): number {
  const bd = matrix64(b.rows, b.cols, b.data.map((x, i) => x * d[i % b.cols]));
  const r = matmul(bd, transpose(c));
  for (let i = 0; i < r.data.length; i++) r.data[i] -= a.data[i];
  return frob(r.data) / frob(a.data);
}

function gaussian(rows: number, cols: number, seed: number): Matrix64 {
  const m = matrix64(rows, cols);
  deriveRng(seed, 'large').fillNormal(m.data);
  return m;
}

describe(`decompositions at ${n}×${n} on two threads`, () => {
  it('should factor A = UΣVᵀ with orthonormal U and V, the values those of one thread', () => {
    const a = gaussian(n, n, 1);
    const r = wasmSvd(a, { vectors: true, threads: 2 });
    assert.ok(residual(a, r.U!, r.s, r.V!) <= bound, 'backward error');
    assert.ok(orthogonality(r.U!) <= bound && orthogonality(r.V!) <= bound, 'orthogonality');
    const one = wasmSvd(a, { threads: 1 }).s;
    r.s.forEach((x, i) => assert.ok(Math.abs(x - one[i]) <= bound * r.s[0], `σ_${i}: ${x} against ${one[i]}`));
  });

  it('should diagonalise a symmetric A = ZΛZᵀ with orthonormal Z, the values those of one thread', () => {
    const g = gaussian(n, n, 2), a = matrix64(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = g.data[i * n + j] + g.data[j * n + i];
    const r = wasmSymEig(a, { vectors: true, threads: 2 });
    assert.ok(residual(a, r.vectors!, r.values, r.vectors!) <= bound, 'backward error');
    assert.ok(orthogonality(r.vectors!) <= bound, 'orthogonality');
    const one = wasmSymEig(a, { threads: 1 }).values, big = Math.max(Math.abs(r.values[0]), Math.abs(r.values[n - 1]));
    r.values.forEach((x, i) => assert.ok(Math.abs(x - one[i]) <= bound * big, `λ_${i}: ${x} against ${one[i]}`));
  });
});
