/** Shared by the probes: representation blocks from either weights or a QQᵀ matrix. */
import { argError } from '../../src/check.ts';
import { matmul, matrix64, transpose, type Matrix64, symEig, frobDot, frobNorm } from '@eigenflow/linalg';
import { networkFunction, type LinearWeights } from './linearInternals.ts';
import { qqtBlocks } from './riccatiInternals.ts';

export interface Reps { input: Matrix64; fn: Matrix64; output: Matrix64 }

/** W1ᵀW1, W2W1, W2W2ᵀ from a snapshot or from QQᵀ (ni needed to split it). */
export function repsOf(type: string, inputs: { weights?: LinearWeights; qq?: Matrix64 }, ni: number | undefined): Reps {
  if (inputs.weights) {
    const w = inputs.weights;
    return { input: matmul(transpose(w.W1), w.W1), fn: networkFunction(w), output: matmul(w.W2, transpose(w.W2)) };
  }
  if (inputs.qq) {
    if (ni === undefined) throw argError(type, 'task', 'be wired with a qq input (qq needs the task to know ni)', 'nothing');
    return qqtBlocks(inputs.qq, ni);
  }
  throw argError(type, 'weights or qq', 'be wired (a weights snapshot or a qq matrix)', 'neither');
}

/** Cosine similarity ⟨A, B⟩_F / (‖A‖‖B‖). */
export function cosine(a: Matrix64, b: Matrix64): number {
  return frobDot(a, b) / Math.max(frobNorm(a) * frobNorm(b), 1e-300);
}

/** Kronecker product A ⊗ B. */
export function kron(a: Matrix64, b: Matrix64): Matrix64 {
  const out = matrix64(a.rows * b.rows, a.cols * b.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) {
    const x = a.data[i * a.cols + j];
    if (x === 0) continue;
    for (let k = 0; k < b.rows; k++) for (let l = 0; l < b.cols; l++) out.data[(i * b.rows + k) * out.cols + j * b.cols + l] = x * b.data[k * b.cols + l];
  }
  return out;
}

/** Moore–Penrose pseudo-inverse of a symmetric PSD matrix (eigenvalues below rtol·max dropped). */
export function psdPinv(a: Matrix64, rtol = 1e-10): Matrix64 {
  const { values, vectors } = symEig(a, { vectors: true });
  const n = a.rows, out = matrix64(n, n), cut = rtol * Math.max(values[0] ?? 0, 0);
  for (let k = 0; k < n; k++) {
    if (!(values[k] > cut) || values[k] <= 0) continue;
    const inv = 1 / values[k];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] += inv * vectors!.data[i * n + k] * vectors!.data[j * n + k];
  }
  return out;
}
