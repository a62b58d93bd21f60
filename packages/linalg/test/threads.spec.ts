/**
 * The row loops of the reductions split over worker threads give the same decomposition as one
 * thread and as the TypeScript reference path (up to the order of partial sums), and the thread
 * count comes from the option, then EIGENFLOW_LINALG_THREADS, then the core count.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { existsSync, readdirSync } from 'node:fs';
import { bidiagonalize } from '../src/bidiagonalize.ts';
import { tridiagonalize } from '../src/tridiagonalize.ts';
import { linalgThreads, splitRows, startTeam } from '../src/threads.ts';
import { kernelMemory, kernelModule, loadKernels } from '../src/wasmKernel.ts';
import { matrix64, svd as anySvd, symEig as anySymEig, type Matrix64 } from '../src/index.ts';
import { deriveRng } from './helpers.ts';
import { expectArraysClose } from './helpers.ts';

// These tests are about eigenflow's own (WebAssembly / TypeScript) path: pinned to it whatever
// EIGENFLOW_LINALG_BACKEND says or whichever LAPACK is installed (the LAPACK backend: lapackBackend.spec.ts).
const svd = (a: Matrix64, opts: Parameters<typeof anySvd>[1] = {}) => anySvd(a, { ...opts, backend: 'wasm' });
const symEig = (a: Matrix64, opts: Parameters<typeof anySymEig>[1] = {}) => anySymEig(a, { ...opts, backend: 'wasm' });

const rng = deriveRng(14, 'linalg-threads');

/** ±1 per column: the sign that makes column j of b point the way column j of a does. */
function columnSigns(a: Matrix64, b: Matrix64): number[] {
  return Array.from({ length: a.cols }, (_, j) => {
    let dot = 0;
    for (let i = 0; i < a.rows; i++) dot += a.data[i * a.cols + j] * b.data[i * b.cols + j];
    return dot < 0 ? -1 : 1;
  });
}

