/**
 * Multi-threaded `@tensorflow/tfjs-backend-wasm` in Node (see docs/wasmThreads.md).
 *
 * The package ships a pthreads build (`tfjs-backend-wasm-threaded-simd.wasm`: XNNPACK on a
 * pthreadpool of Emscripten workers) but never uses it in Node, for three reasons this module
 * works around at runtime, only while `tf.setBackend('wasm')` runs (node_modules is untouched):
 *
 *  1. `WASM_HAS_MULTITHREAD_SUPPORT` returns false under `IS_NODE` → we set the flag.
 *  2. The pthread worker and the glue it loads are `Blob`s turned into `blob:` URLs, which
 *     `worker_threads.Worker` and the worker's `importScripts` shim (read a file + eval) cannot
 *     open → the global `Blob` is replaced by a subclass that remembers its text, and
 *     `URL.createObjectURL` writes that text to a file and returns the path. The worker file is
 *     the package's worker source behind a prelude that defines the bundle-scope names the
 *     stringified glue refers to (`require$$0`…, `commonjsGlobal`) and answers the worker's own
 *     `URL.createObjectURL(glueBlob)` with the glue file's path.
 *  3. The C++ side caps the pool at `emscripten_num_logical_cores() / 2` (it assumes two
 *     hyperthreads per core), read from `os.cpus().length` when the module's constructors run:
 *     2 on this 2-core machine → 1 thread. `os.cpus` reports 2·threads entries for that moment.
 *
 * Workers start with `execArgv: []` (not through tsx). A worker that fails to start, or a
 * start-up that takes longer than `timeoutMs`, abandons the threaded module and initialises
 * the ordinary single-threaded backend; the result says why (`fallback`).
 * Files are content-addressed in `os.tmpdir()/eigenflow-wasm-threads/`, written atomically.
 */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Worker as NodeWorker, type WorkerOptions } from 'node:worker_threads';

export interface WasmThreadsResult {
  /** Threads XNNPACK uses (1 = single-threaded). */
  threads: number;
  /** Which wasm binary runs. */
  build: 'simd' | 'threaded-simd';
  /** Why the threaded build is not in use, when it was asked for and is not. */
  fallback?: string;
}

export interface WasmThreadsOptions {
  /** Use the threaded build even for 1 thread (measures the build's own overhead). */
  threadedBuild?: boolean;
  /** Give up on the threaded start-up after this long (default 30 s). */
  timeoutMs?: number;
}

/** Bundle-scope identifiers the stringified glue refers to (see the head of tf-backend-wasm.node.js). */
const WORKER_PRELUDE = `
globalThis.require$$0 = require('fs');
globalThis.require$$1 = require('path');
globalThis.require$$3 = require('perf_hooks');
globalThis.require$$4 = require('os');
globalThis.commonjsGlobal = globalThis;
URL.createObjectURL = function () { return __GLUE__; };
URL.revokeObjectURL = function () {};
`;
const GLUE_HEAD = 'var WasmBackendModuleThreadedSimd';

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

function writeOnce(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  if (!existsSync(path)) {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  }
  return path;
}

