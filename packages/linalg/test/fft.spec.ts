import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { convolve, convolveByTypeScriptFft, fft, fftPlan, irfft, nextPow2, realFftPlan, rfft } from '../src/fft.ts';
import { deriveRng } from './helpers.ts';
import { expectArraysClose } from './helpers.ts';

/** The FFT convolution on the WebAssembly kernels (what `convolve` runs) or on the TypeScript transforms (its fallback). */
const convolveOn = (kernel: 'wasm' | 'typescript', a: ArrayLike<number>, b: ArrayLike<number>, length?: number): Float64Array =>
  kernel === 'wasm' ? convolve(a, b, { length, method: 'fft' }) : convolveByTypeScriptFft(a, b, { length });

/** The O(N²) definition X_k = Σ_j x_j e^{−2πi jk/N}, as the independent truth. */
function naiveDft(re: number[], im: number[]): [number[], number[]] {
  const n = re.length, outR: number[] = [], outI: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const t = (-2 * Math.PI * j * k) / n;
      sr += re[j] * Math.cos(t) - im[j] * Math.sin(t);
      si += re[j] * Math.sin(t) + im[j] * Math.cos(t);
    }
    outR.push(sr); outI.push(si);
  }
  return [outR, outI];
}

/**
 * The direct O(T²) causal convolution with Neumaier-compensated sums, as the independent truth
 * for inputs of very different scales (its own error is ~ε per output, far below the FFT's).
 */
function directCausal(u: number[], k: number[], T: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    let s = 0, c = 0;
    for (let j = 0; j <= t; j++) {
      if (j >= u.length || t - j >= k.length) continue;
      const x = u[j] * k[t - j], y = s + x;
      c += Math.abs(s) >= Math.abs(x) ? (s - y) + x : (x - y) + s;
      s = y;
    }
    out.push(s + c);
  }
  return out;
}

/**
 * max_t |got_t − truth_t| / max_t Σ_j |u_j|·|K_{t−j}|: the error relative to the size of the
 * terms being summed, which a correct FFT convolution keeps at a few ε·log T whatever the scales
 * of u and K (numpy's is 1e-16 to 1e-15 on these inputs). Dividing by the terms rather than by
 * |truth| keeps a draw whose outputs happen to cancel from looking inaccurate.
 */
function normwiseError(got: ArrayLike<number>, truth: number[], u: number[], k: number[]): number {
  const absU = u.map(Math.abs), absK = k.map(Math.abs);
  const terms = directCausal(absU, absK, truth.length);
  let err = 0, big = 0;
  truth.forEach((x, t) => { err = Math.max(err, Math.abs(got[t] - x)); big = Math.max(big, terms[t]); });
  return err / big;
}

function naiveConv(a: number[], b: number[]): number[] {
  const out = new Array(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => { out[i + j] += x * y; }));
  return out;
}

describe('fft', () => {
  const rng = deriveRng(7, 'fft');
  const rand = (n: number) => Array.from({ length: n }, () => rng.normal());

  it('should match the O(N²) DFT for every power-of-two size up to 256', () => {
    for (let n = 1; n <= 256; n *= 2) {
      const re = rand(n), im = rand(n);
      const [er, ei] = naiveDft(re, im);
      const R = Float64Array.from(re), I = Float64Array.from(im);
      fft(R, I);
      expectArraysClose(R, er, 1e-11 * n);
      expectArraysClose(I, ei, 1e-11 * n);
    }
  });

  it('should invert itself including the 1/N factor', () => {
    const re = rand(1024), im = rand(1024);
    const R = Float64Array.from(re), I = Float64Array.from(im);
    fft(R, I); fft(R, I, { inverse: true });
    expectArraysClose(R, re, 1e-13);
    expectArraysClose(I, im, 1e-13);
  });

  it('should give the same transform with a reusable plan, and refuse a plan of another size', () => {
    const re = rand(64), im = rand(64);
    const R1 = Float64Array.from(re), I1 = Float64Array.from(im), R2 = Float64Array.from(re), I2 = Float64Array.from(im);
    fft(R1, I1); fft(R2, I2, { plan: fftPlan(64) });
    assert.deepEqual(R1, R2); assert.deepEqual(I1, I2);
    assert.throws(() => fft(R1, I1, { plan: fftPlan(32) }), /plan is for length 32 but the arrays have length 64/);
  });

  it('should give the half spectrum of a real sequence (rfft) and invert it (irfft)', () => {
    for (let n = 2; n <= 256; n *= 2) {
      const x = rand(n);
      const [er, ei] = naiveDft(x, new Array(n).fill(0));
      const plan = realFftPlan(n);
      const { re, im } = rfft(x, plan);
      expectArraysClose(re, er.slice(0, n / 2 + 1), 1e-11 * n);
      expectArraysClose(im.subarray(1, n / 2), ei.slice(1, n / 2), 1e-11 * n);
      expectArraysClose(irfft(re, im, plan), x, 1e-13);
    }
    // zero-padded input: the spectrum of x followed by zeros
    const x = rand(5);
    const [er] = naiveDft([...x, 0, 0, 0], new Array(8).fill(0));
    expectArraysClose(rfft(x, realFftPlan(8)).re, er.slice(0, 5), 1e-12);
  });

  it('should refuse lengths that are not powers of two, naming the padded size', () => {
    assert.throws(() => fft(new Float64Array(12), new Float64Array(12)), /length must be a power of two but got 12 \(zero-pad to nextPow2\(12\) = 16\)/);
    assert.throws(() => fft(new Float64Array(8), new Float64Array(4)), /same length but got 8 and 4/);
    assert.equal(nextPow2(1), 1); assert.equal(nextPow2(17), 32);
    assert.throws(() => nextPow2(0), /positive integer but got 0/);
  });
});

