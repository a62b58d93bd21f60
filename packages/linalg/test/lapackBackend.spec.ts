/**
 * The optional LAPACK backend (dgesdd, dsyevd through koffi) against the one-sided Jacobi
 * reference and against eigenflow's WebAssembly path, on tall, wide, rank-deficient, repeated-value
 * and 1×1 inputs; the backend choice ('auto' crossover, 'wasm', 'lapack', the environment variable);
 * the fallback when LAPACK does not converge; and the package without koffi.
 *
 * The tests that call LAPACK run when a library loads (CI installs libopenblas0-pthread) and are
 * reported as skipped, with the reason, when none does.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { matmul, matrix64, openLapack, spectralMethod, svd, symEig, transpose, LAPACK_MIN_ENTRIES, linalgBackend, type LapackLibrary, type Matrix64 } from '../src/index.ts';
import { jacobiSvd, jacobiSymEig } from './jacobi.ts';
import { deriveRng } from './helpers.ts';
import { expectArraysClose } from './helpers.ts';

const probe = openLapack({});
const skipLapack = probe.ok ? false : `LAPACK backend not available here: ${probe.reason}`;
const libraryPath = probe.ok ? probe.lib.path : '';
if (probe.ok) probe.lib.close();

function gaussian(rows: number, cols: number, seed: number): Matrix64 {
  const m = matrix64(rows, cols);
  deriveRng(seed, 'lapack-backend').fillNormal(m.data);
  return m;
}

/** Q·diag(d)·Qᵀ with Q orthogonal (from the Jacobi reference): known eigenvalues d. */
function withEigenvalues(d: number[], seed: number): Matrix64 {
  const n = d.length, g = gaussian(n, n, seed);
  const q = jacobiSymEig(matmul(g, transpose(g)), { vectors: true }).vectors!;
  const qd = matrix64(n, n, q.data.map((x, i) => x * d[i % n]));
  const a = matmul(qd, transpose(q));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[i * n + j] = a.data[j * n + i];
  return a;
}

/** Largest |entry| of XᵀX − I. */
function orthogonality(x: Matrix64): number {
  const g = matmul(transpose(x), x);
  return Math.max(0, ...g.data.map((v, i) => Math.abs(v - (i % (x.cols + 1) === 0 ? 1 : 0))));
}

function checkSvd(a: Matrix64, label: string): void {
  const ref = jacobiSvd(a).s, scale = Math.max(1, ref[0] ?? 0);
  const values = svd(a, { backend: 'lapack' }).s;
  expectArraysClose(values, ref, 1e-12 * scale);
  const { s, U, V } = svd(a, { backend: 'lapack', vectors: true });
  expectArraysClose(s, ref, 1e-12 * scale);
  const k = s.length;
  assert.deepEqual([U!.rows, U!.cols, V!.rows, V!.cols], [a.rows, k, a.cols, k], `${label}: U, V shapes`);
  assert.ok(orthogonality(U!) < 1e-13 * Math.max(a.rows, 10) && orthogonality(V!) < 1e-13 * Math.max(a.cols, 10), `${label}: orthonormal columns`);
  const us = matrix64(a.rows, k, U!.data.map((x, i) => x * s[i % k]));
  expectArraysClose(matmul(us, transpose(V!)).data, a.data, 1e-13 * scale * Math.max(a.rows, a.cols));
  // the two backends agree on the values
  expectArraysClose(svd(a, { backend: 'wasm' }).s, values, 1e-12 * scale);
}

function checkSymEig(a: Matrix64, label: string): void {
  const n = a.rows, ref = jacobiSymEig(a).values, scale = Math.max(1, ...ref.map(Math.abs));
  expectArraysClose(symEig(a, { backend: 'lapack' }).values, ref, 1e-12 * scale);
  const { values, vectors } = symEig(a, { backend: 'lapack', vectors: true });
  expectArraysClose(values, ref, 1e-12 * scale);
  assert.ok(orthogonality(vectors!) < 1e-13 * Math.max(n, 10), `${label}: orthonormal eigenvectors`);
  const av = matmul(a, vectors!);
  expectArraysClose(av.data, vectors!.data.map((x, i) => x * values[i % n]), 1e-13 * scale * n);
  expectArraysClose(symEig(a, { backend: 'wasm' }).values, values, 1e-12 * scale);
}

