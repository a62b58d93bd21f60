/** Checks shared by the exact-solution nodes. */
import { argError } from '../../src/check.ts';
import { frobNorm } from '@eigenflow/linalg';
import { isWhitened, lambdaStar, type LinearTask, type LinearWeights } from './linearInternals.ts';

/** λ of weights that must be λ-balanced: throws when ‖B − λ*I‖ is not rounding-small. */
export function requireBalanced(type: string, w: LinearWeights, tol = 1e-8): number {
  const { lambda, distance, B } = lambdaStar(w);
  if (distance > tol * Math.max(1, frobNorm(B))) {
    throw argError(type, 'weights', 'be λ-balanced (the closed form needs W2ᵀW2 − W1W1ᵀ = λI)', `weights that are not λ-balanced: ‖B − λ*I‖_F = ${distance.toExponential(3)} with λ* = ${lambda.toPrecision(6)}`);
  }
  return lambda;
}

export function requireWhitened(type: string, task: LinearTask): void {
  if (!isWhitened(task, 1e-8)) throw argError(type, 'task', 'have whitened inputs (Σxx = I), which the closed form assumes', `task '${task.name}' with Σxx ≠ I`);
}