describe('convolve', () => {
  const rng = deriveRng(8, 'conv');
  const rand = (n: number) => Array.from({ length: n }, () => rng.normal());

  it('should equal the direct linear convolution (no wrap-around) for odd sizes, by FFT (both kernels) and direct', () => {
    for (const [la, lb] of [[1, 1], [3, 5], [17, 4], [100, 37], [64, 65], [1000, 999]]) {
      const a = rand(la), b = rand(lb);
      const truth = naiveConv(a, b);
      expectArraysClose(convolve(a, b, { method: 'fft' }), truth, 1e-10);
      expectArraysClose(convolveByTypeScriptFft(a, b), truth, 1e-10);
      expectArraysClose(convolve(a, b, { method: 'direct' }), truth, 1e-10);
      expectArraysClose(convolve(a, b), truth, 1e-10);
    }
  });

  it('should return the first `length` outputs (causal part) and zeros past the full length', () => {
    const a = rand(50), b = rand(80);
    const truth = naiveConv(a, b);
    expectArraysClose(convolve(a, b, { length: 50, method: 'fft' }), truth.slice(0, 50), 1e-10);
    expectArraysClose(convolve(a, b, { length: 200, method: 'fft' }), [...truth, ...new Array(200 - truth.length).fill(0)], 1e-10);
    assert.equal(convolve(a, b, { length: 0 }).length, 0);
  });

  // Regression: packing u + i·K into one complex transform lost the smaller input in the
  // rounding of the larger (error ≈ ε × scale ratio: 3e-4 at 1e12). Each input is transformed
  // on its own now, so the error stays at ε·log T of the output's size for any scales — with the
  // WebAssembly SIMD kernels (the default) and the TypeScript reference alike.
  for (const kernel of ['wasm', 'typescript'] as const) {
    for (const ratio of [1e8, 1e12, 1e-12]) {
      it(`should keep the normwise error at the FFT's ε·log T when the kernel is ${ratio} times the input (${kernel})`, () => {
        const T = 2000;
        const u = rand(T), K = rand(T).map((x) => x * ratio);
        const err = normwiseError(convolveOn(kernel, u, K, T), directCausal(u, K, T), u, K);
        assert.ok(err < 1e-14, `normwise error ${err}`);
      });
    }

    it(`should convolve with a growing kernel 1.02^k at T = 2000 to the FFT's ε·log T (${kernel})`, () => {
      const T = 2000;
      const u = rand(T), K = Array.from({ length: T }, (_, k) => 1.02 ** k);
      const truth = directCausal(u, K, T);
      const err = normwiseError(convolveOn(kernel, u, K, T), truth, u, K);
      assert.ok(err < 1e-14, `normwise error ${err}`);
    });
  }

  it('should reject empty inputs and bad lengths', () => {
    assert.throws(() => convolve([], [1]), /non-empty but got lengths 0 and 1/);
    assert.throws(() => convolve([1], [1], { length: 2.5 }), /length must be a non-negative integer but got 2.5/);
  });
});
