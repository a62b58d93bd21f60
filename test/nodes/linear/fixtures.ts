/** Small deterministic fixtures for the linear-family tests. */
import { matmul, transpose, type Matrix64, svd, completeBasis, randomOrthogonal } from '@eigenflow/linalg';
import { deriveRng } from '../../../src/rng.ts';
import { balancedWeights } from '../../../nodes/linear/initInternals.ts';
import type { LinearTask } from '../../../nodes/linear/linearInternals.ts';
import { randomSyx, regressionTask, whitenedInputs } from '../../../nodes/linear/taskInternals.ts';

export function task(ni: number, no: number, s: number[], seed = 1): LinearTask {
  const rng = deriveRng(seed, 'task');
  return regressionTask('t', whitenedInputs(ni, ni + 2, rng), randomSyx(ni, no, s, rng));
}

/** λ-balanced weights aligned to the task, all task-mode singular values a0. */
export function alignedWeights(t: LinearTask, nh: number, lambda: number, a0: number | number[], seed = 2): { W1: Matrix64; W2: Matrix64 } {
  const { U, V } = svd(t.syx, { vectors: true });
  const k = Math.min(t.syx.rows, t.syx.cols, nh);
  const a = Array.isArray(a0) ? a0 : Array(k).fill(a0);
  return balancedWeights(lambda, a, completeBasis(U!), completeBasis(V!), randomOrthogonal(nh, deriveRng(seed, 'R')));
}

/** Random (unaligned) λ-balanced weights. */
export function randomWeights(ni: number, nh: number, no: number, lambda: number, scale = 0.3, seed = 3): { W1: Matrix64; W2: Matrix64 } {
  const rng = deriveRng(seed, 'w');
  const a = Array.from({ length: Math.min(ni, nh, no) }, () => scale * (0.5 + rng.uniform()));
  return balancedWeights(lambda, a, randomOrthogonal(no, rng), randomOrthogonal(ni, rng), randomOrthogonal(nh, rng));
}

/** ũ_αᵀ M ṽ_α for each task mode α. */
export function taskModes(t: LinearTask, M: Matrix64): number[] {
  const { U, V, s } = svd(t.syx, { vectors: true });
  const P = matmul(matmul(transpose(U!), M), V!);
  return Array.from(s, (_, a) => P.data[a * P.cols + a]);
}
