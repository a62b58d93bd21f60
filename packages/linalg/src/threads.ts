/**
 * Worker threads for the row loops of the Householder reductions: each step's trailing-matrix
 * update is split into contiguous row slices, one per thread, all running the same WebAssembly
 * kernel on one shared memory. The calling thread takes the first slice and waits (Atomics) for
 * the others, so `svd`/`symEig` stay synchronous.
 *
 * A team belongs to one reduction: it is started for that call and stopped at its end, so two
 * analyses running at once never share workers or buffers. Thread count: `threads` option, else
 * EIGENFLOW_LINALG_THREADS, else `os.availableParallelism()`.
 *
 * Each worker writes its partial sums (the next step's P or y) into its own vector; the caller
 * adds them up after the step, so the result does not depend on timing.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Kernels } from './wasmKernel.ts';
import { SPLIT_MIN_WORK } from './constants.ts';
import {
  CLAIM, CLOSED, CONTROL_BYTES, DONE, FLOATS, GEMM, GEN, INTS, KIND, REFL, ROWS, SLICE, SPIN, STOP, SWEEP, TRI,
  runSlice, type WorkerData,
} from './threadSlice.js';

/** A helper runs threadWorker.js (plain JavaScript: no loader needed, from the sources or compiled). */
const WORKER_URL = new URL('./threadWorker.js', import.meta.url);

export interface ReduceOptions {
  /** false: the TypeScript loops (the reference path). Default: SIMD kernels from 64×64. */
  wasm?: boolean;
  /** Threads for large matrices (default EIGENFLOW_LINALG_THREADS, else every core). */
  threads?: number;
  /** true: leave the input as it is (the caller needs only the reduced form's diagonals, not the reflectors). */
  readOnly?: boolean;
}


/** Threads for one large reduction: explicit request, else EIGENFLOW_LINALG_THREADS, else every core. */
export function linalgThreads(requested?: number): number {
  const env = process.env.EIGENFLOW_LINALG_THREADS;
  const pick = requested ?? (env !== undefined && env !== '' ? Number(env) : availableParallelism());
  if (!(Number.isInteger(pick) && pick >= 1)) {
    const source = requested !== undefined ? 'threads' : 'EIGENFLOW_LINALG_THREADS';
    throw new Error(`linalg: ${source} must be a positive integer but got ${requested ?? env}`);
  }
  return pick;
}

/** One slice of one step is at most a few seconds of work even for the largest matrices. */
const HELPER_TIMEOUT_MS = 300_000;

export interface Team {
  /** Threads including the caller's. */
  readonly size: number;
  /** Byte offsets (in the shared memory) of each helper's partial-sum vector: helper t = 1..size−1 at [t − 1]. */
  readonly partials: readonly number[];
  /** Slices the calling thread ran itself because their helper had not started them (still booting, or descheduled). */
  readonly takenOver: number;
  /**
   * Run `rows` (bidiagonalisation step) over rows given by `bounds` (size + 1 increasing row
   * indices); slice 0 is run by the caller with its own `p`. Returns when every slice is done.
   */
  rows(run0: () => void, bounds: number[], a: number, n: number, k: number, w: number, u: number, tl: number, tr: number, scale: number): void;
  /** Run `tri` (tridiagonalisation step) likewise. */
  tri(run0: () => void, bounds: number[], a: number, n: number, lo: number, v: number, w: number, vn: number): void;
  /**
   * `gemm` (C += α·A·B) on rows bounds[t]..bounds[t+1]−1 of C; helper t packs into
   * pack + t·GEMM_PACK_BYTES (the caller's slice 0 uses pack itself).
   */
  gemm(run0: () => void, bounds: number[], c: number, ldc: number, a: number, lda: number, b: number, ldb: number, n: number, k: number, alpha: number, pack: number): void;
  /** `refl` on rows bounds[t]..bounds[t+1]−1 of the matrix at `base` (row t's first entry at base + t·stride). */
  refl(run0: () => void, bounds: number[], base: number, stride: number, len: number, v: number, tau: number): void;
  /**
   * A sequence of `count` rotations with cosines/sines at byte offsets cs/sn: of rows (i, i + 1),
   * i = row0 + j, or with `down` of rows (i + 1, i), i = row0 − j; each thread on its column range
   * bounds[t]..bounds[t+1]−1.
   */
  sweep(run0: () => void, bounds: number[], x: number, stride: number, row0: number, count: number, cs: number, sn: number, down: boolean): void;
  /** Stop the helpers (always call, in a finally). */
  close(): void;
}

