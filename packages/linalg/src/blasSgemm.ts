/**
 * The system BLAS's float32 product `cblas_sgemm` (OpenBLAS), called through the optional FFI
 * package koffi as the LAPACK path is (lapackLibrary.ts). For large products it runs native
 * fused multiply–add code on every core, where WebAssembly has four lanes, no FMA and one thread.
 *
 * Without koffi or without the library, `openSgemm` says why and callers stay on WebAssembly.
 * A `Sgemm` is one dlopen, owned by whoever opened it and closed with `close()`.
 */
import { openSystemLibrary, type KoffiLibrary } from './lapackLibrary.ts';
import type { MatMulShape } from './gemm32.ts';

/** C ← op(A)·op(B) for every product of the batch, on Float32Arrays (C: batch·m·n, row-major). */
export interface Sgemm {
  readonly path: string;
  /** OpenBLAS's thread count (the library's default: every core). */
  readonly threads: number;
  matmul(c: Float32Array, a: Float32Array, b: Float32Array, shape: MatMulShape): void;
  close(): void;
}

export type SgemmOpen = { ok: true; sgemm: Sgemm } | { ok: false; reason: string };

/** Libraries tried when EIGENFLOW_BLAS is not set: OpenBLAS only (a reference BLAS is slower than the WebAssembly kernel). */
export function blasCandidates(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') return ['libopenblas.dylib', '/opt/homebrew/opt/openblas/lib/libopenblas.dylib', '/usr/local/opt/openblas/lib/libopenblas.dylib'];
  if (platform === 'win32') return ['libopenblas.dll', 'openblas.dll'];
  return ['libopenblas.so.0', 'libopenblas.so'];
}

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

function bind(lib: KoffiLibrary, path: string): Sgemm {
  const sgemm = lib.func('void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, ' +
    'const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc)') as (...args: unknown[]) => void;
  let threads = 1;
  try { threads = (lib.func('int openblas_get_num_threads()') as () => number)(); } catch { /* not OpenBLAS */ }
  return {
    path,
    threads,
    matmul(c, a, b, s) {
      const { batch, m, n, k } = s;
      const lda = s.transposeA ? m : k, ldb = s.transposeB ? k : n;
      const sizeA = m * k, sizeB = k * n, sizeC = m * n;
      for (let t = 0; t < batch; t++) {
        const at = s.broadcastA ? a.subarray(0, sizeA) : a.subarray(t * sizeA, (t + 1) * sizeA);
        const bt = s.broadcastB ? b.subarray(0, sizeB) : b.subarray(t * sizeB, (t + 1) * sizeB);
        sgemm(ROW_MAJOR, s.transposeA ? TRANS : NO_TRANS, s.transposeB ? TRANS : NO_TRANS, m, n, k, 1, at, lda, bt, ldb, 0, c.subarray(t * sizeC, (t + 1) * sizeC), n);
      }
    },
    close: () => lib.unload(),
  };
}

/**
 * Opens the BLAS: EIGENFLOW_BLAS (a path; failing to load it is an error, not a silent fallback),
 * else the first of `blasCandidates()` that loads and exports cblas_sgemm.
 */
export function openSgemm(env: NodeJS.ProcessEnv = process.env): SgemmOpen {
  const r = openSystemLibrary({
    envName: 'EIGENFLOW_BLAS', candidates: blasCandidates(), what: 'cblas_sgemm', bind, env,
    notFound: (tried) => `no OpenBLAS found (tried ${tried}; apt-get install libopenblas0-pthread, or set EIGENFLOW_BLAS)`,
  });
  return r.ok ? { ok: true, sgemm: r.value } : r;
}
