/**
 * The WebAssembly SIMD FFT (kernels/fft.wat through src/fftWasm.ts) against the O(N²) DFT
 * and the TypeScript `fft`, and the convolution it runs against the direct sum. Node ≥ 20 has
 * WebAssembly SIMD, so these tests require the kernels to load: a silent fallback to TypeScript
 * would otherwise hide a broken build. The convolution's accuracy for inputs of very different
 * scales is checked for both kernels in test/engine/linalg-fft.spec.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { convolve, convolveByTypeScriptFft, convolvePlan, convolveSize, fft } from '../src/fft.ts';
import { fftKernelsAvailable, wasmConvPlan, wasmConvolveInto, wasmFft, wasmFftPlan } from '../src/fftWasm.ts';
import { deriveRng } from './helpers.ts';
import { expectArraysClose } from './helpers.ts';

/** The FFT convolution on the WebAssembly kernels (what `convolve` runs) or on the TypeScript transforms (its fallback). */
const convolveOn = (kernel: 'wasm' | 'typescript', a: ArrayLike<number>, b: ArrayLike<number>, length?: number): Float64Array =>
  kernel === 'wasm' ? convolve(a, b, { length, method: 'fft' }) : convolveByTypeScriptFft(a, b, { length });

const rng = deriveRng(14, 'fft-wasm');
const rand = (n: number) => Float64Array.from({ length: n }, () => rng.normal());
const EPS = 2 ** -52;

/** The O(N²) definition X_k = Σ_j x_j e^{−2πi jk/N}, as the independent truth. */
function naiveDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length, outR = new Float64Array(n), outI = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const t = (-2 * Math.PI * ((j * k) % n)) / n, c = Math.cos(t), s = Math.sin(t);
      sr += re[j] * c - im[j] * s;
      si += re[j] * s + im[j] * c;
    }
    outR[k] = sr; outI[k] = si;
  }
  return [outR, outI];
}

