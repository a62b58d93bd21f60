/**
 * eigenflow's `BatchMatMul` for the wasm backend: every `tf.matMul` (and so every matMul gradient,
 * which is a product with a transposed operand) on one of three paths, chosen per call.
 *
 * - `wasm-simd`: the float32 SIMD kernel of @eigenflow/linalg (kernels/gemm32.wat), bound to the backend's own
 *   WebAssembly memory, so it reads the operands and writes the result where tfjs keeps them.
 *   Transposed operands cost the same as plain ones (tfjs-wasm's own kernel falls to a scalar loop
 *   for them, ~10× slower), and a batch of small products runs in one call.
 * - `blas`: the system OpenBLAS's `cblas_sgemm` (koffi FFI) on the same memory, for products
 *   large enough that native FMA code on every core beats one WebAssembly thread.
 * - `xnnpack`: tfjs-wasm's own kernel (what runs without eigenflow's registration).
 *
 * `EIGENFLOW_MATMUL` picks: `auto` (default: blas above BLAS_MIN_MACS multiply–adds per product
 * when OpenBLAS is installed, wasm-simd otherwise), `wasm`, `blas` or `xnnpack`. The registration
 * lives in tfjs's kernel registry (global by tfjs's design); it is registered for `wasm` only, so
 * the `cpu` and `tensorflow` backends keep their own kernels. `matMulCompute()` reads back which
 * paths ran, for the run manifest.
 */
import * as tf from '@tensorflow/tfjs';
import { gemm32Kernel, GEMM32_PACK_BYTES, openSgemm, type Gemm32Kernel, type MatMulShape, type Sgemm } from '@eigenflow/linalg';

export type MatMulPath = 'wasm-simd' | 'blas' | 'xnnpack';
export const MATMUL_MODES = ['auto', 'wasm', 'blas', 'xnnpack'] as const;
export type MatMulMode = (typeof MATMUL_MODES)[number];

/** What the manifest says about the matrix products of a run. */
export interface ComputeInfo {
  /** The mode asked for (`auto` chooses per call), or the backend's own kernels off wasm. */
  matmul: MatMulMode | 'backend';
  /** The BLAS library when the blas path is available. */
  blas?: string;
  /** OpenBLAS's threads. */
  blasThreads?: number;
  /** Products per path since the registration (a run reports its own difference). */
  calls?: Partial<Record<MatMulPath, number>>;
  /** Why a path that was asked for is not available. */
  note?: string;
}

/**
 * Products with at least this many multiply–adds go to BLAS under `auto`. bench/matMulPaths.ts:
 * from ~96³ OpenBLAS (FMA, both cores) is 2–5× the WebAssembly kernel; between 64³ and 96³ the two
 * are within the noise of a shared machine, and there a busy second core stalls OpenBLAS's two
 * threads while the one WebAssembly thread runs on (bench/peers.ts under load: 1024×20·20×20
 * products made a CiS step 2× slower on BLAS).
 */
export const BLAS_MIN_MACS = 1 << 20;

/** The tfjs-wasm backend's parts this kernel uses (not in its public types). */
interface WasmBackendParts {
  /** `asm.memory`: the module's memory (single-threaded build); HEAPU8: its current bytes (every build). */
  wasm: { asm?: { memory?: WebAssembly.Memory }; HEAPU8: Uint8Array };
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(id: tf.DataId): boolean;
}

interface OurConfig extends tf.KernelConfig {
  /** tfjs-wasm's own BatchMatMul, kept as the `xnnpack` path. */
  original: tf.KernelConfig;
  report(): ComputeInfo;
  close(): void;
}

function isOurs(config: tf.KernelConfig | undefined): config is OurConfig {
  return config !== undefined && 'report' in config && 'original' in config;
}

/** `EIGENFLOW_MATMUL` as a mode (unset or empty → auto). */
export function matMulModeFromEnv(env: NodeJS.ProcessEnv = process.env): MatMulMode {
  const raw = env.EIGENFLOW_MATMUL?.trim() || 'auto';
  if (!(MATMUL_MODES as readonly string[]).includes(raw)) throw new Error(`EIGENFLOW_MATMUL must be one of ${MATMUL_MODES.join(', ')} but got '${raw}'`);
  return raw as MatMulMode;
}

