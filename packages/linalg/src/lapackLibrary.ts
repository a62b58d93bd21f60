/**
 * The system LAPACK (OpenBLAS, or any library exporting the Fortran `dgesdd_`/`dsyevd_`), called
 * through the optional FFI package `koffi`. Nothing here is required: without koffi or without a
 * library, `openLapack` says why and the caller stays on the WebAssembly path.
 *
 * No module-level state: a `LapackLibrary` is one dlopen of the library, owned by whoever opened
 * it and closed with `close()` (the dynamic linker counts references, so two open handles share
 * one loaded copy and closing one leaves the other working). koffi is loaded with `require` on
 * first use rather than `import`, because `svd`/`symEig` are synchronous; Node caches it like any
 * module.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** The part of koffi's API used here (declared locally so the type check passes without koffi). */
export interface KoffiLibrary {
  func(definition: string): (...args: unknown[]) => unknown;
  unload(): void;
}
export interface Koffi { load(path: string): KoffiLibrary }

/** Fortran LAPACK, LP64 (32-bit integers), with gfortran's hidden string lengths passed explicitly. */
export interface LapackLibrary {
  /** The file that was loaded: EIGENFLOW_LAPACK as given, else the found soname's full path where the platform says it. */
  readonly path: string;
  readonly dgesdd: (jobz: string, m: Int32Array, n: Int32Array, a: Float64Array, lda: Int32Array, s: Float64Array,
    u: Float64Array | null, ldu: Int32Array, vt: Float64Array | null, ldvt: Int32Array, work: Float64Array,
    lwork: Int32Array, iwork: Int32Array, info: Int32Array, jobzLen: number) => void;
  readonly dsyevd: (jobz: string, uplo: string, n: Int32Array, a: Float64Array, lda: Int32Array, w: Float64Array,
    work: Float64Array, lwork: Int32Array, iwork: Int32Array, liwork: Int32Array, info: Int32Array,
    jobzLen: number, uploLen: number) => void;
  /** Runs `fn` with the library's thread count set to `threads` (OpenBLAS only), then restores it. */
  withThreads<T>(threads: number, fn: () => T): T;
  /**
   * Another routine of the same library, from its C declaration in koffi's syntax (for example the
   * BLAS `void cblas_sgemm(int order, int transA, …)`), valid until `close()`; throws when the
   * library does not export it. How other callers reuse this loader.
   */
  func(definition: string): (...args: unknown[]) => unknown;
  close(): void;
}

export type LapackOpen = { ok: true; lib: LapackLibrary } | { ok: false; reason: string };

/** Names the dynamic linker is asked for, in order, when EIGENFLOW_LAPACK is not set. */
export function lapackCandidates(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') {
    return ['libopenblas.dylib', '/opt/homebrew/opt/openblas/lib/libopenblas.dylib', '/usr/local/opt/openblas/lib/libopenblas.dylib'];
  }
  if (platform === 'win32') return ['libopenblas.dll', 'openblas.dll'];
  // Debian/Ubuntu: libopenblas0-pthread gives libopenblas.so.0 (LAPACK inside) and liblapack.so.3
  // through alternatives; liblapack3 alone gives the reference liblapack.so.3 (correct, slower).
  return ['libopenblas.so.0', 'libopenblas.so', 'liblapack.so.3', 'liblapack.so', 'libflexiblas.so.3'];
}

export const LAPACK_INSTALL_HINT =
  'install the optional FFI package (`npm install koffi`) and a LAPACK library ' +
  '(Debian/Ubuntu: `apt-get install libopenblas0-pthread`; macOS: `brew install openblas`), ' +
  'or point EIGENFLOW_LAPACK at a shared library exporting dgesdd_ and dsyevd_';

export function loadKoffi(): Koffi | string {
  try {
    return createRequire(import.meta.url)('koffi') as Koffi;
  } catch (e) {
    return `the FFI package koffi is not installed or does not load (${(e as Error).message.split('\n')[0]})`;
  }
}

/**
 * Where the dynamic linker found `soname`: the mapped file whose directory also holds `soname`
 * resolving to it (Linux: /proc/self/maps). Falls back to the soname itself.
 */
