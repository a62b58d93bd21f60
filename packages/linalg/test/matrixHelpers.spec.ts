import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identity, matmul, matrix64, transpose } from '../src/matrix.ts';
import { inverse, solve } from '../src/lu.ts';
import { completeBasis, randomOrthogonal } from '../src/orthogonal.ts';
import { fromBlocks, relError, block } from '../src/ops.ts';
import { deriveRng } from './helpers.ts';

describe('float64 helpers (lu, orthogonal, ops)', () => {
  it('should solve a linear system to rounding (A·solve(A, B) = B)', () => {
    const rng = deriveRng(4, 'lu');
    const A = matrix64(6, 6, Array.from({ length: 36 }, () => rng.normal()));
    const B = matrix64(6, 2, Array.from({ length: 12 }, () => rng.normal()));
    assert.ok(relError(matmul(A, solve(A, B)), B) < 1e-12);
    assert.ok(relError(matmul(A, inverse(A)), identity(6)) < 1e-12);
  });

  it('should reject a singular matrix naming the problem', () => {
    assert.throws(() => solve(matrix64(2, 2, [1, 2, 2, 4]), identity(2)), /singular/);
  });

  it('should build orthogonal matrices and complete a basis keeping the given columns', () => {
    const Q = randomOrthogonal(5, deriveRng(1, 'o'));
    assert.ok(relError(matmul(transpose(Q), Q), identity(5)) < 1e-13);
    const full = completeBasis(block(Q, 0, 5, 0, 2));
    assert.ok(relError(matmul(transpose(full), full), identity(5)) < 1e-13);
    assert.ok(relError(block(full, 0, 5, 0, 2), block(Q, 0, 5, 0, 2)) < 1e-13);
    assert.deepEqual(Array.from(fromBlocks([[identity(1), matrix64(1, 1, [2])]]).data), [1, 2]);
  });

});
