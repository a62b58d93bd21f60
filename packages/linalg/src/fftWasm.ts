/**
 * The WebAssembly SIMD path of the FFT convolution: kernels/fft.wat (readable WebAssembly text,
 * each kernel documented there) built into src/fftKernelBinary.ts by `npm run build:kernels`.
 *
 * A real convolution of size N (a power of two ≥ 2) runs as
 *   1. each real input read as M = N/2 complex numbers z_j = x_{2j} + i·x_{2j+1} (that is just the
 *      interleaved float64 layout: copying the input into the memory packs it),
 *   2. a forward complex FFT of size M, decimation in frequency: natural order in, bit-reversed
 *      order out, so no permutation pass;
 *   3. the `spectrum` kernel: from the packed spectra it forms both real spectra, multiplies them
 *      and packs the product for the inverse (pairs k, M − k sit in the same bit-reversed block);
 *   4. the inverse complex FFT, decimation in time: bit-reversed in, natural order out, which is
 *      the real output interleaved.
 * Passes are radix 4 (one radix-2 pass of span 2 when log2 M is odd). Blocks larger than
 * `BLOCK` complex entries are taken depth first (one pass over the block, then each quarter in
 * turn) so the later passes run on data that stays in cache; smaller blocks run pass by pass.
 *
 * Twiddles come from Math.cos/Math.sin (one call pair per angle up to π/4, the rest by exact
 * symmetries), never by recurrence and never as products; the tables are copies of those values.
 *
 * Nothing is kept at module level but the compiled module (immutable). A `WasmConvPlan` holds one
 * instance, its memory (sized for one transform size) and the tables; it can be made once with
 * `wasmConvPlan` and passed to repeated convolutions of the same size, and is never shared
 * implicitly. `wasmConvPlan` returns null when the runtime lacks WebAssembly SIMD.
 */
import { FFT_WASM_BASE64 } from './fftKernelBinary.ts';

/** The compiled FFT kernels, or null when this runtime lacks WebAssembly SIMD. */
const FFT_MODULE: WebAssembly.Module | null = compileFftKernels();

function compileFftKernels(): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(Buffer.from(FFT_WASM_BASE64, 'base64'));
  } catch {
    return null;
  }
}

/** Whether the FFT kernels compiled in this runtime (false: the TypeScript transforms run). */
export function fftKernelsAvailable(): boolean {
  return FFT_MODULE !== null;
}

/** Complex blocks up to this many entries are transformed pass by pass (they stay in cache). */
const BLOCK = 1 << 12;

interface FftKernels {
  dif4(base: number, n: number, count: number, tw: number): void;
  dit4(base: number, n: number, count: number, tw: number): void;
  dif4s(base: number, count: number): void;
  dit4s(base: number, count: number): void;
  bfly2(base: number, count: number): void;
  spectrum(za: number, zb: number, tw: number, m: number, scale: number): void;
}

/** One instance of the kernels on a memory laid out for complex transforms of size m. */
export interface WasmFftPlan {
  /** Complex transform size (a power of two ≥ 1). */
  readonly m: number;
  readonly k: FftKernels;
  /** The whole memory as float64. */
  readonly f64: Float64Array;
  /** Byte offsets of the two data arrays (m complex entries each). */
  readonly za: number;
  readonly zb: number;
  /** Byte offset of the stage table of each span n ≥ 8, by log2 n. */
  readonly stage: number[];
  /** Byte offset of the twist table of the real transform (see `spectrum` in kernels/fft.wat). */
  readonly twist: number;
}

/** Real convolution plan: size N = 2m real points. */
export interface WasmConvPlan extends WasmFftPlan { readonly n: number }

const log2 = (n: number) => 31 - Math.clz32(n);

/** Spans that have a stage table: m, m/4, m/16, … while ≥ 8. */
function tableSpans(m: number): number[] {
  const spans: number[] = [];
  for (let s = m; s >= 8; s >>= 2) spans.push(s);
  return spans;
}

/**
 * Kernels and memory for complex transforms of size m (a power of two), with the stage tables
 * filled, and the twist table of a real transform of size 2m when `real`; null without SIMD or
 * when the memory would exceed 2 GiB (m > 2^25).
 * Memory: the two data arrays (32m bytes), the stage tables (8 bytes per entry of their span,
 * about 10.7m bytes in all) and the twist table (8m bytes).
 */