function loadedPath(soname: string): string {
  if (soname.includes('/')) return resolve(soname);
  try {
    const mapped = new Set(readFileSync('/proc/self/maps', 'utf8').split('\n').map((l) => l.slice(l.indexOf('/'))).filter((p) => p.startsWith('/')));
    for (const file of mapped) {
      const candidate = join(dirname(file), soname);
      if (basename(file) === soname || (existsSync(candidate) && realpathSync(candidate) === realpathSync(file))) return candidate;
    }
  } catch { /* not Linux, or a file vanished: report the soname */ }
  return soname;
}

function bind(lib: KoffiLibrary, name: string): LapackLibrary {
  const dgesdd = lib.func('void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s, ' +
    'double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork, int *iwork, int *info, size_t jobzLen)');
  const dsyevd = lib.func('void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w, ' +
    'double *work, const int *lwork, int *iwork, const int *liwork, int *info, size_t jobzLen, size_t uploLen)');
  let setThreads: ((n: number) => unknown) | null = null, getThreads: (() => unknown) | null = null;
  try {
    setThreads = lib.func('void openblas_set_num_threads(int n)');
    getThreads = lib.func('int openblas_get_num_threads()');
  } catch { /* not OpenBLAS: the library decides its own threads */ }
  let path: string | undefined;
  return {
    // found on first request: reading the process's mappings costs about 0.3 ms, more than a small call
    get path() { return (path ??= loadedPath(name)); },
    dgesdd: dgesdd as LapackLibrary['dgesdd'],
    dsyevd: dsyevd as LapackLibrary['dsyevd'],
    withThreads(threads, fn) {
      if (!setThreads || !getThreads) return fn();
      const before = getThreads() as number;
      setThreads(threads);
      try { return fn(); } finally { setThreads(before); }
    },
    func: (definition) => lib.func(definition),
    close: () => lib.unload(),
  };
}

/** What a system library offers once bound, or why none could be. */
export type LibraryOpen<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Opens the first system library that loads and binds: the one named by the environment variable
 * `envName` if set (a path; failing to load or bind it is an error, not a silent fallback), else
 * the first of `candidates`. `what` names the routines `bind` needs, and `notFound` says what to
 * do when no candidate serves, for messages. The LAPACK and BLAS paths open their libraries this way.
 */
export function openSystemLibrary<T>(o: {
  envName: string; candidates: string[]; what: string; notFound(tried: string): string;
  bind(lib: KoffiLibrary, name: string): T; env?: NodeJS.ProcessEnv;
}): LibraryOpen<T> {
  const koffi = loadKoffi();
  if (typeof koffi === 'string') return { ok: false, reason: koffi };
  const explicit = (o.env ?? process.env)[o.envName];
  const tried: string[] = [];
  for (const name of explicit ? [explicit] : o.candidates) {
    let lib: KoffiLibrary;
    try { lib = koffi.load(name); } catch (e) {
      if (explicit) throw new Error(`${o.envName}=${explicit}: cannot load it (${(e as Error).message})`);
      tried.push(name);
      continue;
    }
    try {
      return { ok: true, value: o.bind(lib, name) };
    } catch (e) {
      lib.unload();
      if (explicit) throw new Error(`${o.envName}=${explicit}: it does not export ${o.what} (${(e as Error).message})`);
      tried.push(`${name} (no ${o.what})`);
    }
  }
  return { ok: false, reason: o.notFound(tried.join(', ')) };
}

/**
 * Opens the LAPACK library: EIGENFLOW_LAPACK (a path) if set — a failure to load it is an error,
 * not a silent fallback — else the first of `lapackCandidates()` that loads and exports the
 * routines. The caller owns the result and closes it.
 */
export function openLapack(env: NodeJS.ProcessEnv = process.env): LapackOpen {
  const r = openSystemLibrary({
    envName: 'EIGENFLOW_LAPACK', candidates: lapackCandidates(), what: 'the LAPACK routines dgesdd_ and dsyevd_', bind, env,
    notFound: (tried) => `no LAPACK library found (tried ${tried})`,
  });
  return r.ok ? { ok: true, lib: r.value } : r;
}