function flipColumns(a: Matrix64, signs: number[]): Matrix64 {
  const out = matrix64(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out.data[i * a.cols + j] = a.data[i * a.cols + j] * signs[j];
  return out;
}

describe('threaded reductions', () => {
  it('should bidiagonalise a 401×390 matrix identically on 1, 2 and 3 threads and on the TypeScript path', () => {
    const m = 401, n = 390;
    const a = Float64Array.from({ length: m * n }, () => rng.normal());
    const one = Float64Array.from(a), two = Float64Array.from(a), three = Float64Array.from(a), ts = Float64Array.from(a);
    const r1 = bidiagonalize(one, m, n, { threads: 1 }), r2 = bidiagonalize(two, m, n, { threads: 2 });
    const r3 = bidiagonalize(three, m, n, { threads: 3 }), rt = bidiagonalize(ts, m, n, { wasm: false });
    for (const r of [r2, r3, rt]) { expectArraysClose(r.d, r1.d, 1e-9); expectArraysClose(r.e, r1.e, 1e-9); }
    expectArraysClose(two, one, 1e-9); expectArraysClose(three, one, 1e-9);
  });

  it('should tridiagonalise a 397×397 symmetric matrix identically on 1 and 2 threads', () => {
    const n = 397;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
    const one = Float64Array.from(a), two = Float64Array.from(a);
    const r1 = tridiagonalize(one, n, { threads: 1 }), r2 = tridiagonalize(two, n, { threads: 2 });
    expectArraysClose(r2.d, r1.d, 1e-9); expectArraysClose(r2.e, r1.e, 1e-9);
  });

  it('should give a known spectrum through svd and symEig on two threads', () => {
    // A = Q diag(σ) with Q from symEig of a random symmetric matrix: singular values are σ.
    const n = 400;
    const s = matrix64(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) s.data[i * n + j] = s.data[j * n + i] = rng.normal();
    const Q = symEig(s, { vectors: true, threads: 2 }).vectors!;
    const sigma = Array.from({ length: n }, (_, i) => n - i);
    const a = matrix64(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = Q.data[i * n + j] * sigma[j];
    expectArraysClose(svd(a, { threads: 2 }).s, sigma, 1e-9 * n);
  });

  it('should give the same singular vectors and eigenvectors on 1 and 2 threads (reflectors and rotation sweeps split)', () => {
    const n = 400;
    const a = matrix64(n, n);
    for (let i = 0; i < n * n; i++) a.data[i] = rng.normal();
    const one = svd(a, { vectors: true, threads: 1 }), two = svd(a, { vectors: true, threads: 2 });
    expectArraysClose(two.s, one.s, 1e-10);
    // each singular pair (u, v) and each eigenvector is defined up to sign: align before comparing
    const flips = columnSigns(one.U!, two.U!);
    expectArraysClose(flipColumns(two.U!, flips).data, one.U!.data, 1e-8);
    expectArraysClose(flipColumns(two.V!, flips).data, one.V!.data, 1e-8);
    const s = matrix64(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) s.data[i * n + j] = s.data[j * n + i] = rng.normal();
    const e1 = symEig(s, { vectors: true, threads: 1 }), e2 = symEig(s, { vectors: true, threads: 2 });
    expectArraysClose(e2.values, e1.values, 1e-10);
    expectArraysClose(flipColumns(e2.vectors!, columnSigns(e1.vectors!, e2.vectors!)).data, e1.vectors!.data, 1e-8);
  });

  it('should run two threaded analyses at the same time (in two worker threads) with the results of one alone', async () => {
    const n = 400;
    const a = Array.from({ length: n * n }, () => rng.normal());
    const alone = svd(matrix64(n, n, Float64Array.from(a)), { threads: 2 }).s;
    const src = `
      const { parentPort, workerData } = require('node:worker_threads');
      // this worker imports the TypeScript sources directly
      import('tsx/esm/api').then((tsx) => { tsx.register(); return import(workerData.url); }).then(({ svd, matrix64 }) => {
        const s = svd(matrix64(workerData.n, workerData.n, Float64Array.from(workerData.a)), { threads: 2, backend: 'wasm' }).s;
        parentPort.postMessage(Array.from(s));
      });`;
    const url = new URL('../src/index.ts', import.meta.url).href;
    const run = () => new Promise<number[]>((resolve, reject) => {
      const w = new Worker(src, { eval: true, workerData: { url, n, a } });
      w.once('message', (s) => { resolve(s); void w.terminate(); });
      w.once('error', reject);
    });
    const [x, y] = await Promise.all([run(), run()]);
    assert.deepEqual(x, Array.from(alone));
    assert.deepEqual(y, Array.from(alone));
  });

  it('should give the same numbers whether a helper or the calling thread runs a slice', async () => {
    // A job given right after the team starts finds its helper still booting (a Node worker takes
    // milliseconds to start): the calling thread takes the helper's slice instead of waiting.
    // Later jobs find the helper up and waiting. Both must write exactly the same entries.
    const rows = 300, len = 257, stride = len * 8;
    const module = kernelModule()!, memory = kernelMemory((2 * rows * len + len) * 8);
    const k = loadKernels(memory)!;
    const first = new Float64Array(memory.buffer, 0, rows * len), second = new Float64Array(memory.buffer, rows * len * 8, rows * len);
    const v = new Float64Array(memory.buffer, 2 * rows * len * 8, len);
    const data = Array.from({ length: rows * len }, () => rng.normal());
    first.set(data); second.set(data); v.set(Array.from({ length: len }, () => rng.normal()));
    const alone = Float64Array.from(data);
    const tau = 2 / v.reduce((s, x) => s + x * x, 0);
    const team = startTeam(module, memory, 2);
    try {
      const bounds = splitRows(0, rows, 2, 0);
      const apply = (base: number) => team.refl(() => k.refl(base, bounds[1], stride, len, v.byteOffset, tau), bounds, base, stride, len, v.byteOffset, tau);
      apply(first.byteOffset);
      assert.equal(team.takenOver, 1, 'the first job ran on the calling thread alone');
      await new Promise((r) => setTimeout(r, 200)); // the helper starts and waits for work
      // A sleeping helper may wake after the caller has finished its own slice and taken the
      // other too; once awake it spins between jobs and takes its slice. Same data every time.
      let byHelper = 0;
      for (let attempt = 0; attempt < 200 && byHelper === 0; attempt++) {
        const before: number = team.takenOver;
        second.set(data);
        apply(second.byteOffset);
        if (team.takenOver === before) byHelper++;
        else assert.deepEqual(Array.from(second), Array.from(first));
      }
      assert.equal(byHelper, 1, 'a helper ran its slice of a later job');
    } finally {
      team.close();
    }
    assert.deepEqual(Array.from(second), Array.from(first));
    // and both are the reflector applied row by row: row ← row − τ (row·v) v
    for (let i = 0; i < rows; i++) {
      let dot = 0;
      for (let j = 0; j < len; j++) dot += alone[i * len + j] * v[j];
      for (let j = 0; j < len; j++) alone[i * len + j] -= tau * dot * v[j];
    }
    expectArraysClose(first, alone, 1e-12);
  });

  it('should stop every helper of a closed team, also those that were still starting up', { skip: existsSync('/proc/self/task') ? false : 'needs /proc/self/task (Linux) to count threads' }, async () => {
    // Closing right after starting: the helpers are still booting (a Node worker takes
    // milliseconds) and must exit when they come up instead of waiting for work forever.
    const threads = () => readdirSync('/proc/self/task').length;
    const module = kernelModule()!, memory = kernelMemory(65536);
    const before = threads();
    for (let i = 0; i < 8; i++) startTeam(module, memory, 3).close();
    let now = threads();
    for (let waited = 0; now > before && waited < 10_000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      now = threads();
    }
    assert.equal(now, before, `${now - before} helper threads still alive 10 s after their teams closed`);
  });

  it('should take the thread count from the option, then EIGENFLOW_LINALG_THREADS, then the cores', () => {
    const saved = process.env.EIGENFLOW_LINALG_THREADS;
    try {
      delete process.env.EIGENFLOW_LINALG_THREADS;
      assert.equal(linalgThreads(), availableParallelism());
      process.env.EIGENFLOW_LINALG_THREADS = '3';
      assert.equal(linalgThreads(), 3);
      assert.equal(linalgThreads(1), 1);
      process.env.EIGENFLOW_LINALG_THREADS = 'many';
      assert.throws(() => linalgThreads(), /EIGENFLOW_LINALG_THREADS must be a positive integer but got many/);
      assert.throws(() => linalgThreads(0), /threads must be a positive integer but got 0/);
    } finally {
      if (saved === undefined) delete process.env.EIGENFLOW_LINALG_THREADS; else process.env.EIGENFLOW_LINALG_THREADS = saved;
    }
  });

  it('should split rows into slices of equal work (uniform rows, and triangle rows)', () => {
    assert.deepEqual(splitRows(10, 20, 2, 0), [10, 15, 20]);
    const tri = splitRows(0, 1000, 2, 1); // rows cost ∝ i: half the area of a triangle at 1000/√2
    assert.deepEqual(tri, [0, 707, 1000]);
    assert.deepEqual(splitRows(5, 6, 3, 0), [5, 5, 6, 6]); // more threads than rows: empty slices
  });
});
