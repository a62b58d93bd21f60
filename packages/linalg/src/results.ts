/** What `svd` and `symEig` return, whichever backend computed it. */
import type { Matrix64 } from './matrix.ts';

export interface SvdResult {
  /** Singular values, descending, length min(rows, cols). */
  s: Float64Array;
  /** rows × k, orthonormal columns (only when vectors were requested). */
  U?: Matrix64;
  /** cols × k, orthonormal columns (only when vectors were requested). */
  V?: Matrix64;
}

export interface EigResult {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** n × n, column i is the eigenvector of values[i] (only when requested). */
  vectors?: Matrix64;
}
