/**
 * Float64 core of the linear-network family: the task and weight types that travel between
 * nodes, losses, gradients (deep linear, shallow, ReLU, Tanh two-layer nets) and the balance
 * computation B = W2ᵀW2 − W1W1ᵀ. Time is measured in units of τ: GD step k with learning rate
 * η sits at t = k·η, and the gradient flow is τẆ1 = W2ᵀ(Σyx − W2W1Σxx), τẆ2 = (Σyx − W2W1Σxx)W1ᵀ.
 */
import { identity, matmul, matrix64, transpose, type Matrix64, addScaled, frobDot, sub, trace } from '@eigenflow/linalg';
import { ACTIVATION_GRADS, ACTIVATIONS } from '../../src/ops/activations.ts';

import type { LinearModel, LinearTask, LinearWeights } from './types.ts';

export type { LinearModel, LinearTask, LinearWeights } from './types.ts';

export function makeTask(name: string, X: Matrix64, Y: Matrix64): LinearTask {
  if (X.cols !== Y.cols) throw new Error(`task ${name}: X has ${X.cols} samples but Y has ${Y.cols}`);
  const P = X.cols, Xt = transpose(X);
  const inv = 1 / P;
  const sxx = matmul(X, Xt), syx = matmul(Y, Xt);
  for (let i = 0; i < sxx.data.length; i++) sxx.data[i] *= inv;
  for (let i = 0; i < syx.data.length; i++) syx.data[i] *= inv;
  let yy = 0;
  for (const y of Y.data) yy += y * y;
  return { name, X, Y, sxx, syx, trSyy: yy * inv };
}

/** True when XXᵀ/P = I to `tol`. */
export function isWhitened(task: LinearTask, tol = 1e-9): boolean {
  const n = task.sxx.rows;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (Math.abs(task.sxx.data[i * n + j] - (i === j ? 1 : 0)) > tol) return false;
  }
  return true;
}

/** The network function W2W1 of a linear (deep or shallow) network. */
export function networkFunction(w: Pick<LinearWeights, 'W1' | 'W2'>): Matrix64 {
  return matmul(w.W2, w.W1);
}

/**
 * L = (1/2P)‖ŴX − Y‖² = ½Tr(ŴΣxxŴᵀ) − Tr(ŴΣyxᵀ) + ½Tr(Σyy) for a linear map Ŵ. Evaluated from
 * the residual on the data, so that a loss near its floor keeps its relative precision.
 */
export function linearLoss(W: Matrix64, task: LinearTask): number {
  return dataLoss(W, task);
}

/** The same from the correlations only (cancels near the optimum; for checks). */
export function correlationLoss(W: Matrix64, task: LinearTask): number {
  return 0.5 * frobDot(matmul(W, task.sxx), W) - frobDot(W, task.syx) + 0.5 * task.trSyy;
}


/** Hidden pre-activations H = W1X and activations φ(H) for a nonlinear net. */
function forwardNonlinear(w: LinearWeights, X: Matrix64): { H: Matrix64; A: Matrix64 } {
  const H = matmul(w.W1, X);
  const f = w.model === 'relu' ? ACTIVATIONS.relu : ACTIVATIONS.tanh;
  const A = matrix64(H.rows, H.cols, H.data.map(f));
  return { H, A };
}

/** (1/2P)‖ŴX − Y‖² computed from the residual itself (no cancellation near the optimum). */
export function dataLoss(W: Matrix64, task: LinearTask): number {
  const R = sub(matmul(W, task.X), task.Y);
  let s = 0;
  for (const r of R.data) s += r * r;
  return s / (2 * task.X.cols);
}

/** Full-batch loss of any model on a task. */
export function modelLoss(w: LinearWeights, task: LinearTask): number {
  if (w.model === 'deep' || w.model === 'shallow') return dataLoss(networkFunction(w), task);
  const { A } = forwardNonlinear(w, task.X);
  const R = sub(matmul(w.W2, A), task.Y);
  let s = 0;
  for (const r of R.data) s += r * r;
  return s / (2 * task.X.cols);
}

/** Gradients (dL/dW1, dL/dW2) of the full-batch loss; dW1 is zero-sized for `shallow`. */
export function gradients(w: LinearWeights, task: LinearTask): { g1: Matrix64; g2: Matrix64 } {
  if (w.model === 'deep') {
    const E = sub(matmul(matmul(w.W2, w.W1), task.sxx), task.syx);
    return { g1: matmul(transpose(w.W2), E), g2: matmul(E, transpose(w.W1)) };
  }
  if (w.model === 'shallow') {
    return { g1: matrix64(0, 0), g2: sub(matmul(w.W2, task.sxx), task.syx) };
  }
  const P = task.X.cols;
  const { H, A } = forwardNonlinear(w, task.X);
  const E = sub(matmul(w.W2, A), task.Y);
  for (let i = 0; i < E.data.length; i++) E.data[i] /= P;
  const g2 = matmul(E, transpose(A));
  const D = matmul(transpose(w.W2), E);
  const fp = w.model === 'relu' ? ACTIVATION_GRADS.relu : ACTIVATION_GRADS.tanh;
  for (let i = 0; i < D.data.length; i++) D.data[i] *= fp(H.data[i]);
  return { g1: matmul(D, transpose(task.X)), g2 };
}

/** One full-batch GD step with learning rate lr (returns new weights). */
export function gdStep(w: LinearWeights, task: LinearTask, lr: number): LinearWeights {
  const { g1, g2 } = gradients(w, task);
  return {
    model: w.model,
    W1: w.model === 'shallow' ? w.W1 : addScaled(w.W1, g1, -lr),
    W2: addScaled(w.W2, g2, -lr),
    step: w.step + 1,
    t: w.t + lr,
  };
}

/** B = W2ᵀW2 − W1W1ᵀ (nh × nh). */
export function balance(w: Pick<LinearWeights, 'W1' | 'W2'>): Matrix64 {
  return sub(matmul(transpose(w.W2), w.W2), matmul(w.W1, transpose(w.W1)));
}

/** λ* = Tr(B)/nh, the λ of the closest λI to B, and ‖B − λ*I‖_F. */
export function lambdaStar(w: Pick<LinearWeights, 'W1' | 'W2'>): { lambda: number; distance: number; B: Matrix64 } {
  const B = balance(w);
  const n = B.rows, lambda = trace(B) / n;
  const D = addScaled(B, identity(n), -lambda);
  let s = 0;
  for (const x of D.data) s += x * x;
  return { lambda, distance: Math.sqrt(s), B };
}

export function weights(model: LinearModel, W1: Matrix64, W2: Matrix64): LinearWeights {
  return { model, W1, W2, step: 0, t: 0 };
}

/** QQᵀ with Q = [W1ᵀ; W2]: [[W1ᵀW1, W1ᵀW2ᵀ], [W2W1, W2W2ᵀ]] ((ni+no) square). */
export function qqt(w: Pick<LinearWeights, 'W1' | 'W2'>): Matrix64 {
  const Q = stackQ(w);
  return matmul(Q, transpose(Q));
}

export function stackQ(w: Pick<LinearWeights, 'W1' | 'W2'>): Matrix64 {
  const W1t = transpose(w.W1);
  const Q = matrix64(W1t.rows + w.W2.rows, W1t.cols);
  Q.data.set(W1t.data, 0);
  Q.data.set(w.W2.data, W1t.data.length);
  return Q;
}
