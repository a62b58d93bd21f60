/** Task construction shared by the task nodes. */
import { matmul, matrix64, transpose, type Matrix64, diag, randomOrthogonal } from '@eigenflow/linalg';
import { makeTask, type LinearTask } from './linearInternals.ts';

/** Default spectrum: k values geometric from 3 down to 0.5. */
export function defaultSpectrum(k: number): number[] {
  return Array.from({ length: k }, (_, a) => (k === 1 ? 3 : 3 * Math.pow(0.5 / 3, a / (k - 1))));
}

/** ni × P inputs with XXᵀ/P = I exactly (√P times ni orthonormal rows of a random P×P rotation). */
export function whitenedInputs(ni: number, P: number, rng: { normal(): number }): Matrix64 {
  if (P < ni) throw new Error(`whitened inputs need at least ni samples (got P=${P}, ni=${ni})`);
  const O = randomOrthogonal(P, rng);
  const X = matrix64(ni, P, O.data.subarray(0, ni * P));
  for (let i = 0; i < X.data.length; i++) X.data[i] *= Math.sqrt(P);
  return X;
}

/** Σyx = Ũ·diag(s)·Ṽᵀ with Haar-random Ũ (no×no), Ṽ (ni×ni). */
export function randomSyx(ni: number, no: number, s: readonly number[], rng: { normal(): number }): Matrix64 {
  return matmul(matmul(randomOrthogonal(no, rng), diag(s, no, ni)), transpose(randomOrthogonal(ni, rng)));
}

/**
 * A regression task Y = ΣyxX + N on whitened X, where N (entries of std `noise`, then projected
 * off the row space of X) leaves YXᵀ/P = Σyx exact and sets a loss floor ½‖N‖²/P > 0.
 */
export function regressionTask(name: string, X: Matrix64, syx: Matrix64, noise = 0, rng?: { normal(): number }): LinearTask {
  const Y = matmul(syx, X);
  if (noise > 0 && rng) {
    const P = X.cols;
    const N = matrix64(Y.rows, P);
    for (let i = 0; i < N.data.length; i++) N.data[i] = noise * rng.normal();
    const proj = matmul(matmul(N, transpose(X)), X); // N Xᵀ X = P · (projection of N on rows of X)
    for (let i = 0; i < N.data.length; i++) Y.data[i] += N.data[i] - proj.data[i] / P;
  }
  return makeTask(name, X, Y);
}

/**
 * The hierarchical semantic task of Saxe et al. (2019): 8 items (canary, robin, salmon, sunfish,
 * oak, pine, rose, daisy) and 15 features from a binary tree — living thing (all), animal/plant,
 * bird/fish/tree/flower, and one feature per item. Returns the 15 × 8 feature matrix.
 */
export function semanticFeatures(): Matrix64 {
  const Y = matrix64(15, 8);
  let row = 0;
  for (const width of [8, 4, 2, 1]) {
    for (let g = 0; g < 8 / width; g++, row++) for (let j = g * width; j < (g + 1) * width; j++) Y.data[row * 8 + j] = 1;
  }
  return Y;
}