function makePlan(m: number, real: boolean): WasmFftPlan | null {
  if (!FFT_MODULE) return null;
  if (!(Number.isInteger(m) && m >= 1 && (m & (m - 1)) === 0)) throw new Error(`wasm FFT: size must be a power of two but got ${m}`);
  const spans = tableSpans(m);
  const za = 0, zb = 16 * m;
  let off = 32 * m;
  const stage: number[] = [];
  for (const s of spans) { stage[log2(s)] = off; off += 8 * s; }
  const twist = off;
  off += real ? 16 * Math.max(1, m >> 1) : 0;
  // Beyond 2 GiB byte offsets no longer fit a signed 32-bit integer: leave such sizes to TypeScript.
  if (off > 2 ** 31) return null;
  const pages = Math.max(1, Math.ceil(off / 65536));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const k = new WebAssembly.Instance(FFT_MODULE, { env: { mem: memory } }).exports as unknown as FftKernels;
  const f64 = new Float64Array(memory.buffer);
  const q = quarterRoots(m);
  for (const s of spans) writeStage(f64, stage[log2(s)] / 8, q, m, s);
  if (real) writeTwist(f64, twist / 8, q, m);
  return { m, k, f64, za, zb, stage, twist };
}

/** A plan for complex transforms of size m (a power of two), or null (no WebAssembly SIMD, or m > 2^25). */
export function wasmFftPlan(m: number): WasmFftPlan | null {
  return makePlan(m, false);
}

/** A plan for real convolutions of size n (a power of two ≥ 2), or null (no WebAssembly SIMD, or n > 2^26). */
export function wasmConvPlan(n: number): WasmConvPlan | null {
  if (!(Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0)) throw new Error(`wasm convolution: size must be a power of two ≥ 2 but got ${n}`);
  const p = makePlan(n >> 1, true);
  return p && { ...p, n };
}

/** cos and sin of πj/m for j ≤ m/4 (angles up to π/4), interleaved: every other root follows exactly. */
function quarterRoots(m: number): Float64Array {
  const top = m >> 2, q = new Float64Array(2 * top + 2);
  q[0] = 1; q[1] = 0;
  for (let j = 1; j <= top; j++) { q[2 * j] = Math.cos((Math.PI * j) / m); q[2 * j + 1] = Math.sin((Math.PI * j) / m); }
  return q;
}

/**
 * e^{−πit/m} (0 ≤ t < m) written as (re, im) at f[at], from the quarter table by the exact
 * reflections θ → π/2 − θ, π/2 + θ, π − θ (as `twiddles` in fft.ts).
 */
function writeRoot(f: Float64Array, at: number, q: Float64Array, m: number, t: number): void {
  if (4 * t <= m) { f[at] = q[2 * t]; f[at + 1] = -q[2 * t + 1]; return; }
  if (2 * t <= m) { const u = 2 * ((m >> 1) - t); f[at] = q[u + 1]; f[at + 1] = -q[u]; return; }
  if (4 * t <= 3 * m) { const u = 2 * (t - (m >> 1)); f[at] = -q[u + 1]; f[at + 1] = -q[u]; return; }
  const u = 2 * (m - t); f[at] = -q[u]; f[at + 1] = -q[u + 1];
}

/** The stage table of span n: w^k, w^{2k} (w = e^{−2πi/n} = e^{−πi(2m/n)/m}) for k < n/4. */
function writeStage(f: Float64Array, at: number, q: Float64Array, m: number, n: number): void {
  const step = (2 * m) / n;
  for (let k = 0; k < n >> 2; k++) {
    writeRoot(f, at + 4 * k, q, m, k * step);
    writeRoot(f, at + 4 * k + 2, q, m, 2 * k * step);
  }
}

/**
 * The twist factors W_k = e^{−2πik/(2m)} in the order the `spectrum` kernel meets them:
 * for each bit-reversed block [B, 2B), B = 2 … m/2, the positions p = B … B + B/2 − 1, k = rev(p).
 */
function writeTwist(f: Float64Array, at: number, q: Float64Array, m: number): void {
  const bits = log2(m);
  let t = at;
  for (let B = 2; B < m; B <<= 1) {
    for (let p = B; p < B + (B >> 1); p++, t += 2) writeRoot(f, t, q, m, reverseBits(p, bits));
  }
}

function reverseBits(x: number, bits: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  x = (x >>> 16) | (x << 16);
  return bits === 0 ? 0 : x >>> (32 - bits);
}

/** Forward DIF transform of the n complex entries at byte offset `base` (bit-reversed result). */
function forward(p: WasmFftPlan, base: number, n: number): void {
  const { k, stage } = p;
  if (n > BLOCK) {
    k.dif4(base, n, 1, stage[log2(n)]);
    for (let j = 0; j < 4; j++) forward(p, base + j * 4 * n, n >> 2);
    return;
  }
  let s = n;
  for (; s >= 8; s >>= 2) k.dif4(base, s, n / s, stage[log2(s)]);
  if (s === 4) k.dif4s(base, n >> 2);
  else if (s === 2) k.bfly2(base, n >> 1);
}

