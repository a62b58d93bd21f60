/**
 * Backend selection. The default is the embedded WebAssembly backend, which ships inside its npm
 * package. `@tensorflow/tfjs-node-gpu` and `@tensorflow/tfjs-node` are used when installed and
 * loadable (their install downloads libtensorflow, so they are never dependencies of eigenflow).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initWasmThreads, threadsFromEnv, wasmThreadsInUse } from './wasmThreads.ts';
import { matMulCompute, matMulModeFromEnv, registerWasmMatMul, type ComputeInfo } from './matMulWasm.ts';
import { registerReductionGradients } from './gradients.ts';
import { registerWasmCopyKernels } from './copyKernelsWasm.ts';
import { withoutEmscriptenListeners } from './emscriptenListeners.ts';

export const BACKENDS = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendInfo {
  /** The tfjs backend name in use (`wasm`, `cpu`, `tensorflow`). */
  name: string;
  /** The package that provides it. */
  package: string;
  precision: 'float32';
  /** wasm only: XNNPACK threads (1 unless `EIGENFLOW_WASM_THREADS=N` started the threaded build). */
  threads?: number;
}

const NATIVE: Record<string, string> = { 'tensorflow-gpu': '@tensorflow/tfjs-node-gpu', tensorflow: '@tensorflow/tfjs-node' };

async function tryNative(pkg: string): Promise<boolean> {
  try {
    await import(pkg);
    return tf.findBackend('tensorflow') !== undefined && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

/** Pick and initialise a backend; `auto` prefers GPU, then native CPU, then wasm. */
export function selectBackend(requested: string = 'auto'): Promise<BackendInfo> {
  return withoutEmscriptenListeners(() => pick(requested));
}

async function pick(requested: string): Promise<BackendInfo> {
  if (!(BACKENDS as readonly string[]).includes(requested)) {
    throw new Error(`--backend must be one of ${BACKENDS.join(', ')} but got '${requested}'`);
  }
  const candidates = requested === 'auto' ? ['tensorflow-gpu', 'tensorflow', 'wasm'] : [requested];
  for (const name of candidates) {
    if (name in NATIVE) {
      if (await tryNative(NATIVE[name]!)) return { name: 'tensorflow', package: NATIVE[name]!, precision: 'float32' };
      if (requested !== 'auto') throw new Error(`--backend ${name}: ${NATIVE[name]} is not installed or does not load here (npm install ${NATIVE[name]} needs to download libtensorflow); use --backend wasm`);
      continue;
    }
    const threads = name === 'wasm' ? threadsFromEnv() : undefined;
    // read before initialising, so a bad value fails before anything starts
    const matMulMode = name === 'wasm' ? matMulModeFromEnv() : undefined;
    if (threads !== undefined && threads > 1) {
      const r = await initWasmThreads(threads);
      if (r.fallback) console.warn(`eigenflow: EIGENFLOW_WASM_THREADS=${threads} but the threaded wasm build did not start (${r.fallback}); using single-threaded wasm`);
      registerWasmMatMul(matMulMode!);
      registerWasmCopyKernels();
      registerReductionGradients();
      return { name, package: '@tensorflow/tfjs-backend-wasm', precision: 'float32', threads: r.threads };
    }
    if (!(await tf.setBackend(name))) throw new Error(`backend '${name}' failed to initialise`);
    await tf.ready();
    if (matMulMode) { registerWasmMatMul(matMulMode); registerWasmCopyKernels(); }
    registerReductionGradients();
    return { name, package: name === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu', precision: 'float32', ...(name === 'wasm' ? { threads: 1 } : {}) };
  }
  throw new Error('no backend could be initialised');
}

/** The backend already in use, if the caller chose one; otherwise the default selection. */
export async function currentOrDefaultBackend(requested?: string): Promise<BackendInfo> {
  if (requested) return selectBackend(requested);
  const name = await withoutEmscriptenListeners(async () => tf.getBackend());
  // a wasm backend set up by the caller's own tf.setBackend still gets eigenflow's matrix products
  if (name === 'wasm' && matMulCompute() === null) { registerWasmMatMul(matMulModeFromEnv()); registerWasmCopyKernels(); registerReductionGradients(); }
  if (name === 'wasm' || name === 'tensorflow') {
    return { name, package: name === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : 'tfjs-node', precision: 'float32', ...(name === 'wasm' ? { threads: wasmThreadsInUse() } : {}) };
  }
  return selectBackend('wasm');
}

/** Which matrix-product path the backend in use runs (the manifest's `compute`). */
export function computeInfo(): ComputeInfo {
  return tf.getBackend() === 'wasm' ? (matMulCompute() ?? { matmul: 'xnnpack' }) : { matmul: 'backend' };
}