describe('svd with backend: lapack (dgesdd)', { skip: skipLapack }, () => {
  it('should match the Jacobi reference on tall, wide and square matrices, with A = U·diag(s)·Vᵀ', () => {
    for (const [r, c] of [[40, 25], [25, 40], [33, 33]]) checkSvd(gaussian(r, c, r * 100 + c), `${r}×${c}`);
  });

  it('should give zeros for the missing rank of a rank-deficient matrix (40×30, rank 7)', () => {
    const a = matmul(gaussian(40, 7, 1), gaussian(7, 30, 2));
    checkSvd(a, 'rank 7');
    const s = svd(a, { backend: 'lapack' }).s;
    assert.ok(s.slice(7).every((x) => x < 1e-13 * s[0]), `s[7..] = ${Array.from(s.slice(7, 10))}…`);
  });

  it('should find repeated singular values (3, 3, 3, 1, 1) and 1×1, 1×n, n×1 matrices', () => {
    const q = jacobiSvd(gaussian(9, 5, 3), { vectors: true }).U!, p = jacobiSvd(gaussian(5, 5, 4), { vectors: true }).V!;
    const d = [3, 3, 3, 1, 1];
    const a = matmul(matrix64(9, 5, q.data.map((x, i) => x * d[i % 5])), transpose(p));
    checkSvd(a, 'repeated');
    expectArraysClose(svd(a, { backend: 'lapack' }).s, d, 1e-14 * 9);
    for (const [r, c] of [[1, 1], [1, 6], [6, 1]]) checkSvd(gaussian(r, c, 7 + r + c), `${r}×${c}`);
    expectArraysClose(svd(matrix64(1, 1, [-2.5]), { backend: 'lapack' }).s, [2.5], 0);
  });

  it('should give empty results for a matrix with no rows and refuse a NaN with the message the wasm path gives', () => {
    const { s, U, V } = svd(matrix64(0, 3), { backend: 'lapack', vectors: true });
    assert.deepEqual([s.length, U!.rows, U!.cols, V!.rows, V!.cols], [0, 0, 0, 3, 0]);
    const a = gaussian(4, 3, 5);
    a.data[7] = NaN;
    assert.throws(() => svd(a, { backend: 'lapack' }), /svd: matrix has a non-finite entry \(NaN\) at index 7/);
  });

  it('should agree with the wasm path on singular vectors up to sign (distinct values, 70×60, threads 1 and 2)', () => {
    const a = gaussian(70, 60, 6), w = svd(a, { backend: 'wasm', vectors: true });
    for (const threads of [1, 2]) {
      const l = svd(a, { backend: 'lapack', vectors: true, threads });
      expectArraysClose(l.s, w.s, 1e-12 * w.s[0]);
      for (const [x, y] of [[l.U!, w.U!], [l.V!, w.V!]]) {
        for (let j = 0; j < x.cols; j++) {
          let dot = 0;
          for (let i = 0; i < x.rows; i++) dot += x.data[i * x.cols + j] * y.data[i * y.cols + j];
          assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `column ${j}: |⟨lapack, wasm⟩| = ${Math.abs(dot)}`);
        }
      }
    }
  });
});

