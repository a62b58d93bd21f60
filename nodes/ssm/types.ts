/** Types of the `ssm` family (types only): the state-space model that travels on `ssm` ports. */
import type { Matrix64 } from '@eigenflow/linalg';

export type SsmKind = 'dense' | 'diagonal' | 'dplr';

/** A single-input single-output SSM: `A` for kind = dense, the structure (`lambda` or `p`, `shift`) otherwise. */
export interface SsmSystem {
  kind: SsmKind;
  n: number;
  /** kind = dense: the n×n state matrix (`denseMatrix` builds it for the other kinds). */
  A?: Matrix64;
  /** kind = diagonal: the diagonal of A; kind = dplr: the diagonal part (else shift·I). */
  lambda?: Float64Array;
  /** kind = dplr: A = shift·I + p pᵀ, or diag(lambda) + p pᵀ when `lambda` is set. */
  p?: Float64Array;
  shift?: number;
  B: Float64Array;
  C: Float64Array;
  D: number;
}

declare module '../../src/node.ts' {
  interface PortTypes {
    /** A single-input single-output linear state-space model (float64, CPU). */
    ssm: SsmSystem;
  }
}
