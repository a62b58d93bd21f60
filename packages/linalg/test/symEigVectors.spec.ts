/**
 * Symmetric eigenvectors by divide and conquer (tridiagDivideConquer.ts, tridiagSecular.ts,
 * tridiagBackTransform.ts, symEig.ts; run at every size through wasmSymEig's crossover argument),
 * checked against independent truths: the one-sided Jacobi oracle and the QL iteration
 * (eigenvalues, and eigenvectors where the eigenvalues are well separated), and for every
 * matrix the residual and orthogonality bounds
 *
 *   ‖A·Z − Z·Λ‖_F ≤ C·n·ε·‖A‖_F,   ‖ZᵀZ − I‖_F ≤ C·n·ε,   C = 2, ε = 2⁻⁵²,
 *
 * on matrices chosen to exercise deflation and the secular solver: random and GOE, the identity,
 * low rank plus zeros, Wilkinson W21⁺ and ten copies glued by 1e-14, eigenvalues 1 ± 1e-14, graded
 * entries, entries near 1e±150. Inputs come from a fixed linear congruential generator, so the
 * tests do not depend on a seed's luck, and every bound is a stated multiple of n·ε.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matrix64, symEig, type Matrix64 } from '../src/index.ts';
import { jacobiSymEig } from './jacobi.ts';
import { wasmSymEig } from '../src/symEig.ts';
import { DIVIDE_CONQUER_MIN_SIZE } from '../src/constants.ts';
import { secularRoot } from '../src/tridiagSecular.ts';
import { tridiagDc } from '../src/tridiagDivideConquer.ts';
import { applyTridiagQ, backTransformLengths } from '../src/tridiagBackTransform.ts';
import { formQt, tridiagonalize } from '../src/tridiagonalize.ts';

const EPS = 2 ** -52;
const C = 2;

/** Uniform numbers in (−1, 1) from a fixed LCG. */
function uniforms(len: number, seed: number): Float64Array {
  const x = new Float64Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; x[i] = (s + 0.5) / 2 ** 31 - 1; }
  return x;
}

/** Standard normal numbers (Box–Muller on the LCG). */
function normals(len: number, seed: number): Float64Array {
  const u = uniforms(2 * len, seed), x = new Float64Array(len);
  for (let i = 0; i < len; i++) x[i] = Math.sqrt(-2 * Math.log((u[2 * i] + 1) / 2)) * Math.cos(Math.PI * (u[2 * i + 1] + 1));
  return x;
}

function symmetric(n: number, entry: (i: number, j: number) => number): Matrix64 {
  const a = matrix64(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) { const x = entry(i, j); a.data[i * n + j] = x; a.data[j * n + i] = x; }
  return a;
}

function randomSymmetric(n: number, seed: number, scale = 1): Matrix64 {
  const u = uniforms(n * n, seed);
  return symmetric(n, (i, j) => u[i * n + j] * scale);
}

/** Q·diag(λ)·Qᵀ with Q a product of three Householder reflectors of random vectors. */
function withEigenvalues(lambda: number[], seed: number): Matrix64 {
  const n = lambda.length;
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let r = 0; r < 3; r++) {
    const v = uniforms(n, seed + r);
    const vv = v.reduce((s, x) => s + x * x, 0);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * v[k];
      for (let k = 0; k < n; k++) q[i * n + k] -= (2 * s / vv) * v[k];
    }
  }
  return symmetric(n, (i, j) => { let s = 0; for (let k = 0; k < n; k++) s += q[i * n + k] * lambda[k] * q[j * n + k]; return s; });
}

/** The tridiagonal matrix with diagonal d and off-diagonal e as a dense matrix. */
function tridiagonal(d: number[], e: number[]): Matrix64 {
  const n = d.length;
  return symmetric(n, (i, j) => (i === j ? d[i] : i === j + 1 ? e[j] : 0));
}

function wilkinson(m: number): { d: number[]; e: number[] } {
  const h = (m - 1) / 2;
  return { d: Array.from({ length: m }, (_, i) => Math.abs(h - i)), e: new Array(m - 1).fill(1) };
}

function gluedWilkinson(copies: number, m: number, glue: number): { d: number[]; e: number[] } {
  const w = wilkinson(m), d: number[] = [], e: number[] = [];
  for (let c = 0; c < copies; c++) { d.push(...w.d); e.push(...w.e); if (c < copies - 1) e.push(glue); }
  return { d, e };
}

