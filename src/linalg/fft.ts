/**
 * Float64 radix-2 FFT and FFT-based linear (zero-padded) convolution of real sequences.
 *
 * `fft` is an in-place iterative Cooley–Tukey transform on separate real/imaginary arrays, with
 * twiddle factors computed once per size (cached) from `Math.cos/sin` directly rather than by
 * recurrence, so the error stays O(ε log N). `convolve` packs both real inputs into ONE complex
 * transform (z = a + i·b), splits the spectra by Hermitian symmetry, and inverts once: two
 * transforms of size N instead of three. Short kernels go to the direct O(N·K) sum, which is
 * faster below a few thousand multiply-adds and exact in the same rounding sense.
 *
 * ```ts
 * convolve([1, 2, 3], [0, 1, 0.5]);            // full length 5: [0, 1, 2.5, 4, 1.5]
 * convolve(u, k, { length: u.length });         // causal: the first u.length outputs
 * ```
 */

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPow2(n: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new Error(`nextPow2: n must be a positive integer but got ${n}`);
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

interface Plan { n: number; cos: Float64Array; sin: Float64Array; rev: Uint32Array }
const plans = new Map<number, Plan>();

function plan(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  const half = n >> 1;
  const cos = new Float64Array(half), sin = new Float64Array(half);
  for (let k = 0; k < half; k++) { cos[k] = Math.cos((2 * Math.PI * k) / n); sin[k] = Math.sin((2 * Math.PI * k) / n); }
  const rev = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, x = i; b < bits; b++, x >>= 1) r = (r << 1) | (x & 1);
    rev[i] = r;
  }
  p = { n, cos, sin, rev };
  if (plans.size > 32) plans.clear(); // bounded: a sweep over many sizes must not grow memory
  plans.set(n, p);
  return p;
}

/**
 * In-place DFT of (re, im): X_k = Σ_j x_j e^{∓2πi jk/N} (− forward, + inverse). The inverse
 * includes the 1/N factor, so `fft(x); fft(x, {inverse: true})` returns x.
 */
export function fft(re: Float64Array, im: Float64Array, opts: { inverse?: boolean } = {}): void {
  const n = re.length;
  if (im.length !== n) throw new Error(`fft: re and im must have the same length but got ${n} and ${im.length}`);
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new Error(`fft: length must be a power of two but got ${n} (zero-pad to nextPow2(${n}) = ${n ? nextPow2(n) : 1})`);
  }
  if (n === 1) return;
  const { cos, sin, rev } = plan(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      const tr = re[i]; re[i] = re[j]; re[j] = tr;
      const ti = im[i]; im[i] = im[j]; im[j] = ti;
    }
  }
  const sign = opts.inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size >> 1, step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0, t = 0; k < half; k++, t += step) {
        const wr = cos[t], wi = sign * sin[t];
        const a = start + k, b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
  if (opts.inverse) {
    const s = 1 / n;
    for (let i = 0; i < n; i++) { re[i] *= s; im[i] *= s; }
  }
}

export interface ConvolveOptions {
  /** Number of outputs: default the full a.length + b.length − 1; u.length gives the causal part. */
  length?: number;
  /** `auto` (default) uses the direct sum when it costs fewer than ~4·N·log2 N multiply-adds. */
  method?: 'auto' | 'fft' | 'direct';
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
  const size = nextPow2(la + lb - 1);
  const directCost = need * Math.min(la, lb);
  const useFft = method === 'fft' || (method === 'auto' && directCost > 4 * size * Math.log2(Math.max(size, 2)));
  if (!useFft) {
    directInto(out, a, b, need);
    return out;
  }
  const re = new Float64Array(size), im = new Float64Array(size);
  for (let i = 0; i < la; i++) re[i] = a[i];
  for (let i = 0; i < lb; i++) im[i] = b[i];
  fft(re, im);
  // Z = A + iB with A, B the spectra of real sequences: A_k = (Z_k + conj Z_{−k})/2,
  // B_k = (Z_k − conj Z_{−k})/(2i). Their product A_k·B_k = (Z_k² − conj(Z_{−k})²)/(4i).
  const pr = new Float64Array(size), pi = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const m = (size - k) & (size - 1);
    const zr = re[k], zi = im[k], wr = re[m], wi = -im[m]; // w = conj Z_{−k}
    const dr = zr * zr - zi * zi - (wr * wr - wi * wi);
    const di = 2 * zr * zi - 2 * wr * wi;
    // (dr + i·di) / (4i) = di/4 − i·dr/4
    pr[k] = di / 4; pi[k] = -dr / 4;
  }
  fft(pr, pi, { inverse: true });
  for (let i = 0; i < need; i++) out[i] = pr[i];
  return out;
}

function directInto(out: Float64Array, a: ArrayLike<number>, b: ArrayLike<number>, need: number): void {
  for (let k = 0; k < need; k++) {
    let s = 0;
    const jLo = Math.max(0, k - b.length + 1), jHi = Math.min(k, a.length - 1);
    for (let j = jLo; j <= jHi; j++) s += a[j] * b[k - j];
    out[k] = s;
  }
}
