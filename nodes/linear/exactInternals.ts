/** Checks shared by the exact-solution nodes. */
import { frobNorm } from '../../src/linalg/ops.ts';
import { isWhitened, lambdaStar, type LinearTask, type LinearWeights } from './linearInternals.ts';

/** λ of weights that must be λ-balanced: throws when ‖B − λ*I‖ is not rounding-small. */
export function requireBalanced(type: string, w: LinearWeights, tol = 1e-8): number {
  const { lambda, distance, B } = lambdaStar(w);
  if (distance > tol * Math.max(1, frobNorm(B))) {
    throw new Error(`${type}: initial weights are not λ-balanced (‖B − λ*I‖_F = ${distance.toExponential(3)} with λ* = ${lambda.toPrecision(6)}); the closed form needs W2ᵀW2 − W1W1ᵀ = λI`);
  }
  return lambda;
}

export function requireWhitened(type: string, task: LinearTask): void {
  if (!isWhitened(task, 1e-8)) throw new Error(`${type}: the closed form assumes whitened inputs (Σxx = I) but task '${task.name}' has Σxx ≠ I`);
}