/** Inverse DIT transform (unnormalised) of the n bit-reversed entries at `base` (natural result). */
function inverse(p: WasmFftPlan, base: number, n: number): void {
  const { k, stage } = p;
  if (n > BLOCK) {
    for (let j = 0; j < 4; j++) inverse(p, base + j * 4 * n, n >> 2);
    k.dit4(base, n, 1, stage[log2(n)]);
    return;
  }
  if (n < 2) return;
  let s: number;
  if (log2(n) % 2 === 1) { k.bfly2(base, n >> 1); s = 8; } else { k.dit4s(base, n >> 2); s = 16; }
  for (; s <= n; s <<= 2) k.dit4(base, s, n / s, stage[log2(s)]);
}

/**
 * In-place DFT of (re, im) by the SIMD kernels, in natural order both ways (the bit reversal is
 * done here in TypeScript: this entry point is for testing the transforms on their own; the
 * convolution never permutes). The inverse includes 1/N, as `fft` in fft.ts. Returns false when
 * WebAssembly SIMD is unavailable (nothing is changed then).
 */
export function wasmFft(re: Float64Array, im: Float64Array, opts: { inverse?: boolean; plan?: WasmFftPlan } = {}): boolean {
  const m = re.length;
  if (im.length !== m) throw new Error(`wasmFft: re and im must have the same length but got ${m} and ${im.length}`);
  const plan = opts.plan ?? wasmFftPlan(m);
  if (!plan) return false;
  if (plan.m !== m) throw new Error(`wasmFft: plan is for length ${plan.m} but the arrays have length ${m}`);
  const f = plan.f64, z = plan.za / 8, bits = log2(m);
  // forward: natural in, bit-reversed out; inverse: bit-reversed in, natural out
  for (let j = 0; j < m; j++) {
    const at = z + 2 * (opts.inverse ? reverseBits(j, bits) : j);
    f[at] = re[j]; f[at + 1] = im[j];
  }
  if (opts.inverse) inverse(plan, plan.za, m); else forward(plan, plan.za, m);
  const s = opts.inverse ? 1 / m : 1;
  for (let j = 0; j < m; j++) {
    const at = z + 2 * (opts.inverse ? j : reverseBits(j, bits));
    re[j] = f[at] * s; im[j] = f[at + 1] * s;
  }
  return true;
}

/**
 * The first `need` outputs of the linear convolution of a[0..la) and b[0..lb) by a real transform
 * of size plan.n (≥ la + lb − 1, so nothing wraps around), written to out[0..need).
 */
export function wasmConvolveInto(out: Float64Array, a: ArrayLike<number>, la: number, b: ArrayLike<number>, lb: number, need: number, plan: WasmConvPlan): void {
  const { m, n, f64: f, za, zb, k } = plan;
  if (la + lb - 1 > n) throw new Error(`wasm convolution: inputs of lengths ${la} and ${lb} need a size of at least ${la + lb - 1} but the plan's is ${n}`);
  load(f, za / 8, a, la, n);
  load(f, zb / 8, b, lb, n);
  forward(plan, za, m);
  forward(plan, zb, m);
  // Positions 0 (k = 0, with the Nyquist term) and 1 (k = m/2) pair with themselves.
  const a0 = za / 8, b0 = zb / 8;
  {
    const xa0 = f[a0] + f[a0 + 1], xaN = f[a0] - f[a0 + 1];
    const xb0 = f[b0] + f[b0 + 1], xbN = f[b0] - f[b0 + 1];
    const c0 = xa0 * xb0, cN = xaN * xbN;
    f[a0] = (c0 + cN) / (2 * m); f[a0 + 1] = (c0 - cN) / (2 * m);
  }
  if (m >= 2) {
    // X_{m/2} = conj Z, so the product packs back to Za·Zb
    const ar = f[a0 + 2], ai = f[a0 + 3], br = f[b0 + 2], bi = f[b0 + 3];
    f[a0 + 2] = (ar * br - ai * bi) / m; f[a0 + 3] = (ar * bi + ai * br) / m;
  }
  if (m >= 4) k.spectrum(za, zb, plan.twist, m, 1 / (8 * m));
  inverse(plan, za, m);
  out.set(f.subarray(a0, a0 + need));
}

/** x[0..len) into the float64 array at index `at`, zero-padded to n entries. */
function load(f: Float64Array, at: number, x: ArrayLike<number>, len: number, n: number): void {
  if (x instanceof Float64Array) f.set(len === x.length ? x : x.subarray(0, len), at);
  else for (let j = 0; j < len; j++) f[at + j] = x[j];
  f.fill(0, at + len, at + n);
}