/**
 * Start size − 1 helper threads on `memory`; `partials[t − 1]` is the byte offset of helper t's
 * partial-sum vector (the caller allocates them in the same memory).
 */
export function startTeam(module: WebAssembly.Module, memory: WebAssembly.Memory, size: number, partials: number[] = []): Team {
  if (size > 120) throw new Error(`linalg: at most 120 threads but got ${size}`);
  partials = partials.length ? partials : new Array(size - 1).fill(0);
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const I = new Int32Array(control), F = new Float64Array(control), M = new Float64Array(memory.buffer);
  const workers = partials.slice(0, size - 1).map((partial, t) => new Worker(WORKER_URL, {
    execArgv: [], workerData: { module, memory, control, index: t + 1, partial } satisfies WorkerData,
  }));
  for (const w of workers) w.unref();
  const helpers = workers.length;
  // The calling thread's own kernels, for slices it takes over (a helper still starting up, or
  // descheduled): starting a worker takes ~20 ms, longer than many whole reductions' steps.
  const local = new WebAssembly.Instance(module, { env: { mem: memory } }).exports as unknown as Kernels;
  let takenOver = 0;

  const go = (kind: number, bounds: number[], run0: () => void) => {
    for (let t = 1; t <= helpers; t++) { I[SLICE + 2 * t] = bounds[t]; I[SLICE + 2 * t + 1] = bounds[t + 1]; }
    I[KIND] = kind;
    Atomics.store(I, DONE, 0);
    const gen = Atomics.add(I, GEN, 1) + 1;
    Atomics.notify(I, GEN);
    run0();
    for (let t = 1; t <= helpers; t++) {
      if (Atomics.compareExchange(I, CLAIM + t, gen - 1, gen) !== gen - 1) continue; // a helper has it
      runSlice(local, I, F, M, t, partials[t - 1]);
      takenOver++;
      Atomics.add(I, DONE, 1);
    }
    for (let s = 0; s < SPIN && Atomics.load(I, DONE) !== helpers; s++);
    const start = Date.now();
    for (;;) {
      const done = Atomics.load(I, DONE);
      if (done === helpers) break;
      // A helper that died (out of memory, killed) never answers: fail instead of hanging.
      if (Date.now() - start > HELPER_TIMEOUT_MS) {
        throw new Error(`linalg: a worker thread did not finish its slice within ${HELPER_TIMEOUT_MS / 1000} s (EIGENFLOW_LINALG_THREADS=1 runs on the calling thread only)`);
      }
      Atomics.wait(I, DONE, done, 1000);
    }
  };
  return {
    size: helpers + 1,
    partials,
    get takenOver() { return takenOver; },
    rows(run0, bounds, a, n, k, w, u, tl, tr, scale) {
      I[INTS] = a; I[INTS + 1] = n; I[INTS + 2] = k; I[INTS + 3] = w; I[INTS + 4] = u;
      F[FLOATS] = tl; F[FLOATS + 1] = tr; F[FLOATS + 2] = scale;
      go(ROWS, bounds, run0);
    },
    tri(run0, bounds, a, n, lo, v, w, vn) {
      I[INTS] = a; I[INTS + 1] = n; I[INTS + 2] = lo; I[INTS + 3] = v; I[INTS + 4] = w; I[INTS + 5] = vn;
      go(TRI, bounds, run0);
    },
    gemm(run0, bounds, c, ldc, a, lda, b, ldb, n, k, alpha, pack) {
      I[INTS] = c; I[INTS + 1] = ldc; I[INTS + 2] = a; I[INTS + 3] = lda; I[INTS + 4] = b; I[INTS + 5] = ldb;
      I[INTS + 6] = n; I[INTS + 7] = k; I[INTS + 8] = pack; F[FLOATS] = alpha;
      go(GEMM, bounds, run0);
    },
    refl(run0, bounds, base, stride, len, v, tau) {
      I[INTS] = base; I[INTS + 1] = stride; I[INTS + 2] = len; I[INTS + 3] = v; F[FLOATS] = tau;
      go(REFL, bounds, run0);
    },
    sweep(run0, bounds, x, stride, row0, count, cs, sn, down) {
      I[INTS] = x; I[INTS + 1] = stride; I[INTS + 2] = row0; I[INTS + 3] = count; I[INTS + 4] = cs; I[INTS + 5] = sn; I[INTS + 6] = down ? 1 : 0;
      go(SWEEP, bounds, run0);
    },
    close() {
      // A helper still booting (the caller took its slices) reads CLOSED first and never waits.
      Atomics.store(I, CLOSED, 1);
      I[KIND] = STOP;
      Atomics.add(I, GEN, 1);
      Atomics.notify(I, GEN);
    },
  };
}

