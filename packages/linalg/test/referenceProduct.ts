/** The independent truth for float32 matrix products in the tests: a float64 triple loop. */
import type { MatMulShape } from '../src/gemm32.ts';

/** C = op(A)·op(B) in float64, entry by entry from the definition. */
export function referenceProduct(a: Float32Array, b: Float32Array, s: MatMulShape): Float64Array {
  const { batch, m, n, k } = s;
  const c = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = s.broadcastA ? 0 : t * m * k, bo = s.broadcastB ? 0 : t * k * n;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let x = 0;
      for (let p = 0; p < k; p++) x += a[ao + (s.transposeA ? p * m + i : i * k + p)]! * b[bo + (s.transposeB ? j * k + p : p * n + j)]!;
      c[t * m * n + i * n + j] = x;
    }
  }
  return c;
}
