/** Types of threadSlice.js (plain JavaScript so that worker threads load it without a TypeScript loader). */
import type { Kernels } from './wasmKernel.js';

export declare const GEN: number, KIND: number, DONE: number, INTS: number;
export declare const CLOSED: number, SLICE: number, CLAIM: number, FLOATS: number, CONTROL_BYTES: number;
export declare const STOP: number, ROWS: number, TRI: number, REFL: number, SWEEP: number, GEMM: number;
/** Bytes of packing scratch each thread's `gemm` kernel needs (one KC×NC block of B, 256×64 entries). */
export declare const GEMM_PACK_BYTES: number;
/** Polls of the control block before a helper sleeps on it. */
export declare const SPIN: number;

/** What each helper thread is started with (threadWorker.js reads it). */
export interface WorkerData {
  module: WebAssembly.Module; memory: WebAssembly.Memory; control: SharedArrayBuffer;
  /** The helper's slice index t (1 … size − 1). */
  index: number;
  /** Byte offset of its partial-sum vector in the memory. */
  partial: number;
}

/**
 * Run slice t of the job in the control block (I, F: its Int32 and Float64 views) with kernels `k`
 * on memory M (partial: the byte offset of slice t's partial-sum vector).
 */
export declare function runSlice(k: Kernels, I: Int32Array, F: Float64Array, M: Float64Array, t: number, partial: number): void;