describe('symEig with backend: lapack (dsyevd)', { skip: skipLapack }, () => {
  it('should match the Jacobi reference with A·x = λ·x on random symmetric matrices (n = 1, 2, 17, 50)', () => {
    for (const n of [1, 2, 17, 50]) {
      const g = gaussian(n, n, 20 + n);
      checkSymEig(matrix64(n, n, g.data.map((x, i) => x + g.data[(i % n) * n + Math.floor(i / n)])), `n = ${n}`);
    }
  });

  it('should find repeated and negative eigenvalues (4, 4, 4, 0, −1, −1)', () => {
    const d = [4, 4, 4, 0, -1, -1], a = withEigenvalues(d, 8);
    checkSymEig(a, 'repeated');
    expectArraysClose(symEig(a, { backend: 'lapack' }).values, d, 1e-14 * 6 * 4);
  });

  it('should read only the upper triangle, as the wasm path does', () => {
    const a = withEigenvalues([3, 2, 1, -5], 9), garbled = matrix64(4, 4, a.data);
    for (let i = 0; i < 4; i++) for (let j = 0; j < i; j++) garbled.data[i * 4 + j] = 1e3 * (i + j);
    expectArraysClose(symEig(garbled, { backend: 'lapack' }).values, [3, 2, 1, -5], 1e-13);
    assert.throws(() => symEig(matrix64(2, 3), { backend: 'lapack' }), /symEig: matrix must be square, got 2×3/);
  });
});

