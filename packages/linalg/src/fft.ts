/**
 * Float64 radix-2/4 FFT, real-input FFT, and FFT-based linear (zero-padded) convolution of real
 * sequences.
 *
 * `fft` is an in-place iterative Cooley–Tukey transform on separate real/imaginary arrays, with
 * twiddle factors from `Math.cos/sin` directly rather than by recurrence, so the error stays
 * O(ε log N). A `FftPlan` (twiddles + bit reversal for one size) can be made once with `fftPlan`
 * and passed to repeated calls; nothing is cached between calls at module level.
 *
 * `convolve` transforms each real input on its own (`rfft`: a real sequence of N points as one
 * complex transform of N/2) and multiplies the half spectra, so the error of every output is
 * ε·log N relative to ‖a‖·‖b‖ whatever the two inputs' scales are. (Packing a + i·b into one
 * complex transform would save one half-size transform, but then the smaller of the two is lost
 * in the rounding of the larger: relative error ε × their scale ratio.) Short kernels go to the
 * direct O(N·K) sum, which is faster below a few thousand multiply-adds.
 *
 * The FFT method runs in the WebAssembly SIMD kernels of kernels/fft.wat (see fftWasm.ts: the
 * same real-input method, in bit-reversed order without a permutation pass). The transforms in
 * this file are kept on purpose: `fft`, `rfft` and `irfft` are public (complex and real
 * transforms of any power-of-two size), and convolution falls back to them for transform sizes
 * beyond the kernels' 2^26 or a runtime without WebAssembly SIMD (`convolveByTypeScriptFft`, which
 * the tests also check the kernels against).
 *
 * ```ts
 * convolve([1, 2, 3], [0, 1, 0.5]);            // full length 5: [0, 1, 2.5, 4, 1.5]
 * convolve(u, k, { length: u.length });         // causal: the first u.length outputs
 * ```
 */
import { wasmConvPlan, wasmConvolveInto, type WasmConvPlan } from './fftWasm.ts';

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPow2(n: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`nextPow2: n must be a positive integer but got ${n}`);
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Everything a transform of size n needs that does not depend on the data.
 * Twiddles are stored per stage, contiguous: the stage with butterflies of half-size h reads
 * e^{−πik/h}, k < h, at offset h − 1 (n − 1 entries in all). Contiguous reads keep the large
 * transforms in cache, where one shared table read with stride n/(2h) does not. The table of a
 * size-2n plan starts with the table of size n, which the real transform uses.
 */
export interface FftPlan {
  readonly n: number;
  readonly twr: Float64Array;
  readonly twi: Float64Array;
  /** Bit-reversal permutation of 0..n−1. */
  readonly rev: Uint32Array;
}

function checkPow2(fn: string, n: number): void {
  if (n === 0 || !Number.isInteger(n) || (n & (n - 1)) !== 0) {
    throw new Error(`${fn}: length must be a power of two but got ${n} (zero-pad to nextPow2(${n}) = ${n >= 1 ? nextPow2(Math.ceil(n)) : 1})`);
  }
}

/** Stage twiddles for all stages of a size-n transform (see `FftPlan`). */
function twiddles(n: number): { twr: Float64Array; twi: Float64Array } {
  const twr = new Float64Array(Math.max(n - 1, 1)), twi = new Float64Array(Math.max(n - 1, 1));
  const top = n >> 1; // the last stage: e^{−πik/top}; smaller stages are strided copies of it
  if (top === 0) return { twr, twi };
  // Angles θ_k = πk/top in [0, π): cos/sin from Math for θ ≤ π/4, the rest by the exact
  // reflections θ → π/2 − θ, π/2 + θ, π − θ (a quarter of the calls, and exactly symmetric).
  const o = top - 1, q = top >> 2;
  twr[o] = 1; twi[o] = 0;
  if (top === 2) { twr[o + 1] = 0; twi[o + 1] = -1; }
  for (let k = 1; k <= q && top >= 4; k++) {
    const c = Math.cos((Math.PI * k) / top), s = Math.sin((Math.PI * k) / top);
    twr[o + k] = c; twi[o + k] = -s;
    twr[o + top / 2 - k] = s; twi[o + top / 2 - k] = -c;
    twr[o + top / 2 + k] = -s; twi[o + top / 2 + k] = -c;
    twr[o + top - k] = -c; twi[o + top - k] = -s;
  }
  if (top >= 4) { twr[o + top / 2] = 0; twi[o + top / 2] = -1; }
  for (let h = top >> 1; h >= 1; h >>= 1) {
    const stride = top / h;
    for (let k = 0; k < h; k++) { twr[h - 1 + k] = twr[top - 1 + k * stride]; twi[h - 1 + k] = twi[top - 1 + k * stride]; }
  }
  return { twr, twi };
}

