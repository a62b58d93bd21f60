/**
 * The float32 products of kernels/gemm32.wat (src/gemm32.ts) and the OpenBLAS sgemm binding
 * (src/blasSgemm.ts) against a float64 triple loop: every transpose combination, batches with
 * either operand broadcast, and sizes around the kernel's 4×8 blocks and its 256-term K blocks.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matmul32, type MatMulShape } from '../src/gemm32.ts';
import { openSgemm } from '../src/blasSgemm.ts';
import { loadKoffi } from '../src/lapackLibrary.ts';
import { deriveRng } from './helpers.ts';
import { referenceProduct } from './referenceProduct.ts';

/** Every transpose pair and broadcast for the given sizes, with random operands. */
function* cases(sizes: [number, number, number, number][]): Generator<{ shape: MatMulShape; a: Float32Array; b: Float32Array }> {
  const rng = deriveRng(0, 'gemm32');
  for (const [batch, m, n, k] of sizes) for (const transposeA of [false, true]) for (const transposeB of [false, true]) {
    for (const broadcast of batch > 1 ? ['none', 'A', 'B'] : ['none']) {
      const shape: MatMulShape = { batch, m, n, k, transposeA, transposeB, broadcastA: broadcast === 'A', broadcastB: broadcast === 'B' };
      const a = rng.fillNormal(new Float32Array((shape.broadcastA ? 1 : batch) * m * k));
      const b = rng.fillNormal(new Float32Array((shape.broadcastB ? 1 : batch) * k * n));
      yield { shape, a, b };
    }
  }
}

/** |C − truth| ≤ 1e-6·√k·(1 + |truth|): float32 rounding of a k-term sum of unit-variance products. */
function assertProduct(c: Float32Array, truth: Float64Array, s: MatMulShape): void {
  assert.equal(c.length, truth.length);
  for (let i = 0; i < c.length; i++) {
    const tol = 1e-6 * Math.sqrt(s.k) * (1 + Math.abs(truth[i]!));
    if (!(Math.abs(c[i]! - truth[i]!) <= tol)) assert.fail(`${JSON.stringify(s)}: entry ${i} is ${c[i]}, expected ${truth[i]}`);
  }
}

const SIZES: [number, number, number, number][] = [[1, 1, 1, 1], [1, 3, 17, 129], [1, 17, 3, 1], [3, 5, 9, 3], [2, 4, 8, 8], [1, 129, 17, 3], [1, 9, 13, 300], [1, 5, 520, 2]];

describe('gemm32 (WebAssembly SIMD)', () => {
  it('should equal the float64 product for every transpose pair, broadcast and edge size', () => {
    for (const { shape, a, b } of cases(SIZES)) assertProduct(matmul32(a, b, shape)!, referenceProduct(a, b, shape), shape);
  });

  it('should give zeros when the inner dimension is empty', () => {
    assert.deepEqual(Array.from(matmul32(new Float32Array(0), new Float32Array(0), { batch: 2, m: 2, n: 3, k: 0, transposeA: false, transposeB: true })!), new Array(12).fill(0));
  });

  it('should refuse operands whose length does not fit the shape', () => {
    assert.throws(() => matmul32(new Float32Array(5), new Float32Array(6), { batch: 1, m: 2, n: 3, k: 2, transposeA: false, transposeB: false }), /A has 5 entries and B 6, but the shape needs 4 and 6/);
  });
});

describe('blasSgemm (OpenBLAS through koffi)', () => {
  const opened = openSgemm();
  it('should equal the float64 product for every transpose pair and broadcast', { skip: opened.ok ? false : opened.reason }, () => {
    if (!opened.ok) return;
    try {
      for (const { shape, a, b } of cases(SIZES)) {
        const c = new Float32Array(shape.batch * shape.m * shape.n);
        opened.sgemm.matmul(c, a, b, shape);
        assertProduct(c, referenceProduct(a, b, shape), shape);
      }
    } finally {
      opened.sgemm.close();
    }
  });

  it('should fail loudly when EIGENFLOW_BLAS names a library that does not load', { skip: typeof loadKoffi() === 'string' ? 'koffi is not installed' : false }, () => {
    assert.throws(() => openSgemm({ EIGENFLOW_BLAS: '/nonexistent/libblas.so' }), /EIGENFLOW_BLAS=\/nonexistent\/libblas.so: cannot load it/);
  });
});