function frob(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Residual and orthogonality of eigenpairs (values, columns of z) of a, both relative as above. */
function quality(a: Matrix64, values: Float64Array, z: Float64Array): { residual: number; orthogonality: number } {
  const n = a.rows, r = new Float64Array(n * n), g = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
    const x = a.data[i * n + k];
    if (x !== 0) for (let j = 0; j < n; j++) r[i * n + j] += x * z[k * n + j];
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r[i * n + j] -= z[i * n + j] * values[j];
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) {
    const x = z[k * n + i];
    for (let j = 0; j < n; j++) g[i * n + j] += x * z[k * n + j];
  }
  for (let i = 0; i < n; i++) g[i * n + i] -= 1;
  const an = frob(a.data);
  return { residual: an === 0 ? frob(r) : frob(r) / an, orthogonality: frob(g) };
}

function assertGood(label: string, a: Matrix64, values: Float64Array, z: Float64Array): void {
  const n = a.rows, { residual, orthogonality } = quality(a, values, z);
  const bound = C * Math.max(1, n) * EPS;
  assert.ok(residual <= bound, `${label}: ‖AZ − ZΛ‖/‖A‖ = ${residual.toExponential(2)} > ${bound.toExponential(2)}`);
  assert.ok(orthogonality <= bound, `${label}: ‖ZᵀZ − I‖ = ${orthogonality.toExponential(2)} > ${bound.toExponential(2)}`);
}

/** Eigenvalues agree within C·n·ε·‖A‖_F. */
function assertSameValues(label: string, a: Matrix64, x: Float64Array, y: Float64Array): void {
  const tol = C * Math.max(1, a.rows) * EPS * frob(a.data);
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= tol, `${label}: eigenvalue ${i}: ${v} against ${y[i]} (tolerance ${tol})`));
}

/** The full check of symEig's divide-and-conquer path on `a`: bounds, Jacobi's values, the QL path's values. */
function check(label: string, a: Matrix64, opts: { jacobi?: boolean; threads?: number } = {}): void {
  const dc = wasmSymEig(a, { vectors: true, threads: opts.threads ?? 1 }, 0);
  assertGood(`${label} (dc)`, a, dc.values, dc.vectors!.data);
  const ql = wasmSymEig(a, { vectors: true, threads: opts.threads ?? 1 }, Infinity);
  assertSameValues(`${label}, dc against ql`, a, dc.values, ql.values);
  if (opts.jacobi !== false) assertSameValues(`${label}, dc against Jacobi`, a, dc.values, jacobiSymEig(a).values);
}

describe('symEig with vectors by divide and conquer', () => {
  it('should run divide and conquer from order DIVIDE_CONQUER_MIN_SIZE and the QL iteration below', () => {
    for (const [n, crossover] of [[DIVIDE_CONQUER_MIN_SIZE, 0], [DIVIDE_CONQUER_MIN_SIZE - 1, Infinity]] as const) {
      const a = randomSymmetric(n, n);
      assert.deepEqual(wasmSymEig(a, { vectors: true }).vectors!.data, wasmSymEig(a, { vectors: true }, crossover).vectors!.data);
    }
  });

  for (const n of [1, 2, 3, 25, 26, 100, 257]) {
    it(`should give accurate, orthogonal eigenpairs of a random symmetric ${n}×${n} matrix`, () => {
      check(`random ${n}`, randomSymmetric(n, 100 + n), { jacobi: n <= 100 });
    });
  }

  it('should agree with the QL path on the eigenvectors of a random matrix (well-separated eigenvalues)', () => {
    const n = 90, a = randomSymmetric(n, 7);
    const dc = wasmSymEig(a, { vectors: true }, 0), ql = wasmSymEig(a, { vectors: true }, Infinity);
    const an = frob(a.data);
    for (let j = 0; j < n; j++) {
      const gap = Math.min(j > 0 ? dc.values[j - 1] - dc.values[j] : Infinity, j < n - 1 ? dc.values[j] - dc.values[j + 1] : Infinity);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += dc.vectors!.data[i * n + j] * ql.vectors!.data[i * n + j];
      // the angle between them (‖x − ±y‖ for unit vectors), at most the two residuals over the gap
      let dist = 0;
      for (let i = 0; i < n; i++) dist += (dc.vectors!.data[i * n + j] - Math.sign(dot) * ql.vectors!.data[i * n + j]) ** 2;
      const angle = Math.sqrt(dist);
      assert.ok(angle <= 2 * C * n * EPS * an / gap, `vector ${j}: angle ${angle}, gap ${gap}`);
    }
  });

  it('should handle a GOE matrix', () => {
    const n = 150, g = normals(n * n, 5);
    check('GOE 150', symmetric(n, (i, j) => (i === j ? Math.SQRT2 * g[i * n + j] : g[i * n + j]) / Math.sqrt(n)), { jacobi: false });
  });

  it('should handle the identity and a low-rank matrix padded with zeros (almost everything deflates)', () => {
    check('identity 80', symmetric(80, (i, j) => (i === j ? 1 : 0)));
    const n = 120, u = uniforms(3 * n, 9);
    check('rank 3 + zeros', symmetric(n, (i, j) => (i < 100 && j < 100 ? u[i] * u[j] - 2 * u[n + i] * u[n + j] + 0.5 * u[2 * n + i] * u[2 * n + j] : 0)));
  });

  it('should handle Wilkinson W21⁺ and ten copies glued by 1e-14 (pairs of close eigenvalues)', () => {
    const w = wilkinson(21);
    check('W21+', tridiagonal(w.d, w.e));
    const g = gluedWilkinson(10, 21, 1e-14);
    check('glued W21+ ×10', tridiagonal(g.d, g.e), { jacobi: false });
  });

  it('should handle eigenvalues 1 ± 1e-14 and a cluster of equal ones', () => {
    const lambda = Array.from({ length: 70 }, (_, i) => (i < 30 ? 1 + (i % 3 - 1) * 1e-14 : i < 50 ? 2 : -1 + i / 100));
    check('clustered', withEigenvalues(lambda, 21));
  });

  it('should handle graded matrices and entries near 1e±150', () => {
    const n = 80, u = uniforms(n * n, 33);
    check('graded', symmetric(n, (i, j) => u[i * n + j] * 10 ** (-(i + j) / 10)));
    check('huge', randomSymmetric(n, 34, 1e150));
    check('tiny', randomSymmetric(n, 35, 1e-150));
  });

});

