/**
 * `Slice`, `PadV2`, `Concat` and `SplitV` for the wasm backend as strided copies on its memory,
 * and an `Identity` that copies nothing.
 *
 * tfjs-wasm runs these in JavaScript, copying each innermost row with `set(subarray(…))`, which
 * allocates a typed-array view per row: for the short rows of small batched matrices that is
 * ~0.1 µs per row, and in `attention.iclRegression`'s step (slices, pads and concats of
 * [6144, 4, 5] tensors, and their gradients) these four kernels took ~100 of its ~130 ms.
 * Here the box is collapsed to as few, as long runs as its strides allow, and a run shorter than
 * ROW_SET entries (or strided) is copied by a plain loop.
 *
 * tfjs clones every tensor an op saves for its gradient (`Identity`), and tfjs-wasm's Identity
 * copies the data: six copies of a 1000×100 activation per step of a two-layer net. Data is never
 * written in place on this backend (Reshape already shares it), so Identity shares the data and
 * counts a reference, as the cpu backend's does. Strings and complex numbers stay on tfjs-wasm's
 * kernels; registered for wasm only (selectBackend).
 */
import * as tf from '@tensorflow/tfjs';

type Heap = Float32Array | Int32Array | Uint8Array;

/** The parts of the tfjs-wasm backend used here (not in its public types). */
interface WasmBackendParts {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  incRef(dataId: tf.DataId): void;
  typedArrayFromHeap(t: tf.TensorInfo): Heap;
}

/** From this many entries a contiguous row is copied with `set(subarray)` rather than a loop. */
const ROW_SET = 32;

const stridesOf = (shape: readonly number[]) => { const s = new Array<number>(shape.length).fill(1); for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!; return s; };

/**
 * The same box with dimensions of size 1 dropped and neighbours merged where both sides step
 * through them as one (a [6144, 4, 1] column of a [6144, 4, 5] tensor is one run of 24,576
 * entries 5 apart), so the loop below turns its odometer once per long run, not once per entry.
 */
function collapse(shape: readonly number[], ss: readonly number[], ds: readonly number[]): [number[], number[], number[]] {
  const n: number[] = [], a: number[] = [], b: number[] = [];
  shape.forEach((size, i) => {
    if (size === 1) return;
    const last = n.length - 1;
    if (last >= 0 && a[last] === ss[i]! * size && b[last] === ds[i]! * size) { n[last]! *= size; a[last] = ss[i]!; b[last] = ds[i]!; return; }
    n.push(size); a.push(ss[i]!); b.push(ds[i]!);
  });
  return [n, a, b];
}

/** dst[dstOffset + Σ i_d·dstStrides_d] = src[srcOffset + Σ i_d·srcStrides_d] for every index i of `shape`. */
export function copyBox(src: Heap, srcOffset: number, srcStrides: readonly number[], dst: Heap, dstOffset: number, dstStrides: readonly number[], shape: readonly number[]): void {
  if (shape.some((n) => n === 0)) return;
  const [dims, ss, ds] = collapse(shape, srcStrides, dstStrides);
  const rank = dims.length;
  if (rank === 0) { dst[dstOffset] = src[srcOffset]!; return; }
  const run = dims[rank - 1]!, sj = ss[rank - 1]!, dj = ds[rank - 1]!;
  const contiguous = sj === 1 && dj === 1 && run >= ROW_SET;
  const index = new Array<number>(rank - 1).fill(0);
  let s = srcOffset, d = dstOffset;
  for (;;) {
    if (contiguous) dst.set(src.subarray(s, s + run), d);
    else for (let j = 0; j < run; j++) dst[d + j * dj] = src[s + j * sj]!;
    // next run: odometer over the outer dimensions
    let axis = rank - 2;
    for (; axis >= 0; axis--) {
      s += ss[axis]!; d += ds[axis]!;
      if (++index[axis]! < dims[axis]!) break;
      s -= ss[axis]! * dims[axis]!; d -= ds[axis]! * dims[axis]!;
      index[axis] = 0;
    }
    if (axis < 0) return;
  }
}