/** The shape of op(a)·op(b) in the kernel's terms, or null for a broadcast it does not handle (unequal batches, neither one). */
function productShape(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): (MatMulShape & { outShape: number[] }) | null {
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!, k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!, n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (k !== kb) throw new Error(`Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = outerA.reduce((x, y) => x * y, 1), batchB = outerB.reduce((x, y) => x * y, 1);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  return { batch: Math.max(batchA, batchB), m, n, k, transposeA, transposeB, broadcastA: batchA === 1 && batchB > 1, broadcastB: batchB === 1 && batchA > 1, outShape: [...outer, m, n] };
}

/**
 * Registers eigenflow's BatchMatMul for the wasm backend in `mode` (replacing an earlier
 * registration of its own; `xnnpack` restores tfjs-wasm's kernel). Throws when `blas` is asked
 * for and no BLAS loads. Returns what the manifest will say.
 */
export function registerWasmMatMul(mode: MatMulMode): ComputeInfo {
  const current = tf.getKernel('BatchMatMul', 'wasm');
  if (!current) throw new Error('tfjs-backend-wasm is not loaded: no wasm BatchMatMul to replace');
  const original = isOurs(current) ? current.original : current;
  if (isOurs(current)) current.close();
  tf.unregisterKernel('BatchMatMul', 'wasm');
  if (mode === 'xnnpack') {
    tf.registerKernel(original);
    return { matmul: 'xnnpack' };
  }
  let blas: Sgemm | null = null, note: string | undefined;
  if (mode !== 'wasm') {
    const opened = openSgemm();
    if (opened.ok) blas = opened.sgemm;
    else if (mode === 'blas') { tf.registerKernel(original); throw new Error(`EIGENFLOW_MATMUL=blas: ${opened.reason}`); }
    else note = `blas unavailable: ${opened.reason}`;
  }
  const calls: Record<MatMulPath, number> = { 'wasm-simd': 0, blas: 0, xnnpack: 0 };
  // one kernel instance per backend object (a backend can be re-created), null when it cannot link
  const kernels = new WeakMap<object, Gemm32Kernel | null>();
  const kernelFor = (backend: WasmBackendParts): Gemm32Kernel | null => {
    if (!kernels.has(backend)) {
      const memory = backend.wasm.asm?.memory;
      // the threaded build's memory is shared (and not exposed as asm.memory); this kernel imports a non-shared one
      kernels.set(backend, memory && !(memory.buffer instanceof SharedArrayBuffer) ? gemm32Kernel(memory) : null);
    }
    return kernels.get(backend)!;
  };
  const config: OurConfig = {
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    original,
    // a wasm backend initialised later sets up tfjs's kernel too, which stays the fallback
    setupFunc: original.setupFunc,
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const backend = args.backend as unknown as WasmBackendParts;
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const shape = a.dtype === 'float32' && b.dtype === 'float32' ? productShape(a, b, transposeA, transposeB) : null;
      const useBlas = blas !== null && shape !== null && (mode === 'blas' || shape.m * shape.n * shape.k >= BLAS_MIN_MACS);
      const kernel = shape && !useBlas ? kernelFor(backend) : null;
      if (!shape || (!useBlas && !kernel)) {
        calls.xnnpack++;
        return original.kernelFunc(args);
      }
      const out = backend.makeOutput(shape.outShape, 'float32');
      const offset = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
      if (useBlas) {
        calls.blas++;
        const heap = backend.wasm.HEAPU8.buffer;
        const view = (t: tf.TensorInfo, size: number) => new Float32Array(heap, offset(t), size);
        const sizeOf = (t: tf.TensorInfo) => t.shape.reduce((x, y) => x * y, 1);
        blas!.matmul(view(out, shape.batch * shape.m * shape.n), view(a, sizeOf(a)), view(b, sizeOf(b)), shape);
      } else {
        calls['wasm-simd']++;
        const pack = backend.makeOutput([Math.ceil(packBytes(shape) / 4) + 4], 'float32');
        kernel!.matmul(offset(out), offset(a), offset(b), shape, (offset(pack) + 15) & ~15);
        backend.disposeData(pack.dataId);
      }
      return out;
    },
    report: () => ({ matmul: mode, ...(blas ? { blas: blas.path, blasThreads: blas.threads } : {}), calls: { ...calls }, ...(note ? { note } : {}) }),
    close: () => blas?.close(),
  };
  tf.registerKernel(config);
  return config.report();
}

/** Scratch the kernel needs for `shape`: one packed KC×NC block of B. */
function packBytes(s: MatMulShape): number {
  const kc = Math.min(s.k, 256), nc = Math.ceil(Math.min(s.n, 512) / 8) * 8;
  return Math.min(GEMM32_PACK_BYTES, kc * nc * 4);
}

/** What the wasm BatchMatMul in use reports, or null when it is tfjs-wasm's own (not registered by eigenflow). */
export function matMulCompute(): ComputeInfo | null {
  const config = tf.getKernel('BatchMatMul', 'wasm');
  return isOurs(config) ? config.report() : null;
}

/** `now` with its call counts reduced to those made since `start` (one run's share). */
export function callsSince(start: ComputeInfo, now: ComputeInfo): ComputeInfo {
  if (!now.calls) return now;
  const calls = Object.fromEntries(Object.entries(now.calls).map(([path, n]) => [path, n - (start.calls?.[path as MatMulPath] ?? 0)]).filter(([, n]) => (n as number) > 0));
  return { ...now, calls };
}