function message(e: unknown): string {
  if (e instanceof Error) return e.message;
  const m = (e as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : String(e);
}

/** Workers that start without tsx, and whose start-up errors we see before Emscripten does. */
const started: NodeWorker[] = [];
let onWorkerError: ((e: unknown) => void) | null = null;
class EigenflowWorker extends NodeWorker {
  constructor(file: string | URL, options: WorkerOptions = {}) {
    super(file, { ...options, execArgv: [] });
    started.push(this);
    super.on('error', (e) => onWorkerError?.(e));
  }
  /**
   * Emscripten refs a worker while it runs a pthread, so a process whose XNNPACK pool threads
   * wait for work would never exit. The main thread waits on the pool synchronously whenever it
   * uses it, so the pool need not hold the event loop open.
   */
  override ref(): void {}
  override on(event: string | symbol, listener: (...args: any[]) => void): this {
    // Emscripten's error listener rethrows, which kills the process; while starting we fall back instead.
    if (event !== 'error') return super.on(event, listener);
    return super.on(event, (...args: unknown[]) => { if (onWorkerError === null) listener(...args); });
  }
}

/** Installs the runtime patches; returns a function that removes them (Worker stays ours). */
function patchGlobals(dir: string, threads: number): () => void {
  const RealBlob = globalThis.Blob;
  const realCreate = URL.createObjectURL;
  const realCpus = os.cpus;
  const workerDesc = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  let gluePath: string | null = null;
  const TEXT = Symbol('text');
  class RecordingBlob extends RealBlob {
    [TEXT]: string | null;
    constructor(parts?: BlobPart[], options?: BlobPropertyBag) {
      super(parts, options);
      this[TEXT] = parts?.every((p) => typeof p === 'string') ? (parts as string[]).join('') : null;
      if (this[TEXT]?.startsWith(GLUE_HEAD)) gluePath = writeOnce(dir, `glue-${hash(this[TEXT]!)}.js`, this[TEXT]!);
    }
  }
  globalThis.Blob = RecordingBlob as typeof Blob;
  URL.createObjectURL = (obj: Blob) => {
    const text = (obj as RecordingBlob)[TEXT];
    if (typeof text !== 'string') return realCreate(obj);
    if (text.startsWith(GLUE_HEAD)) return gluePath!;
    if (gluePath === null) throw new Error('threaded wasm: the worker was requested before the glue');
    const fault = process.env.EIGENFLOW_WASM_THREADS_FAULT === 'worker' ? "throw new Error('injected worker fault');\n" : '';
    const worker = fault + WORKER_PRELUDE.replace('__GLUE__', JSON.stringify(gluePath)) + text;
    return writeOnce(dir, `worker-${hash(worker)}.cjs`, worker);
  };
  os.cpus = () => { const c = realCpus(); return Array.from({ length: 2 * threads }, (_, i) => c[i % c.length]!); };
  // The glue assigns `commonjsGlobal.Worker = worker_threads.Worker` on start; keep ours.
  Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => EigenflowWorker, set: () => {} });
  return () => {
    globalThis.Blob = RealBlob;
    URL.createObjectURL = realCreate;
    os.cpus = realCpus;
    if (workerDesc) Object.defineProperty(globalThis, 'Worker', workerDesc);
    else Object.defineProperty(globalThis, 'Worker', { configurable: true, writable: true, value: EigenflowWorker });
  };
}

/**
 * Initialise the wasm backend with `threads` XNNPACK threads (1–8). Never throws because of
 * threads: if the threaded build does not start, the single-threaded backend is initialised
 * and `fallback` says why.
 */
export async function initWasmThreads(threads: number, options: WasmThreadsOptions = {}): Promise<WasmThreadsResult> {
  if (!Number.isInteger(threads) || threads < 1 || threads > 8) {
    throw new Error(`wasm threads must be an integer from 1 to 8 (the package pre-creates 8 workers) but got ${threads}`);
  }
  if (threads === 1 && !options.threadedBuild) return initSingle();
  let unpatch: (() => void) | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const dir = join(os.tmpdir(), 'eigenflow-wasm-threads');
    mkdirSync(dir, { recursive: true });
    unpatch = patchGlobals(dir, threads);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    setThreadsCount(threads);
    const failed = new Promise<never>((_, reject) => {
      onWorkerError = (e) => reject(new Error(`a pthread worker failed to start: ${message(e)}`));
      timer = setTimeout(() => reject(new Error(`threaded start-up took over ${options.timeoutMs ?? 30000} ms`)), options.timeoutMs ?? 30000);
    });
    const ok = await Promise.race([tf.setBackend('wasm'), failed]);
    if (!ok) throw new Error('tf.setBackend(wasm) returned false (see the warning above)');
    await tf.ready();
    return { threads: getThreadsCount(), build: 'threaded-simd' };
  } catch (e) {
    abandonThreaded();
    return { ...(await initSingle()), fallback: message(e) };
  } finally {
    clearTimeout(timer);
    onWorkerError = null;
    unpatch?.();
  }
}

/** Forget a pending threaded initialisation and stop its workers, so `wasm` can start again. */
function abandonThreaded(): void {
  const engine = tf.engine() as unknown as { pendingBackendInitId: number; pendingBackendInit: unknown; backendName: string | null };
  engine.pendingBackendInitId++;
  engine.pendingBackendInit = null;
  for (const w of started.splice(0)) void w.terminate();
}

async function initSingle(): Promise<WasmThreadsResult> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  if (!(await tf.setBackend('wasm'))) throw new Error("backend 'wasm' failed to initialise");
  await tf.ready();
  return { threads: 1, build: 'simd' };
}

/** `EIGENFLOW_WASM_THREADS` as a thread count (unset or empty → undefined). */
export function threadsFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.EIGENFLOW_WASM_THREADS;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`EIGENFLOW_WASM_THREADS must be an integer from 1 to 8 but got '${raw}'`);
  return n;
}

/** XNNPACK threads of the wasm backend in use (1 if it has not reported yet). */
export function wasmThreadsInUse(): number {
  try { return getThreadsCount(); } catch { return 1; }
}
