import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { convolve, fft, nextPow2 } from '../../src/linalg/fft.ts';
import { deriveRng } from '../../src/rng.ts';
import { expectArraysClose } from '../helpers.ts';

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

  it('should equal the direct linear convolution (no wrap-around) for odd sizes, by FFT and direct', () => {
    for (const [la, lb] of [[1, 1], [3, 5], [17, 4], [100, 37], [64, 65], [1000, 999]]) {
      const a = rand(la), b = rand(lb);
      const truth = naiveConv(a, b);
      expectArraysClose(convolve(a, b, { method: 'fft' }), truth, 1e-10);
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

  it('should reject empty inputs and bad lengths', () => {
    assert.throws(() => convolve([], [1]), /non-empty but got lengths 0 and 1/);
    assert.throws(() => convolve([1], [1], { length: 2.5 }), /length must be a non-negative integer but got 2.5/);
  });
});