function bitReversal(n: number): Uint32Array {
  const rev = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 1; i < n; i++) rev[i] = (rev[i >> 1] >> 1) | ((i & 1) << (bits - 1));
  return rev;
}

/** Twiddles and bit reversal for complex transforms of size n (a power of two). */
export function fftPlan(n: number): FftPlan {
  checkPow2('fftPlan', n);
  return { n, ...twiddles(n), rev: bitReversal(n) };
}

/**
 * In-place DFT of (re, im): X_k = Σ_j x_j e^{∓2πi jk/N} (− forward, + inverse). The inverse
 * includes the 1/N factor, so `fft(x); fft(x, {inverse: true})` returns x.
 */
export function fft(re: Float64Array, im: Float64Array, opts: { inverse?: boolean; plan?: FftPlan } = {}): void {
  const n = re.length;
  if (im.length !== n) throw new Error(`fft: re and im must have the same length but got ${n} and ${im.length}`);
  checkPow2('fft', n);
  if (opts.plan && opts.plan.n !== n) throw new Error(`fft: plan is for length ${opts.plan.n} but the arrays have length ${n}`);
  if (n === 1) return;
  const p = opts.plan ?? fftPlan(n);
  transform(re, im, n, p.twr, p.twi, p.rev, opts.inverse ?? false);
  if (opts.inverse) {
    const s = 1 / n;
    for (let i = 0; i < n; i++) { re[i] *= s; im[i] *= s; }
  }
}

/** The unnormalised transform of the first n entries; twr/twi hold at least the n − 1 stage twiddles. */
function transform(re: Float64Array, im: Float64Array, n: number, twr: Float64Array, twi: Float64Array, rev: Uint32Array, inverse: boolean): void {
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      const tr = re[i]; re[i] = re[j]; re[j] = tr;
      const ti = im[i]; im[i] = im[j]; im[j] = ti;
    }
  }
  if (n === 1) return;
  // First stage (h = 1): the twiddle is 1.
  for (let a = 0; a < n; a += 2) {
    const br = re[a + 1], bi = im[a + 1];
    re[a + 1] = re[a] - br; im[a + 1] = im[a] - bi;
    re[a] += br; im[a] += bi;
  }
  const sign = inverse ? -1 : 1;
  let h = 2;
  // Two radix-2 stages (h and 2h) per pass over memory: half the passes of plain radix-2.
  // The second stage's odd butterflies use w_{2h}^{k+h} = ∓i·w_{2h}^k.
  for (; 2 * h < n; h *= 4) {
    const o1 = h - 1, o2 = 2 * h - 1, size = 4 * h;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < h; k++) {
        const w1r = twr[o1 + k], w1i = sign * twi[o1 + k];
        const w2r = twr[o2 + k], w2i = sign * twi[o2 + k];
        const a0 = start + k, a1 = a0 + h, a2 = a1 + h, a3 = a2 + h;
        let tr = re[a1] * w1r - im[a1] * w1i, ti = re[a1] * w1i + im[a1] * w1r;
        const y0r = re[a0] + tr, y0i = im[a0] + ti, y1r = re[a0] - tr, y1i = im[a0] - ti;
        tr = re[a3] * w1r - im[a3] * w1i; ti = re[a3] * w1i + im[a3] * w1r;
        const y2r = re[a2] + tr, y2i = im[a2] + ti, y3r = re[a2] - tr, y3i = im[a2] - ti;
        const ur = y2r * w2r - y2i * w2i, ui = y2r * w2i + y2i * w2r;
        // v = (w2·y3)·(−i) forward, ·(+i) inverse: (x + iy)(∓i) = ±y ∓ i·x
        const pr = y3r * w2r - y3i * w2i, pi = y3r * w2i + y3i * w2r;
        const vr = sign * pi, vi = -sign * pr;
        re[a0] = y0r + ur; im[a0] = y0i + ui; re[a2] = y0r - ur; im[a2] = y0i - ui;
        re[a1] = y1r + vr; im[a1] = y1i + vi; re[a3] = y1r - vr; im[a3] = y1i - vi;
      }
    }
  }
  if (h < n) {
    const off = h - 1, size = 2 * h;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < h; k++) {
        const wr = twr[off + k], wi = sign * twi[off + k];
        const a = start + k, b = a + h;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
}

/**
 * Plan for real transforms of size n (≥ 2, a power of two): the twiddles of size n (whose
 * prefix serves the half-size complex transform) and the bit reversal of size n/2.
 */
export interface RealFftPlan { readonly n: number; readonly twr: Float64Array; readonly twi: Float64Array; readonly rev: Uint32Array }