const offsetOf = (begin: readonly number[], strides: readonly number[]) => begin.reduce((o, b, i) => o + b * strides[i]!, 0);
const plainDtype = (t: tf.TensorInfo) => t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool';

function slice(backend: WasmBackendParts, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  const xs = stridesOf(x.shape);
  copyBox(backend.typedArrayFromHeap(x), offsetOf(begin, xs), xs, backend.typedArrayFromHeap(out), 0, stridesOf(size), size);
  return out;
}

/** Registers the five kernels for wasm, each falling back to tfjs-wasm's own for strings and complex numbers. */
export function registerWasmCopyKernels(): void {
  // each returns null for what it leaves to tfjs-wasm's kernel
  const kernels: [string, (args: Parameters<tf.KernelFunc>[0]) => tf.TensorInfo | tf.TensorInfo[] | null][] = [
    ['Identity', ({ inputs, backend }) => {
      const x = (inputs as { x: tf.TensorInfo }).x;
      if (!plainDtype(x)) return null;
      (backend as unknown as WasmBackendParts).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    }],
    ['Slice', ({ inputs, backend, attrs }) => {
      const x = (inputs as { x: tf.TensorInfo }).x;
      if (!plainDtype(x)) return null;
      const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, (attrs as { begin: number[] }).begin, (attrs as { size: number[] }).size);
      return slice(backend as unknown as WasmBackendParts, x, begin, size);
    }],
    ['PadV2', ({ inputs, backend, attrs }) => {
      const x = (inputs as { x: tf.TensorInfo }).x;
      if (!plainDtype(x)) return null;
      const { paddings, constantValue } = attrs as unknown as { paddings: [number, number][]; constantValue: number };
      const b = backend as unknown as WasmBackendParts;
      const shape = x.shape.map((n, i) => paddings[i]![0] + n + paddings[i]![1]);
      const out = b.makeOutput(shape, x.dtype);
      const dst = b.typedArrayFromHeap(out);
      dst.fill(constantValue);
      const os = stridesOf(shape);
      copyBox(b.typedArrayFromHeap(x), 0, stridesOf(x.shape), dst, offsetOf(paddings.map((p) => p[0]), os), os, x.shape);
      return out;
    }],
    ['Concat', ({ inputs, backend, attrs }) => {
      const xs = inputs as unknown as tf.TensorInfo[];
      if (!xs.every(plainDtype) || xs.some((t) => t.dtype !== xs[0]!.dtype)) return null;
      const axis = tf.util.parseAxisParam((attrs as { axis: number }).axis, xs[0]!.shape)[0]!;
      const b = backend as unknown as WasmBackendParts;
      const shape = xs[0]!.shape.slice();
      shape[axis] = xs.reduce((n, t) => n + t.shape[axis]!, 0);
      const out = b.makeOutput(shape, xs[0]!.dtype);
      const dst = b.typedArrayFromHeap(out), os = stridesOf(shape);
      let at = 0;
      for (const t of xs) {
        copyBox(b.typedArrayFromHeap(t), 0, stridesOf(t.shape), dst, at * os[axis]!, os, t.shape);
        at += t.shape[axis]!;
      }
      return out;
    }],
    ['SplitV', ({ inputs, backend, attrs }) => {
      const x = (inputs as { x: tf.TensorInfo }).x;
      if (!plainDtype(x)) return null;
      const { numOrSizeSplits, axis: rawAxis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
      const axis = tf.util.parseAxisParam(rawAxis, x.shape)[0]!;
      const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, axis);
      const begin = x.shape.map(() => 0);
      return sizes.map((n) => {
        const size = x.shape.slice();
        size[axis] = n;
        const out = slice(backend as unknown as WasmBackendParts, x, begin.slice(), size);
        begin[axis]! += n;
        return out;
      });
    }],
  ];
  for (const [kernelName, run] of kernels) {
    const current = tf.getKernel(kernelName, 'wasm');
    if (!current) continue;
    const original = (current as tf.KernelConfig & { original?: tf.KernelConfig }).original ?? current;
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', original, setupFunc: original.setupFunc, kernelFunc: (args) => run(args) ?? original.kernelFunc(args) } as tf.KernelConfig);
  }
}