const maxAbs = (...xs: Float64Array[]) => Math.max(...xs.map((x) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
const maxDiff = (a: Float64Array, b: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('WebAssembly SIMD FFT', () => {
  it('should compile in this runtime', () => {
    assert.equal(fftKernelsAvailable(), true);
    assert.ok(wasmFftPlan(16));
    assert.ok(wasmConvPlan(16));
  });

  it('should match the O(N²) DFT and the TypeScript fft for N = 1, 2, 4, …, 1024, and invert to c·ε·log N', () => {
    for (let n = 1; n <= 1024; n *= 2) {
      const re = rand(n), im = rand(n);
      const [dr, di] = naiveDft(re, im);
      const wr = re.slice(), wi = im.slice(), tr = re.slice(), ti = im.slice();
      assert.equal(wasmFft(wr, wi), true, 'the wasm kernels ran');
      fft(tr, ti);
      // the DFT's own error grows like N·ε (its sums are plain), the FFT's like ε·log N
      const scale = maxAbs(dr, di), lg = Math.max(1, Math.log2(n));
      assert.ok(Math.max(maxDiff(wr, dr), maxDiff(wi, di)) <= 4 * n * EPS * scale, `N = ${n}: wasm vs DFT`);
      assert.ok(Math.max(maxDiff(wr, tr), maxDiff(wi, ti)) <= 8 * lg * EPS * scale, `N = ${n}: wasm vs TypeScript`);
      assert.equal(wasmFft(wr, wi, { inverse: true }), true);
      const err = Math.max(maxDiff(wr, re), maxDiff(wi, im)) / maxAbs(re, im);
      assert.ok(err <= 4 * lg * EPS, `N = ${n}: inverse ∘ forward error ${err}`);
    }
  });

  // Blocks above 4096 entries are taken depth first: cover both parities of log2 N there.
  for (const n of [1 << 13, 1 << 14]) {
    it(`should match the TypeScript fft at N = ${n} (depth-first passes) and invert`, () => {
      const re = rand(n), im = rand(n);
      const wr = re.slice(), wi = im.slice(), tr = re.slice(), ti = im.slice();
      const plan = wasmFftPlan(n)!;
      wasmFft(wr, wi, { plan });
      fft(tr, ti);
      const scale = maxAbs(tr, ti);
      assert.ok(Math.max(maxDiff(wr, tr), maxDiff(wi, ti)) <= 8 * Math.log2(n) * EPS * scale);
      wasmFft(wr, wi, { plan, inverse: true });
      assert.ok(Math.max(maxDiff(wr, re), maxDiff(wi, im)) / maxAbs(re, im) <= 4 * Math.log2(n) * EPS);
    });
  }

  it('should refuse a plan of another size', () => {
    assert.throws(() => wasmFft(new Float64Array(8), new Float64Array(8), { plan: wasmFftPlan(16)! }), /plan is for length 16 but the arrays have length 8/);
    assert.throws(() => wasmConvPlan(12), /power of two ≥ 2 but got 12/);
  });
});

describe('WebAssembly SIMD convolution', () => {
  /** Plain O(N·K) sums with Neumaier compensation: exact to ~ε per output. */
  function direct(a: ArrayLike<number>, b: ArrayLike<number>, len: number): Float64Array {
    const out = new Float64Array(len);
    for (let t = 0; t < len; t++) {
      let s = 0, c = 0;
      for (let j = Math.max(0, t - b.length + 1); j <= Math.min(t, a.length - 1); j++) {
        const x = a[j] * b[t - j], y = s + x;
        c += Math.abs(s) >= Math.abs(x) ? (s - y) + x : (x - y) + s;
        s = y;
      }
      out[t] = s + c;
    }
    return out;
  }

  it('should run in the kernels (a plan exists only with them) and equal the direct sum, plan reused', () => {
    const n = 64, plan = wasmConvPlan(n);
    assert.ok(plan, 'the wasm kernels must load');
    for (let draw = 0; draw < 3; draw++) {
      const a = rand(40), b = rand(25), out = new Float64Array(64);
      wasmConvolveInto(out, a, 40, b, 25, 64, plan);
      expectArraysClose(out.subarray(0, 64), [...direct(a, b, 64)], 1e-13);
    }
    assert.throws(() => wasmConvolveInto(new Float64Array(1), rand(40), 40, rand(30), 30, 1, plan), /need a size of at least 69 but the plan's is 64/);
  });

  it('should give the kernels\' numbers through convolve, different from the TypeScript fallback only in rounding', () => {
    const a = rand(300), b = rand(200);
    const wasm = convolve(a, b, { method: 'fft' });
    const plan = wasmConvPlan(512)!, out = new Float64Array(499);
    wasmConvolveInto(out, a, 300, b, 200, 499, plan);
    assert.deepEqual(wasm, out);
    expectArraysClose(convolveByTypeScriptFft(a, b), wasm, 1e-12);
  });

  it('should reuse a plan from convolvePlan across calls and refuse one of another size', () => {
    const plan = convolvePlan(300, 120, 300);
    assert.ok(plan);
    assert.equal(plan.n, convolveSize(300, 120, 300));
    for (let draw = 0; draw < 2; draw++) {
      const u = rand(300), k = rand(120);
      assert.deepEqual(convolve(u, k, { length: 300, plan }), convolve(u, k, { length: 300, method: 'fft' }));
    }
    assert.throws(() => convolve(rand(600), rand(120), { plan }), /plan is for transform size 512 but these inputs need 1024/);
  });

  it('should convolve random lengths that are not powers of two (zero-padded) and length-1 inputs', () => {
    const lengths = [[1, 1], [1, 7], [7, 1], [3, 5], [13, 29], [100, 37], [257, 255], [1000, 3]];
    for (let i = 0; i < 6; i++) lengths.push([1 + Math.floor(rng.uniform() * 700), 1 + Math.floor(rng.uniform() * 700)]);
    for (const [la, lb] of lengths) {
      const a = rand(la), b = rand(lb), truth = direct(a, b, la + lb - 1);
      for (const kernel of ['wasm', 'typescript'] as const) {
        const got = convolveOn(kernel, a, b);
        expectArraysClose(got, truth, 1e-13 * Math.sqrt(Math.min(la, lb)) * 10, 0);
      }
      // causal part only
      expectArraysClose(convolve(a, b, { method: 'fft', length: la }), truth.subarray(0, la), 1e-12);
    }
  });

  it('should equal the direct sum at T = 5000 (transform size 16384: depth-first passes)', () => {
    const T = 5000, u = rand(T), k = rand(T);
    const got = convolve(u, k, { length: T, method: 'fft' });
    const truth = direct(u, k, T);
    const terms = direct(u.map(Math.abs), k.map(Math.abs), T);
    const err = got.reduce((m, v, t) => Math.max(m, Math.abs(v - truth[t])), 0) / Math.max(...terms);
    assert.ok(err < 1e-14, `normwise error ${err}`);
  });
});
