/**
 * C = A·B for row-major, contiguous float64 matrices in plain TypeScript: the matrix product the
 * divide-and-conquer SVD (bdsdc.ts) uses until a SIMD kernel is available. A column-major product
 * is the same call with the operands swapped: (A·B)ᵀ = Bᵀ·Aᵀ.
 */

/**
 * C (m×n) ← A (m×k) · B (k×n), all row-major and contiguous. Four rows of C at a time: each entry
 * of B read is used four times while the four rows of C stay in cache.
 */
export function gemmJs(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  c.fill(0, 0, m * n);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
      if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const y = b[bp + j];
        c[c0 + j] += x0 * y; c[c1 + j] += x1 * y; c[c2 + j] += x2 * y; c[c3 + j] += x3 * y;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n, ai = i * k;
    for (let p = 0; p < k; p++) {
      const x = a[ai + p];
      if (x === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
    }
  }
}
