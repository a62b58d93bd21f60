/**
 * The threaded wasm build in Node (src/backend/wasmThreads.ts). This file's process runs the
 * threaded backend; the single-threaded result and the fault-injection run are child processes.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initWasmThreads, threadsFromEnv, type WasmThreadsResult } from '../../src/backend/wasmThreads.ts';
import { expectArraysClose, expectNoLeak } from '../helpers.ts';

const M = 96, K = 80, N = 72;
/** Deterministic inputs shared with the child process (no tfjs RNG involved). */
function inputs(): [Float32Array, Float32Array] {
  const a = new Float32Array(M * K), b = new Float32Array(K * N);
  for (let i = 0; i < a.length; i++) a[i] = Math.sin(0.37 * i + 1) * 2;
  for (let i = 0; i < b.length; i++) b[i] = Math.cos(0.11 * i * i + 0.5);
  return [a, b];
}

/** Child mode: print the matMul computed on the backend chosen by argv. */
if (process.argv.includes('--child')) {
  const threads = Number(process.argv[process.argv.indexOf('--child') + 1]);
  const info = await initWasmThreads(threads);
  const [a, b] = inputs();
  const c = tf.matMul(tf.tensor2d(a, [M, K]), tf.tensor2d(b, [K, N]));
  process.stdout.write(JSON.stringify({ info, c: Array.from(c.dataSync()) }) + '\n');
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
function child(threads: number, env: NodeJS.ProcessEnv = {}): { info: WasmThreadsResult; c: number[] } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', String(threads)], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 90_000 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('wasm threads', () => {
  let info: WasmThreadsResult;
  before(async () => { info = await initWasmThreads(2); });

  it('should start the threaded build with 2 XNNPACK threads', () => {
    assert.equal(info.fallback, undefined, `fell back: ${info.fallback}`);
    assert.deepEqual([info.build, info.threads, tf.getBackend()], ['threaded-simd', 2, 'wasm']);
  });

  it('should compute a matMul equal to a float64 reference and to the single-threaded backend', async () => {
    const [a, b] = inputs();
    const truth = new Float64Array(M * N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) { let s = 0; for (let k = 0; k < K; k++) s += a[i * K + k]! * b[k * N + j]!; truth[i * N + j] = s; }
    const threaded = await expectNoLeak(() => tf.tidy(() => Array.from(tf.matMul(tf.tensor2d(a, [M, K]), tf.tensor2d(b, [K, N])).dataSync())));
    expectArraysClose(threaded, truth, 1e-4, 1e-5);
    const single = child(1);
    assert.deepEqual([single.info.build, single.info.threads], ['simd', 1]);
    expectArraysClose(threaded, single.c, 1e-5, 1e-6);
  });

  it('should train: gradients through matMul match the closed form 2·Aᵀ(AW − Y)/n', async () => {
    const [a] = inputs();
    await expectNoLeak(() => tf.tidy(() => {
      const A = tf.tensor2d(a, [M, K]), W = tf.ones([K, 3]), Y = tf.zeros([M, 3]);
      const g = tf.grad((w: tf.Tensor) => tf.mean(tf.square(tf.matMul(A, w).sub(Y))).mul(M * 3 / M))(W);
      const closed = tf.matMul(A.transpose(), tf.matMul(A, W).sub(Y)).mul(2 / M);
      expectArraysClose(g.dataSync(), closed.dataSync(), 1e-3, 1e-4);
    }));
  });

  it('should fall back to single-threaded wasm with a reason when a worker fails', () => {
    const r = child(2, { EIGENFLOW_WASM_THREADS_FAULT: 'worker' });
    assert.equal(r.info.build, 'simd');
    assert.equal(r.info.threads, 1);
    assert.match(r.info.fallback ?? '', /pthread worker failed to start: injected worker fault/);
    assert.equal(r.c.length, M * N);
  });

  it('should read EIGENFLOW_WASM_THREADS and reject bad values with the variable named', () => {
    assert.equal(threadsFromEnv({}), undefined);
    assert.equal(threadsFromEnv({ EIGENFLOW_WASM_THREADS: '2' }), 2);
    assert.throws(() => threadsFromEnv({ EIGENFLOW_WASM_THREADS: 'two' }), /EIGENFLOW_WASM_THREADS must be an integer from 1 to 8 but got 'two'/);
    assert.throws(() => threadsFromEnv({ EIGENFLOW_WASM_THREADS: '9' }), /EIGENFLOW_WASM_THREADS/);
  });
});