export function realFftPlan(n: number): RealFftPlan {
  checkPow2('realFftPlan', n);
  if (n < 2) throw new Error(`realFftPlan: length must be at least 2 but got ${n}`);
  return { n, ...twiddles(n), rev: bitReversal(n >> 1) };
}

/**
 * Spectrum X_k = Σ_j x_j e^{−2πi jk/N}, k = 0..N/2, of a real sequence x (zero-padded to the
 * plan's N), by one complex transform of N/2 points: z_j = x_{2j} + i·x_{2j+1}. Returns the
 * N/2 + 1 entries in (re, im); the rest follow from X_{N−k} = conj X_k.
 */
export function rfft(x: ArrayLike<number>, plan: RealFftPlan): { re: Float64Array; im: Float64Array } {
  if (x.length > plan.n) throw new Error(`rfft: input has ${x.length} entries, more than the plan's length ${plan.n}`);
  return realSpectrum(x, x.length, plan);
}

/** `rfft` of the first len entries of x. */
function realSpectrum(x: ArrayLike<number>, len: number, plan: RealFftPlan): { re: Float64Array; im: Float64Array } {
  const half = plan.n >> 1;
  const zr = new Float64Array(half), zi = new Float64Array(half);
  for (let j = 0; j < half; j++) {
    const e = 2 * j, o = e + 1;
    zr[j] = e < len ? x[e] : 0;
    zi[j] = o < len ? x[o] : 0;
  }
  transform(zr, zi, half, plan.twr, plan.twi, plan.rev, false);
  const re = new Float64Array(half + 1), im = new Float64Array(half + 1);
  re[0] = zr[0] + zi[0]; re[half] = zr[0] - zi[0];
  const { twr, twi } = plan;
  for (let k = 1; k < half; k++) {
    // E = (Z_k + conj Z_{M−k})/2, O = (Z_k − conj Z_{M−k})/(2i), X_k = E + e^{−2πik/N}·O
    const ar = zr[k], ai = zi[k], br = zr[half - k], bi = -zi[half - k];
    const er = (ar + br) / 2, ei = (ai + bi) / 2;
    const or = (ai - bi) / 2, oi = -(ar - br) / 2;
    const cr = twr[half - 1 + k], ci = twi[half - 1 + k];
    re[k] = er + or * cr - oi * ci;
    im[k] = ei + or * ci + oi * cr;
  }
  return { re, im };
}

/**
 * Inverse of `rfft`: the real sequence (length N) whose spectrum has the N/2 + 1 entries
 * (re, im) (Hermitian symmetry supplies the rest; im[0] and im[N/2] are ignored).
 */
export function irfft(re: Float64Array, im: Float64Array, plan: RealFftPlan): Float64Array {
  const n = plan.n, half = n >> 1;
  if (re.length !== half + 1 || im.length !== half + 1) throw new Error(`irfft: spectrum must have ${half + 1} entries but got ${re.length} and ${im.length}`);
  const { twr, twi } = plan;
  // With E_k = (P_k + conj P_{M−k})/2 and O_k = (P_k − conj P_{M−k})·e^{+2πik/N}/2,
  // IFFT_M(E + iO)_j = x_{2j} + i·x_{2j+1}.
  const hr = new Float64Array(half), hi = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    const qr = re[half - k], qi = k === 0 ? 0 : -im[half - k]; // conj P_{M−k}
    const pr = re[k], pi = k === 0 ? 0 : im[k];
    const er = (pr + qr) / 2, ei = (pi + qi) / 2;
    const dr = (pr - qr) / 2, di = (pi - qi) / 2;
    const cr = twr[half - 1 + k], ci = -twi[half - 1 + k]; // e^{+2πik/N}
    const or = dr * cr - di * ci, oi = dr * ci + di * cr;
    hr[k] = er - oi; hi[k] = ei + or;
  }
  transform(hr, hi, half, twr, twi, plan.rev, true);
  const out = new Float64Array(n), s = 1 / half;
  for (let j = 0; j < half; j++) { out[2 * j] = hr[j] * s; out[2 * j + 1] = hi[j] * s; }
  return out;
}

export interface ConvolveOptions {
  /** Number of outputs: default the full a.length + b.length − 1; u.length gives the causal part. */
  length?: number;
  /**
   * `auto` (default) uses the direct sum when it costs fewer than ~4·N·log2 N multiply-adds, else
   * the FFT; `direct` and `fft` force one (the SSM nodes compare them).
   */
  method?: 'auto' | 'fft' | 'direct';
  /**
   * A WebAssembly plan from `convolvePlan` for inputs of these lengths, reused across calls (its
   * tables and memory are then made once); it implies the FFT method with the wasm kernels. The
   * plan's memory is overwritten by each call: use one plan for one convolution at a time.
   */
  plan?: WasmConvPlan;
}

