import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matmul, transpose, fromRows, matrix64 } from '../src/index.ts';
import { jacobiSvd as svd, jacobiSymEig as symEig } from './jacobi.ts';
import { deriveRng } from './helpers.ts';
import { expectArraysClose } from './helpers.ts';

function randomMatrix(rows: number, cols: number, seed: number) {
  const m = matrix64(rows, cols);
  deriveRng(seed, 'm').fillNormal(m.data);
  return m;
}

describe('jacobi svd / symEig (reference)', () => {
  it('should reconstruct a random rectangular matrix from U diag(s) Vᵀ', () => {
    for (const [r, c] of [[7, 4], [4, 7], [5, 5]] as const) {
      const a = randomMatrix(r, c, r * 10 + c);
      const { s, U, V } = svd(a, { vectors: true });
      const k = Math.min(r, c);
      const us = matrix64(r, k);
      for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) us.data[i * k + j] = U!.data[i * k + j] * s[j];
      expectArraysClose(matmul(us, transpose(V!)).data, a.data, 1e-12);
      expectArraysClose(matmul(transpose(U!), U!).data, matrix64(k, k, Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0))).data, 1e-12);
    }
  });

  it('should give the exact spectrum of a constructed rank-deficient matrix', () => {
    // diag(3, 2, 0) embedded in 4×3: singular values 3, 2, 0 and orthonormal U despite σ = 0.
    const a = fromRows([[0, 3, 0], [2, 0, 0], [0, 0, 0], [0, 0, 0]]);
    const { s, U } = svd(a, { vectors: true });
    expectArraysClose(s, [3, 2, 0], 1e-15);
    expectArraysClose(matmul(transpose(U!), U!).data, [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-12);
  });

  it('should diagonalise a symmetric matrix with eigenvalues descending', () => {
    const b = randomMatrix(6, 6, 3);
    const a = matmul(b, transpose(b)); // SPD
    const { values, vectors } = symEig(a, { vectors: true });
    for (let i = 1; i < 6; i++) assert.ok(values[i - 1] >= values[i]);
    const av = matmul(a, vectors!);
    for (let j = 0; j < 6; j++) for (let i = 0; i < 6; i++) {
      assert.ok(Math.abs(av.data[i * 6 + j] - values[j] * vectors!.data[i * 6 + j]) < 1e-10);
    }
    // eigenvalues of BBᵀ are the squared singular values of B
    expectArraysClose(values, svd(b).s.map((x) => x * x), 1e-10);
  });
});
