/**
 * eigenflow's BatchMatMul for the wasm backend (src/backend/matMulWasm.ts): `tf.matMul` on the
 * SIMD kernel and on OpenBLAS equals a float64 product for every transpose pair, rank-3 batches
 * and batch broadcasting; its gradients equal central differences; it frees its scratch; and it is
 * registered for wasm only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defineNode, graph, registerNodes, runGraph, unregisterNode } from '../../src/index.ts';
import { matMulCompute, registerWasmMatMul, type MatMulMode } from '../../src/backend/matMulWasm.ts';
import { openSgemm } from '@eigenflow/linalg';
import { deriveRng } from '../../src/rng.ts';
import { referenceProduct } from '../../packages/linalg/test/referenceProduct.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../helpers.ts';

const blas = openSgemm();
if (blas.ok) blas.sgemm.close();

/** [a shape, b shape, transposeA, transposeB]: rank 2, rank 3, and a batch of one broadcast against a batch. */
const SHAPES: [number[], number[], boolean, boolean][] = [];
for (const ta of [false, true]) for (const tb of [false, true]) {
  const a = (m: number, k: number) => (ta ? [k, m] : [m, k]), b = (k: number, n: number) => (tb ? [n, k] : [k, n]);
  SHAPES.push([a(17, 3), b(3, 5), ta, tb], [[2, ...a(3, 129)], [2, ...b(129, 1)], ta, tb], [a(5, 4), [3, ...b(4, 6)], ta, tb], [[3, ...a(9, 2)], b(2, 7), ta, tb]);
}

/** op(a)·op(b) in float64 through the same definition as the kernel's own tests, batch dims broadcast. */
function truth(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): Float64Array {
  const [m, k] = ta ? a.shape.slice(-2).reverse() : a.shape.slice(-2), n = tb ? b.shape.at(-2)! : b.shape.at(-1)!;
  const batchA = a.size / (m! * k!), batchB = b.size / (k! * n);
  return referenceProduct(a.dataSync() as Float32Array, b.dataSync() as Float32Array, { batch: Math.max(batchA, batchB), m: m!, n, k: k!, transposeA: ta, transposeB: tb, broadcastA: batchA < batchB, broadcastB: batchB < batchA });
}

function checkMode(mode: MatMulMode): void {
  registerWasmMatMul(mode);
  const rng = deriveRng(1, `matMulWasm-${mode}`);
  for (const [sa, sb, ta, tb] of SHAPES) {
    const a = tf.tensor(rng.fillNormal(new Float32Array(sa.reduce((x, y) => x * y))), sa);
    const b = tf.tensor(rng.fillNormal(new Float32Array(sb.reduce((x, y) => x * y))), sb);
    const c = tf.matMul(a, b, ta, tb);
    const expectedShape = [...(sa.length > sb.length ? sa : sb).slice(0, -2), ta ? sa.at(-1)! : sa.at(-2)!, tb ? sb.at(-2)! : sb.at(-1)!];
    assert.deepEqual(c.shape, expectedShape, `${sa}·${sb} (${ta}, ${tb})`);
    expectArraysClose(c, truth(a, b, ta, tb), 1e-4, 1e-5);
    tf.dispose([a, b, c]);
  }
}

describe('BatchMatMul on wasm', () => {
  before(useWasm);
  after(() => registerWasmMatMul('auto'));

  it('should equal the float64 product on the SIMD kernel, and run there', () => {
    checkMode('wasm');
    assert.equal(matMulCompute()!.calls!['wasm-simd'], SHAPES.length);
    assert.equal(matMulCompute()!.calls!.xnnpack, 0);
  });

  it('should equal the float64 product on OpenBLAS, and run there', { skip: blas.ok ? false : blas.reason }, () => {
    checkMode('blas');
    assert.equal(matMulCompute()!.calls!.blas, SHAPES.length);
  });

  it('should hand back to tfjs-wasm\'s own kernel with xnnpack', () => {
    checkMode('xnnpack');
    assert.equal(matMulCompute(), null);
  });

  it('should give gradients equal to central differences, for every transpose pair', async () => {
    registerWasmMatMul('wasm');
    const rng = deriveRng(2, 'matMulWasm-grad');
    await expectNoLeak(() => tf.tidy(() => {
      for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
        const a = tf.tensor2d(rng.fillNormal(new Float32Array(12)), ta ? [4, 3] : [3, 4]);
        const b = tf.tensor2d(rng.fillNormal(new Float32Array(20)), tb ? [5, 4] : [4, 5]);
        const w = tf.tensor2d(rng.fillNormal(new Float32Array(15)), [3, 5]);
        // f is linear in each operand, so a central difference is exact up to float32 rounding
        const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, ta, tb), w));
        const [ga, gb] = tf.grads(f)([a, b]);
        for (const [which, g] of [[0, ga!], [1, gb!]] as const) {
          const x = (which === 0 ? a : b).dataSync() as Float32Array, grad = g.dataSync(), h = 0.5;
          for (let i = 0; i < x.length; i++) {
            const bump = (d: number) => { const y = x.slice(); y[i]! += d; const t = tf.tensor(y, (which === 0 ? a : b).shape); return (which === 0 ? f(t, b) : f(a, t)).dataSync()[0]!; };
            const fd = (bump(h) - bump(-h)) / (2 * h);
            assert.ok(Math.abs(fd - grad[i]!) <= 1e-4 * (1 + Math.abs(fd)), `∂f/∂${which === 0 ? 'a' : 'b'}[${i}] (${ta}, ${tb}): tf.grad ${grad[i]} vs central difference ${fd}`);
          }
        }
      }
    }));
  });

  it('should free its scratch: the backend holds no more data after a thousand products', () => {
    registerWasmMatMul('wasm');
    const a = tf.ones([33, 300]), b = tf.ones([300, 9]);
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const before = backend.numDataIds();
    for (let i = 0; i < 1000; i++) tf.matMul(a, b, false, false).dispose();
    assert.equal(backend.numDataIds(), before);
    tf.dispose([a, b]);
  });

  it('should be registered for wasm only: cpu keeps its own BatchMatMul', () => {
    registerWasmMatMul('wasm');
    assert.ok(!('report' in tf.getKernel('BatchMatMul', 'cpu')!));
  });

  it('should refuse an unknown EIGENFLOW_MATMUL', async () => {
    const { matMulModeFromEnv } = await import('../../src/backend/matMulWasm.ts');
    assert.throws(() => matMulModeFromEnv({ EIGENFLOW_MATMUL: 'gpu' }), /EIGENFLOW_MATMUL must be one of auto, wasm, blas, xnnpack but got 'gpu'/);
  });

  it("should say in the run's manifest which path ran its products, counting only that run's", async () => {
    registerWasmMatMul('wasm');
    tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).dispose(); // a product before the run is not the run's
    const products = defineNode({
      type: 'test.products', doc: 'three matrix products', params: {}, inputs: {}, outputs: {}, metrics: {},
      run: () => { for (let i = 0; i < 3; i++) tf.matMul(tf.ones([5, 4]), tf.ones([3, 4]), false, true); return {}; },
    });
    registerNodes([products]);
    try {
      const dir = join(mkdtempSync(join(tmpdir(), 'ef-')), 'run');
      const r = await runGraph(graph('products').node('p', products, {}).build(), { outDir: dir });
      assert.equal(r.status, 'completed');
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
      assert.deepEqual(manifest.compute, { matmul: 'wasm', calls: { 'wasm-simd': 3 } });
    } finally {
      unregisterNode('test.products');
    }
  });
});
