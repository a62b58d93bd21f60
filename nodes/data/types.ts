/** Types of the `data` family (types only): the sparse input distribution and its CSR batches. */

/** The input distribution, as it travels on a `sparseFeatures` port. */
export interface SparseFeatures {
  readonly n: number;
  readonly p: number;
  readonly lo: number;
  readonly hi: number;
}

/** A batch in CSR form: row b holds entries rowPtr[b] .. rowPtr[b+1]−1, columns ascending. */
export interface CsrBatch {
  readonly rows: number;
  readonly n: number;
  readonly nnz: number;
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float32Array;
}

declare module '../../src/node.ts' {
  interface PortTypes {
    sparseFeatures: SparseFeatures;
  }
}
