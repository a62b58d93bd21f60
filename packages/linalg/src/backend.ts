/**
 * Which implementation computes `svd`/`symEig`: eigenflow's WebAssembly kernels ('wasm', always
 * there) or the system LAPACK through koffi ('lapack', optional). 'auto' (the default) takes
 * LAPACK when it loads and the matrix is large enough for it to pay, else wasm.
 *
 * Chosen per call: the `backend` option, else EIGENFLOW_LINALG_BACKEND, else 'auto'. Each call
 * that uses LAPACK opens the library and closes it at its end, unless the caller passes a handle
 * it owns (`lapack: openLapack().lib`, for many small calls: opening costs about 2 ms here).
 */
import { linalgThreads } from './threads.ts';
import { LAPACK_INSTALL_HINT, openLapack, type LapackLibrary } from './lapackLibrary.ts';
import { LapackConvergenceError } from './lapackDecompositions.ts';
import { LAPACK_MIN_ENTRIES, LAPACK_MIN_ENTRIES_OPEN } from './constants.ts';

export type LinalgBackend = 'auto' | 'wasm' | 'lapack';
const BACKENDS: readonly LinalgBackend[] = ['auto', 'wasm', 'lapack'];

export interface BackendOptions {
  /** 'auto' (default: EIGENFLOW_LINALG_BACKEND, else 'auto'), 'wasm' or 'lapack'. */
  backend?: LinalgBackend;
  /** An open LAPACK library the caller owns (and closes); default: opened for this call. */
  lapack?: LapackLibrary;
  threads?: number;
  vectors?: boolean;
}

export function linalgBackend(requested?: string, env: NodeJS.ProcessEnv = process.env): LinalgBackend {
  const fromEnv = env.EIGENFLOW_LINALG_BACKEND;
  const pick = requested ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : 'auto');
  if (!(BACKENDS as readonly string[]).includes(pick)) {
    const source = requested !== undefined ? 'backend' : 'EIGENFLOW_LINALG_BACKEND';
    throw new Error(`linalg: ${source} must be one of ${BACKENDS.join(', ')} but got '${pick}'`);
  }
  return pick as LinalgBackend;
}

/**
 * Runs `lapack` or `wasm` as the backend choice says. `name` ('svd'/'symEig') starts error
 * messages; `entries` is the matrix size compared with the crossover. A LAPACK convergence
 * failure falls back to wasm with a process warning saying so.
 */
export function runOnBackend<T>(
  name: 'svd' | 'symEig', entries: number, opts: BackendOptions,
  lapack: (lib: LapackLibrary, threads: number) => T, wasm: () => T,
): T {
  const backend = linalgBackend(opts.backend);
  if (backend === 'wasm') return wasm();
  const minimum = opts.lapack ? LAPACK_MIN_ENTRIES_OPEN : LAPACK_MIN_ENTRIES[opts.vectors ? (`${name}Vectors` as const) : name];
  if (backend === 'auto' && entries < minimum) return wasm();
  const opened = opts.lapack ? null : openLapack();
  if (opened && !opened.ok) {
    if (backend === 'lapack') throw new Error(`${name}: backend 'lapack' is not available: ${opened.reason}; ${LAPACK_INSTALL_HINT}`);
    return wasm();
  }
  const lib = opts.lapack ?? (opened as { lib: LapackLibrary }).lib;
  try {
    return lapack(lib, linalgThreads(opts.threads));
  } catch (e) {
    if (!(e instanceof LapackConvergenceError)) throw e;
    process.emitWarning(`${e.message} (library ${lib.path}); computing it again with eigenflow's WebAssembly path`, 'LapackWarning');
    return wasm();
  } finally {
    if (opened) lib.close();
  }
}

/** A sentence for manifests: which backend the current settings select and which library it loads. */
export function describeBackend(wasmMethod: string, env: NodeJS.ProcessEnv = process.env): string {
  let backend: LinalgBackend;
  try { backend = linalgBackend(undefined, env); } catch (e) { return `${wasmMethod} (${(e as Error).message})`; }
  if (backend === 'wasm') return `backend wasm: ${wasmMethod}`;
  let opened;
  try { opened = openLapack(env); } catch (e) { return `backend ${backend}: LAPACK unusable: ${(e as Error).message}`; }
  if (!opened.ok) {
    return backend === 'lapack' ? `backend lapack: not available (${opened.reason})` : `backend auto: ${wasmMethod} (LAPACK not used: ${opened.reason})`;
  }
  const path = opened.lib.path;
  opened.lib.close();
  const lapack = `LAPACK dgesdd (svd) and dsyevd (symEig) (${path})`;
  return backend === 'lapack'
    ? `backend lapack: ${lapack}`
    : `backend auto: ${lapack} from ${LAPACK_MIN_ENTRIES.svd} matrix entries (${LAPACK_MIN_ENTRIES.svdVectors} with vectors), else ${wasmMethod}`;
}