describe('the parts of divide and conquer', () => {
  it('secularRoot should find the eigenvalues of diag(d) + ρzzᵀ (against Jacobi on the dense matrix)', () => {
    for (const [K, seed] of [[1, 1], [2, 2], [7, 3], [40, 4]]) {
      const u = uniforms(2 * K, seed);
      const d = Float64Array.from({ length: K }, (_, i) => i + 0.3 * u[i]), z = Float64Array.from({ length: K }, (_, i) => 0.1 + Math.abs(u[K + i]));
      const rho = 0.7;
      const ref = jacobiSymEig(symmetric(K, (i, j) => (i === j ? d[i] : 0) + rho * z[i] * z[j])).values.slice().reverse();
      const delta = new Float64Array(K);
      for (let j = 0; j < K; j++) {
        const lambda = secularRoot(j, d, z, rho, delta);
        assert.ok(Math.abs(lambda - ref[j]) <= 8 * K * EPS * (K + rho * 2 * K), `K=${K} root ${j}: ${lambda} against ${ref[j]}`);
        assert.ok(j === K - 1 ? lambda > d[j] : lambda > d[j] && lambda < d[j + 1], `root ${j} outside its interval`);
        for (let i = 0; i < K; i++) assert.ok(Math.abs(delta[i] - (d[i] - lambda)) <= 4 * EPS * Math.max(Math.abs(d[i]), Math.abs(lambda)));
      }
    }
  });

  it('tridiagDc should diagonalise tridiagonal matrices that split (negligible off-diagonals)', () => {
    const d = [3, 1, 2, 5, 4, -1, 0, 2, 2, 2], e = [1, 0, 0.5, 1e-300, 2, 0, 1, 1, 1];
    const n = d.length, q = new Float64Array(n * n);
    const dd = Float64Array.from(d), ee = Float64Array.from([...e, 0]);
    tridiagDc(dd, ee, { q, qw: new Float64Array(n * n), u: new Float64Array(n * n), work: null });
    assertGood('split tridiagonal', tridiagonal(d, e), dd, q);
  });

  it('the blocked back-transformation should equal Qᵀ from the reflectors one at a time (formQt)', () => {
    for (const [n, nb] of [[3, 32], [5, 2], [40, 7], [100, 32]]) {
      const a = randomSymmetric(n, 77 + n).data.slice();
      const w = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) w[i * n + j] = a[i * n + j];
      const { tau } = tridiagonalize(w, n, { wasm: false });
      const qt = formQt(w, n, tau);
      const z = new Float64Array(n * n);
      for (let i = 0; i < n; i++) z[i * n + i] = 1;
      const [v, vt, ww, w2, t, g] = backTransformLengths(n, nb).map((len) => new Float64Array(len));
      applyTridiagQ(w, n, tau, z, n, { v, vt, w: ww, w2, t, g }, null, nb);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        assert.ok(Math.abs(z[i * n + j] - qt[i * n + j]) <= 4 * n * EPS, `n=${n}, nb=${nb}: Qᵀ[${i}, ${j}] ${z[i * n + j]} against ${qt[i * n + j]}`);
      }
    }
  });
});