describe('backend choice', () => {
  it('should read the backend from the option, then EIGENFLOW_LINALG_BACKEND, and name the bad one', () => {
    assert.equal(linalgBackend(undefined, {}), 'auto');
    assert.equal(linalgBackend(undefined, { EIGENFLOW_LINALG_BACKEND: 'wasm' }), 'wasm');
    assert.equal(linalgBackend('lapack', { EIGENFLOW_LINALG_BACKEND: 'wasm' }), 'lapack');
    assert.throws(() => linalgBackend(undefined, { EIGENFLOW_LINALG_BACKEND: 'blas' }), /linalg: EIGENFLOW_LINALG_BACKEND must be one of auto, wasm, lapack but got 'blas'/);
    assert.throws(() => svd(matrix64(1, 1, [1]), { backend: 'gpu' as 'wasm' }), /linalg: backend must be one of auto, wasm, lapack but got 'gpu'/);
  });

  it("should give 'auto' the wasm result bit for bit below the crossover", () => {
    const a = gaussian(30, 30, 10);
    assert.ok(30 * 30 < LAPACK_MIN_ENTRIES.svd && 30 * 30 < LAPACK_MIN_ENTRIES.symEigVectors);
    assert.deepEqual(svd(a, { backend: 'auto' }).s, svd(a, { backend: 'wasm' }).s);
    const sym = matmul(a, transpose(a));
    assert.deepEqual(symEig(sym, { backend: 'auto', vectors: true }), symEig(sym, { backend: 'wasm', vectors: true }));
  });

  it("should give 'auto' the LAPACK result bit for bit above the crossover (symmetric 170×170 with vectors)", { skip: skipLapack }, () => {
    const n = 170, g = gaussian(n, n, 11), a = matmul(g, transpose(g));
    assert.ok(n * n >= LAPACK_MIN_ENTRIES.symEigVectors);
    const auto = symEig(a, { backend: 'auto', vectors: true }), lapack = symEig(a, { backend: 'lapack', vectors: true });
    assert.deepEqual(auto.values, lapack.values);
    assert.notDeepEqual(auto.values, symEig(a, { backend: 'wasm', vectors: true }).values);
  });

  it('should use a caller-owned handle, and leave it open', { skip: skipLapack }, () => {
    const opened = openLapack();
    assert.ok(opened.ok);
    let calls = 0;
    const counting: LapackLibrary = { ...opened.lib, path: opened.lib.path, dgesdd: (...args) => { calls++; opened.lib.dgesdd(...args); } };
    try {
      const a = gaussian(80, 80, 12);
      expectArraysClose(svd(a, { lapack: counting }).s, jacobiSvd(a).s, 1e-12 * 30);
      assert.equal(calls, 2, 'auto with a handle uses LAPACK from 64×64 (a workspace query, then the call)');
      svd(gaussian(10, 10, 13), { lapack: counting });
      assert.equal(calls, 2, 'but not for 10×10');
      svd(a, { lapack: counting });
      assert.equal(calls, 4, 'the handle still works after a call');
    } finally {
      opened.lib.close();
    }
  });

  it('should name the library in the method a run records', { skip: skipLapack }, () => {
    assert.match(spectralMethod({}), new RegExp(`^backend auto: LAPACK dgesdd \\(svd\\) and dsyevd \\(symEig\\) \\(${libraryPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    assert.match(spectralMethod({ EIGENFLOW_LINALG_BACKEND: 'wasm' }), /^backend wasm: float64 CPU: svd = Householder/);
    assert.match(spectralMethod({ EIGENFLOW_LAPACK: '/nonexistent/liblapack.so' }), /LAPACK unusable: EIGENFLOW_LAPACK=\/nonexistent\/liblapack.so: cannot load it/);
  });

  it('should refuse an EIGENFLOW_LAPACK that does not load instead of silently using another library', { skip: skipLapack }, () => {
    assert.throws(() => openLapack({ EIGENFLOW_LAPACK: '/nonexistent/liblapack.so' }), /EIGENFLOW_LAPACK=\/nonexistent\/liblapack.so: cannot load it/);
    // a library that loads but has no LAPACK in it
    assert.throws(() => openLapack({ EIGENFLOW_LAPACK: 'libm.so.6' }), /EIGENFLOW_LAPACK=libm.so.6: it does not export the LAPACK routines dgesdd_ and dsyevd_/);
  });
});

describe('LAPACK failures', () => {
  /** A stand-in library whose routines report `info` (no real LAPACK needed). */
  function failing(info: number): LapackLibrary {
    return {
      path: '/fake/liblapack.so', close() {}, withThreads: (_n, fn) => fn(),
      dgesdd: (...args) => { args[13][0] = info; }, dsyevd: (...args) => { args[10][0] = info; },
    };
  }

  it('should fall back to the wasm path with a warning when LAPACK does not converge', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const a = gaussian(80, 70, 14);
      expectArraysClose(svd(a, { backend: 'lapack', lapack: failing(3) }).s, svd(a, { backend: 'wasm' }).s, 0);
      const sym = matmul(a, transpose(a));
      expectArraysClose(symEig(sym, { backend: 'lapack', lapack: failing(1) }).values, symEig(sym, { backend: 'wasm' }).values, 0);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, [
      "svd (dgesdd workspace query): LAPACK did not converge (info = 3) (library /fake/liblapack.so); computing it again with eigenflow's WebAssembly path",
      "symEig (dsyevd workspace query): LAPACK did not converge (info = 1) (library /fake/liblapack.so); computing it again with eigenflow's WebAssembly path",
    ]);
  });

  it('should throw, not fall back, when LAPACK rejects an argument', () => {
    assert.throws(() => svd(gaussian(5, 4, 15), { backend: 'lapack', lapack: failing(-4) }), /svd \(dgesdd workspace query\): LAPACK rejected argument 4/);
  });
});

describe('without koffi', () => {
  it("should load the package, compute with wasm under 'auto', and say how to install LAPACK when 'lapack' is asked for", () => {
    const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
    const out = execFileSync(process.execPath, ['--require', `${dir}hideKoffi.cjs`, '--import', 'tsx', `${dir}withoutKoffi.ts`], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    assert.ok(r.entryExports > 0);
    assert.equal(r.s0, r.sWasm0, "'auto' without koffi is the wasm path");
    expectArraysClose(r.values, [3, 1], 1e-15);
    assert.match(r.lapackError, /^svd: backend 'lapack' is not available: the FFI package koffi is not installed or does not load \(Cannot find module 'koffi'\); install the optional FFI package \(`npm install koffi`\) and a LAPACK library/);
    assert.match(r.method, /^backend auto: float64 CPU: .* \(LAPACK not used: the FFI package koffi is not installed/);
  });
});