/** size + 1 row bounds splitting rows first..last−1 into slices of equal work, row i costing (i − first + 1)^power. */
export function splitRows(first: number, last: number, size: number, power: 0 | 1): number[] {
  const bounds = [first];
  const rows = last - first;
  for (let t = 1; t < size; t++) {
    const f = t / size; // fraction of the work before bound t
    const r = power === 0 ? f * rows : Math.sqrt(f) * rows; // ∫ x dx ∝ x²
    bounds.push(Math.min(last, Math.max(bounds[t - 1], first + Math.round(r))));
  }
  bounds.push(last);
  return bounds;
}


/**
 * Apply I − τ·v·vᵀ from the right to rows firstRow..lastRow−1 of the matrix whose row 0 (at the
 * first column touched) is at byte `base`, split across the team when large.
 */
export function reflRows(k: Kernels, team: Team | null, base: number, firstRow: number, lastRow: number, stride: number, len: number, v: number, tau: number): void {
  const rows = lastRow - firstRow;
  if (!team || rows * len < SPLIT_MIN_WORK || rows < team.size) { k.refl(base + firstRow * stride, rows, stride, len, v, tau); return; }
  const b = splitRows(firstRow, lastRow, team.size, 0);
  team.refl(() => k.refl(base + b[0] * stride, b[1] - b[0], stride, len, v, tau), b, base, stride, len, v, tau);
}

/**
 * `count` rotations (cosines cs[j], sines sn[j], arrays in the kernels' memory) of rows (i, i+1),
 * i = row0 + j, or with `down` of rows (i+1, i), i = row0 − j, over `cols` columns of the matrix
 * at byte x: column slices across the team when large (each slice takes the whole sequence).
 */
export function sweepRows(k: Kernels, team: Team | null, x: number, stride: number, cols: number, row0: number, count: number, cs: Float64Array, sn: Float64Array, down: boolean): void {
  const serial = (lo: number, hi: number) => {
    for (let j = 0; j < count; j++) {
      const i = down ? row0 - j : row0 + j;
      const p = x + (down ? i + 1 : i) * stride + lo * 8, q = x + (down ? i : i + 1) * stride + lo * 8;
      k.rot(p, q, hi - lo, cs[j], sn[j]);
    }
  };
  if (!team || count * cols < SPLIT_MIN_WORK || cols < 16 * team.size) { serial(0, cols); return; }
  const b = splitRows(0, cols, team.size, 0);
  team.sweep(() => serial(b[0], b[1]), b, x, stride, row0, count, cs.byteOffset, sn.byteOffset, down);
}

/**
 * Optional vector workspace for formUt / formVt / formQt: the output and a scratch vector in the
 * kernels' memory, and helper threads for large matrices.
 */
export interface VectorWork { k: Kernels; out: Float64Array; scratch: Float64Array; team?: Team | null }

/**
 * Rotation workspace for the QR/QL iterations with vectors: the kernels, helper threads, and four
 * length-n arrays in the kernels' memory where a sweep's cosines and sines are collected, so the
 * sweep is applied to the vector rows afterwards in column slices (cache-friendly, and split
 * across threads) rather than one rotation at a time.
 */
export interface RotationWork { k: Kernels; team: Team | null; cs: Float64Array; sn: Float64Array; cs2: Float64Array; sn2: Float64Array }
