/**
 * The precision rule at edges. A `matrix` port declares the precision its node computes in:
 * `float32` (a rank-2 tf tensor, the default) or `float64` (a CPU `Matrix64`). Any two matrix
 * ports connect; when the value on an edge is not in the precision the consumer asked for, the
 * engine converts it here, once per value and precision, and owns the copy like any other value.
 * See docs/architecture.md.
 */
import * as tf from '@tensorflow/tfjs';
import type { PortSpec, Precision } from '../node.ts';
import type { Matrix64 } from '@eigenflow/linalg';

/** Read a rank-2 tensor into float64 (synchronously). */
export function fromTensor(t: tf.Tensor): Matrix64 {
  if (t.rank !== 2) throw new Error(`fromTensor: expected a rank-2 tensor, got shape [${t.shape}]`);
  return { rows: t.shape[0]!, cols: t.shape[1]!, data: Float64Array.from(t.dataSync() as Float32Array) };
}

/** A float32 tensor with the matrix's values (the caller owns it). */
export function toTensor(m: Matrix64): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]);
}

export function isMatrix64(v: unknown): v is Matrix64 {
  return v !== null && typeof v === 'object' && (v as Matrix64).data instanceof Float64Array
    && Number.isInteger((v as Matrix64).rows) && Number.isInteger((v as Matrix64).cols);
}

/**
 * The representation a port asks for: a `matrix` port its `precision` (default float32); a
 * `tensor` port float32 (a float64 matrix wired into a tensor port arrives as a tensor). Other
 * port types are never converted (null).
 */
export function portPrecision(spec: PortSpec): Precision | null {
  if (spec.type === 'matrix') return spec.precision ?? 'float32';
  if (spec.type === 'tensor') return 'float32';
  return null;
}

/** The precision a value is in: a rank-2 tensor is float32, a `Matrix64` float64, anything else null. */
export function precisionOf(value: unknown): Precision | null {
  if (value instanceof tf.Tensor) return value.rank === 2 ? 'float32' : null;
  return isMatrix64(value) ? 'float64' : null;
}

/** Whether `value` must be converted before a port asking for `want` receives it. */
export function needsConversion(value: unknown, want: Precision | null): want is Precision {
  const have = precisionOf(value);
  return want !== null && have !== null && have !== want;
}

/**
 * `value` in precision `want`: a new float32 tensor (the caller owns it) or a new `Matrix64`.
 * Only call when `needsConversion(value, want)`.
 */
export function convertMatrix(value: unknown, want: Precision): tf.Tensor2D | Matrix64 {
  if (want === 'float64') return fromTensor(value as tf.Tensor2D);
  return toTensor(value as Matrix64);
}