/**
 * The transform size `convolve` uses for inputs of lengths la, lb and `length` outputs (default
 * the full la + lb − 1): the power of two ≥ 2 that holds the wanted outputs without wrap-around.
 */
export function convolveSize(la: number, lb: number, length = la + lb - 1): number {
  const need = Math.min(length, la + lb - 1);
  return Math.max(2, nextPow2(Math.max(1, Math.min(la, need) + Math.min(lb, need) - 1)));
}

/**
 * A reusable WebAssembly plan for `convolve(a, b, {length, plan})` with a.length = la and
 * b.length = lb (twiddle tables and a memory sized for the call); null without WebAssembly SIMD.
 */
export function convolvePlan(la: number, lb: number, length = la + lb - 1): WasmConvPlan | null {
  return wasmConvPlan(convolveSize(la, lb, length));
}

/** Linear convolution c_k = Σ_j a_j b_{k−j} of two real sequences, zero-padded (no wrap-around). */
export function convolve(a: ArrayLike<number>, b: ArrayLike<number>, opts: ConvolveOptions = {}): Float64Array {
  const full = a.length + b.length - 1;
  if (a.length === 0 || b.length === 0) throw new Error(`convolve: both sequences must be non-empty but got lengths ${a.length} and ${b.length}`);
  const length = opts.length ?? full;
  if (!(Number.isInteger(length) && length >= 0)) throw new Error(`convolve: length must be a non-negative integer but got ${length}`);
  const method = opts.method ?? 'auto';
  const need = Math.min(length, full); // outputs past the full length are zero
  const out = new Float64Array(length);
  if (need === 0) return out;
  // Only the first `need` outputs are wanted: inputs beyond index need−1 cannot contribute,
  // and a transform of size ≥ la + lb − 1 has no wrap-around.
  const la = Math.min(a.length, need), lb = Math.min(b.length, need);
  const size = Math.max(2, nextPow2(la + lb - 1));
  if (opts.plan) {
    if (opts.plan.n !== size) throw new Error(`convolve: plan is for transform size ${opts.plan.n} but these inputs need ${size} (make it with convolvePlan(${a.length}, ${b.length}, ${length}))`);
    wasmConvolveInto(out, a, la, b, lb, need, opts.plan);
    return out;
  }
  const directCost = need * Math.min(la, lb);
  const useFft = method === 'fft' || (method === 'auto' && directCost > 4 * size * Math.log2(Math.max(size, 2)));
  if (!useFft) {
    directInto(out, a, b, need);
    return out;
  }
  const wasmPlan = wasmConvPlan(size);
  if (wasmPlan) wasmConvolveInto(out, a, la, b, lb, need, wasmPlan);
  else typescriptFftInto(out, a, la, b, lb, need, size);
  return out;
}

/**
 * The FFT convolution on the transforms of this file: what `convolve` runs when the WebAssembly
 * kernels cannot (transform sizes beyond 2^26, or no SIMD). Same arguments and result as
 * `convolve(a, b, {length, method: 'fft'})`.
 */
export function convolveByTypeScriptFft(a: ArrayLike<number>, b: ArrayLike<number>, opts: { length?: number } = {}): Float64Array {
  const length = opts.length ?? a.length + b.length - 1, need = Math.min(length, a.length + b.length - 1);
  const out = new Float64Array(length);
  if (need <= 0) return out;
  const la = Math.min(a.length, need), lb = Math.min(b.length, need);
  typescriptFftInto(out, a, la, b, lb, need, Math.max(2, nextPow2(la + lb - 1)));
  return out;
}

function typescriptFftInto(out: Float64Array, a: ArrayLike<number>, la: number, b: ArrayLike<number>, lb: number, need: number, size: number): void {
  const plan = realFftPlan(size);
  const A = realSpectrum(a, la, plan), B = realSpectrum(b, lb, plan);
  const half = size >> 1;
  for (let k = 0; k <= half; k++) {
    const ar = A.re[k], ai = A.im[k], br = B.re[k], bi = B.im[k];
    A.re[k] = ar * br - ai * bi;
    A.im[k] = ar * bi + ai * br;
  }
  const c = irfft(A.re, A.im, plan);
  out.set(need === size ? c : c.subarray(0, need));
}

function directInto(out: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>, need: number): void {
  for (let k = 0; k < need; k++) {
    let s = 0;
    const jLo = Math.max(0, k - b.length + 1), jHi = Math.min(k, a.length - 1);
    for (let j = jLo; j <= jHi; j++) s += a[j] * b[k - j];
    out[k] = s;
  }
}
