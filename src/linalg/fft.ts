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

interface Plan { n: number; twr: Float64Array; twi: Float64Array; rev: Uint32Array }
const plans = new Map<number, Plan>();

/**
 * Twiddles per stage, contiguous: the stage with butterflies of half-size h reads
 * e^{−2πik/(2h)}, k < h, at offset h − 1 (n − 1 entries in all). Contiguous reads keep the
 * large transforms in cache, where one shared table read with stride n/(2h) does not.
 */
function plan(n: number): Plan {
  let p = plans.get(n);
  if (p) return p;
  const twr = new Float64Array(Math.max(n - 1, 1)), twi = new Float64Array(Math.max(n - 1, 1));
  for (let h = 1; h < n; h *= 2) {
    for (let k = 0; k < h; k++) {
      twr[h - 1 + k] = Math.cos((Math.PI * k) / h);
      twi[h - 1 + k] = -Math.sin((Math.PI * k) / h);
    }
  }
  const rev = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, x = i; b < bits; b++, x >>= 1) r = (r << 1) | (x & 1);
    rev[i] = r;
  }
  p = { n, twr, twi, rev };
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
  const { twr, twi, rev } = plan(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      const tr = re[i]; re[i] = re[j]; re[j] = tr;
      const ti = im[i]; im[i] = im[j]; im[j] = ti;
    }
  }
  // First stage (h = 1): the twiddle is 1.
  for (let a = 0; a < n; a += 2) {
    const br = re[a + 1], bi = im[a + 1];
    re[a + 1] = re[a] - br; im[a + 1] = im[a] - bi;
    re[a] += br; im[a] += bi;
  }
  const sign = opts.inverse ? -1 : 1;
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
  const size = Math.max(2, nextPow2(la + lb - 1));
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
  // B_k = (Z_k − conj Z_{−k})/(2i), so A_k·B_k = (Z_k² − conj(Z_{−k})²)/(4i). The product P
  // is Hermitian; only k ≤ N/2 is needed, and the real inverse is one complex IFFT of N/2:
  // with E_k = (P_k + conj P_{N/2−k})/2 and O_k = (P_k − conj P_{N/2−k})·e^{2πik/N}/2,
  // IFFT_{N/2}(E + iO)_j = x_{2j} + i·x_{2j+1}.
  const half = size >> 1;
  const Pr = new Float64Array(half + 1), Pi = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    const m = (size - k) & (size - 1);
    const zr = re[k], zi = im[k], wr = re[m], wi = -im[m]; // w = conj Z_{−k}
    const dr = zr * zr - zi * zi - (wr * wr - wi * wi);
    const di = 2 * (zr * zi - wr * wi);
    Pr[k] = di / 4; Pi[k] = -dr / 4; // (dr + i·di)/(4i)
  }
  const { twr, twi } = plan(size);
  const hr = new Float64Array(half), hi = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    const qr = Pr[half - k], qi = -Pi[half - k]; // conj P_{N/2−k}
    const er = (Pr[k] + qr) / 2, ei = (Pi[k] + qi) / 2;
    const dr = (Pr[k] - qr) / 2, di = (Pi[k] - qi) / 2;
    const cr = twr[half - 1 + k], ci = -twi[half - 1 + k]; // e^{+2πik/N}
    const or = dr * cr - di * ci, oi = dr * ci + di * cr;
    hr[k] = er - oi; hi[k] = ei + or; // E + i·O
  }
  fft(hr, hi, { inverse: true });
  for (let j = 0; j < half; j++) {
    if (2 * j < need) out[2 * j] = hr[j];
    if (2 * j + 1 < need) out[2 * j + 1] = hi[j];
  }
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
