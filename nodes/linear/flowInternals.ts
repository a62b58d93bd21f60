/**
 * Numerical gradient flow: an adaptive Dormand–Prince 5(4) integrator on a flat float64 state,
 * and the deep-linear gradient-flow vector field τẆ1 = W2ᵀ(Σyx − W2W1Σxx),
 * τẆ2 = (Σyx − W2W1Σxx)W1ᵀ (τ = 1). This is the ground truth the closed forms are tested against.
 */
import { matmul, matrix64, transpose, type Matrix64, sub } from '@eigenflow/linalg';

export type VectorField = (t: number, y: Float64Array) => Float64Array;

const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
const A = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
const B4 = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

/**
 * Integrate y' = f(t, y) from t0 to each time in `times` (ascending), returning the states there.
 * Error per step is kept below atol + rtol·|y| (max norm).
 */
export function integrate(f: VectorField, y0: Float64Array, t0: number, times: readonly number[], opts: { rtol?: number; atol?: number; maxSteps?: number } = {}): Float64Array[] {
  const rtol = opts.rtol ?? 1e-10, atol = opts.atol ?? 1e-12, maxSteps = opts.maxSteps ?? 1e6;
  const n = y0.length;
  let y: Float64Array = Float64Array.from(y0), t = t0;
  let h = 1e-3;
  const out: Float64Array[] = [];
  const k: Float64Array[] = Array.from({ length: 7 }, () => new Float64Array(n));
  const tmp = new Float64Array(n);
  let steps = 0;
  for (const target of times) {
    while (t < target) {
      if (++steps > maxSteps) throw new Error(`integrate: more than ${maxSteps} steps before t=${target}`);
      const hh = Math.min(h, target - t);
      k[0] = f(t, y);
      for (let s = 1; s < 7; s++) {
        for (let i = 0; i < n; i++) {
          let acc = y[i];
          for (let j = 0; j < s; j++) acc += hh * A[s][j] * k[j][i];
          tmp[i] = acc;
        }
        k[s] = f(t + C[s] * hh, tmp);
      }
      let err = 0;
      const y5 = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let a5 = y[i], a4 = y[i];
        for (let j = 0; j < 7; j++) { a5 += hh * B5[j] * k[j][i]; a4 += hh * B4[j] * k[j][i]; }
        y5[i] = a5;
        err = Math.max(err, Math.abs(a5 - a4) / (atol + rtol * Math.max(Math.abs(a5), Math.abs(y[i]))));
      }
      if (err <= 1 || hh < 1e-14) { t += hh; y = y5; }
      h = hh * Math.min(5, Math.max(0.2, 0.9 * Math.pow(err || 1e-10, -0.2)));
    }
    out.push(Float64Array.from(y));
  }
  return out;
}

/** Pack (W1, W2) into one state vector and back. */
export function packWeights(W1: Matrix64, W2: Matrix64): Float64Array {
  const y = new Float64Array(W1.data.length + W2.data.length);
  y.set(W1.data, 0); y.set(W2.data, W1.data.length);
  return y;
}
export function unpackWeights(y: Float64Array, nh: number, ni: number, no: number): { W1: Matrix64; W2: Matrix64 } {
  return { W1: matrix64(nh, ni, y.subarray(0, nh * ni)), W2: matrix64(no, nh, y.subarray(nh * ni)) };
}

/** The deep-linear gradient-flow field for a task (τ = 1). */
export function linearFlowField(syx: Matrix64, sxx: Matrix64, nh: number): VectorField {
  const ni = sxx.rows, no = syx.rows;
  return (_t, y) => {
    const { W1, W2 } = unpackWeights(y, nh, ni, no);
    const E = sub(syx, matmul(matmul(W2, W1), sxx));
    return packWeights(matmul(transpose(W2), E), matmul(E, transpose(W1)));
  };
}

/** Integrate the deep-linear flow from (W1, W2) and return the weights at each time. */
export function linearFlow(W1: Matrix64, W2: Matrix64, syx: Matrix64, sxx: Matrix64, times: readonly number[], opts?: { rtol?: number; atol?: number }): { W1: Matrix64; W2: Matrix64 }[] {
  const nh = W1.rows, ni = W1.cols, no = W2.rows;
  return integrate(linearFlowField(syx, sxx, nh), packWeights(W1, W2), 0, times, opts).map((y) => unpackWeights(y, nh, ni, no));
}
