import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bidiagValues, dlas2 } from '../src/bidiagValues.ts';
import { dlasq2 } from '../src/bidiagValuesInternals.ts';
import { bidiagQr } from '../src/bidiagQr.ts';
import { matrix64, type Matrix64 } from '../src/index.ts';
import { jacobiSvd } from './jacobi.ts';
import { deriveRng } from './helpers.ts';

const EPS = 2 ** -52;

/** dqds's values of the bidiagonal (d, e), inputs untouched, and which method produced them. */
function dqds(d: ArrayLike<number>, e: ArrayLike<number>, iterationFactor?: number): { s: Float64Array; method: string } {
  const s = Float64Array.from(d);
  const method = bidiagValues(s, Float64Array.from(e), iterationFactor);
  return { s, method };
}

/** The old path: implicit-shift bidiagonal QR, sorted decreasing. Absolute accuracy only. */
function qrValues(d: ArrayLike<number>, e: ArrayLike<number>): Float64Array {
  const n = d.length, s = Float64Array.from(d), ee = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) ee[i] = e[i];
  bidiagQr(s, ee);
  return s.sort().reverse();
}

/**
 * The reference for high relative accuracy: bisection on the Sturm count of the Golub–Kahan
 * matrix (zero diagonal, off-diagonal d1, e1, d2, e2, …, dn; eigenvalues ±σ). Demmel and Kahan
 * (1990, "Accurate singular values of bidiagonal matrices", §§3–4) show this count in floating
 * point is the exact count of a bidiagonal whose entries differ from the given ones by a few ε
 * relative, and that such changes move every σ by at most (2n−1)·(that) relative. It shares no
 * code or method with dqds. Entries' squares must not under/overflow (callers keep to 1e±140).
 */
function countBelow(c: Float64Array, x: number): number {
  // pivots of T − x·I for the Golub–Kahan T; #negative = #eigenvalues of T below x = n + #σ < x
  let count = 0, p = -x;
  if (p < 0) count++;
  for (let k = 0; k < c.length; k++) {
    if (p === 0) p = -Number.MIN_VALUE; // an exact zero pivot: perturb it, as dstebz does
    p = -x - (c[k] * c[k]) / p;
    if (p < 0) count++;
  }
  return count;
}

/** Singular values, decreasing, each bisected down to two adjacent doubles (in bit space). */
function bisectionValues(d: ArrayLike<number>, e: ArrayLike<number>): Float64Array {
  // non-negative doubles are ordered as their bit patterns: bisect on those
  const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
  const bits = (x: number): bigint => { f64[0] = x; return i64[0]; };
  const fromBits = (b: bigint): number => { i64[0] = b; return f64[0]; };
  const n = d.length, c = new Float64Array(2 * n - 1);
  let bound = 0;
  for (let i = 0; i < n; i++) { c[2 * i] = Math.abs(d[i]); bound = Math.max(bound, 2 * c[2 * i]); }
  for (let i = 0; i < n - 1; i++) { c[2 * i + 1] = Math.abs(e[i]); bound = Math.max(bound, 2 * c[2 * i + 1]); }
  const out = new Float64Array(n);
  for (let k = 1; k <= n; k++) { // the k-th smallest σ: the largest x with #σ < x below k
    let lo = 0n, hi = bits(bound * 1.5); // invariant: count(lo) < k ≤ count(hi), count(x) = #σ < x
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (countBelow(c, fromBits(mid)) - n >= k) hi = mid; else lo = mid;
    }
    out[n - k] = fromBits(lo);
  }
  return out;
}

/** Largest |a_i − b_i| / b_i (both must be positive where compared; zeros must match). */
function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (b[i] === 0) { assert.ok(a[i] === 0, `index ${i}: got ${a[i]}, expected 0`); continue; }
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / b[i]);
  }
  return worst;
}

function assertDecreasingNonNegative(s: Float64Array): void {
  for (let i = 0; i < s.length; i++) {
    assert.ok(s[i] >= 0, `negative value at ${i}: ${s[i]}`);
    if (i > 0) assert.ok(s[i - 1] >= s[i], `not decreasing at ${i}`);
  }
}

function dense(d: ArrayLike<number>, e: ArrayLike<number>): Matrix64 {
  const n = d.length, b = matrix64(n, n);
  for (let i = 0; i < n; i++) { b.data[i * n + i] = d[i]; if (i < n - 1) b.data[i * n + i + 1] = e[i]; }
  return b;
}

describe('bidiagValues (dqds, LAPACK dlasq1)', () => {
  it('should handle n = 0, 1 and 2 exactly as their closed forms', () => {
    assert.equal(dqds([], []).s.length, 0);
    assert.deepEqual(Array.from(dqds([-3], []).s), [3]);
    // 2×2 [[f, g], [0, h]]: σ1·σ2 = |f·h| and σ1² + σ2² = f² + g² + h²
    for (const [f, g, h] of [[3, 4, 5], [-1e-8, 1, 1e-8], [2, 0, -7], [0, 3, 4], [1, 1e20, 1]]) {
      const { s } = dqds([f, h], [g]);
      assertDecreasingNonNegative(s);
      assert.ok(Math.abs(s[0] * s[1] - Math.abs(f * h)) <= 4 * EPS * Math.abs(f * h), `product for ${[f, g, h]}`);
      const frob = f * f + g * g + h * h;
      assert.ok(Math.abs(s[0] * s[0] + s[1] * s[1] - frob) <= 4 * EPS * frob, `sum of squares for ${[f, g, h]}`);
      assert.deepEqual(Array.from(s), [dlas2(f, g, h)[1], dlas2(f, g, h)[0]]);
    }
  });

  it('should give the squared 2×2 values from dlasq2 with n = 2 (a case dlasq1 sends to dlas2)', () => {
    for (const [f, g, h] of [[3, 4, 5], [1e-8, 1, 1e-8], [2, 1e-9, 7], [7, 1e-9, 2]]) {
      const z = new Float64Array(4 * 2 + 1);
      z[1] = f * f; z[2] = g * g; z[3] = h * h;
      assert.equal(dlasq2(2, z), 0);
      const [small, big] = dlas2(f, g, h);
      assert.ok(Math.abs(z[1] - big * big) <= 4 * EPS * big * big, `larger for ${[f, g, h]}: ${z[1]} vs ${big * big}`);
      assert.ok(Math.abs(z[2] - small * small) <= 4 * EPS * small * small, `smaller for ${[f, g, h]}: ${z[2]} vs ${small * small}`);
    }
    const negative = new Float64Array(9);
    negative[1] = 1; negative[2] = -1; negative[3] = 1;
    assert.equal(dlasq2(2, negative), -202); // LAPACK's INFO for a negative entry 2
  });

  it('should give 2·sin((2n+1−2k)π / (2(2n+1))) for the all-ones bidiagonal', () => {
    // 2cos(kπ/(2n+1)), k = 1..n, written as a sine of a small angle so the reference itself is
    // accurate to an ulp or two even for the smallest value (≈ π/(2n+1))
    for (const n of [1, 2, 3, 4, 10, 101, 500]) {
      const { s, method } = dqds(new Float64Array(n).fill(1), new Float64Array(n - 1 > 0 ? n - 1 : 0).fill(1));
      assert.equal(method, 'dqds');
      const exact = Float64Array.from({ length: n }, (_, i) => 2 * Math.sin(((2 * n - 1 - 2 * i) * Math.PI) / (2 * (2 * n + 1))));
      const err = maxRelErr(s, exact);
      assert.ok(err <= 16 * EPS, `n = ${n}: relative error ${err.toExponential(2)}`);
    }
  });

  it('should agree with the bisection reference to a few ε relative on graded bidiagonals', () => {
    // d_i = 10^-i, e_i = 0.7·10^-i: σ spans 40 decades, and each σ is determined to a few ε
    // relative by the entries (Demmel–Kahan), so the reference bisection computes them. Reversed,
    // the grading runs the other way and dqds works on the flipped array.
    const n = 40;
    const d = Float64Array.from({ length: n }, (_, i) => 10 ** -i);
    const e = Float64Array.from({ length: n - 1 }, (_, i) => 0.7 * 10 ** -i);
    for (const [dd, ee, label] of [[d, e, 'decreasing'], [Float64Array.from(d).reverse(), Float64Array.from(e).reverse(), 'increasing']] as const) {
      const { s, method } = dqds(dd, ee);
      assert.equal(method, 'dqds');
      assertDecreasingNonNegative(s);
      const err = maxRelErr(s, bisectionValues(dd, ee));
      assert.ok(err <= 8 * EPS, `${label} grading: relative error ${err.toExponential(2)}`);
    }
  });

  it('should agree with one-sided Jacobi on a graded bidiagonal whose column-scaled form is well conditioned', () => {
    // One-sided Jacobi's relative error on σ is O(ε·κ(B·D⁻¹)), D the column norms (Demmel and
    // Veselić 1992). Here B·D⁻¹ is checked to be well conditioned, so Jacobi is a second
    // reference with high relative accuracy.
    const n = 24;
    const d = Float64Array.from({ length: n }, (_, i) => 10 ** -i * (1 + 0.1 * i));
    const e = Float64Array.from({ length: n - 1 }, (_, i) => 10 ** -(i + 1) * 0.3);
    const b = dense(d, e);
    const scaled = matrix64(n, n);
    for (let j = 0; j < n; j++) {
      let norm = 0;
      for (let i = 0; i < n; i++) norm += b.data[i * n + j] ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) scaled.data[i * n + j] = b.data[i * n + j] / norm;
    }
    const sc = jacobiSvd(scaled).s;
    assert.ok(sc[0] / sc[n - 1] < 10, `B·D⁻¹ has condition ${sc[0] / sc[n - 1]}`);
    const err = maxRelErr(dqds(d, e).s, jacobiSvd(b).s);
    assert.ok(err <= 32 * EPS, `relative error against Jacobi ${err.toExponential(2)}`);
  });

  it('should split at zeros on the diagonal and the superdiagonal', () => {
    const rng = deriveRng(7, 'dqds-zeros');
    const n = 30;
    const d = Float64Array.from({ length: n }, () => rng.uniform() + 0.1);
    const e = Float64Array.from({ length: n - 1 }, () => rng.uniform() + 0.1);
    const cases: [string, Float64Array, Float64Array, number][] = [];
    const d1 = Float64Array.from(d); d1[0] = 0; d1[13] = 0; d1[n - 1] = 0;
    cases.push(['zero diagonal entries', d1, e, 1]);
    const e1 = Float64Array.from(e); e1[0] = 0; e1[9] = 0; e1[10] = 0; e1[n - 2] = 0;
    cases.push(['zero superdiagonal entries', d, e1, 0]);
    const d2 = Float64Array.from(d1), e2 = Float64Array.from(e1); d2[20] = 0;
    cases.push(['both', d2, e2, 3]);
    cases.push(['diagonal only', d, new Float64Array(n - 1), 0]);
    cases.push(['all zero', new Float64Array(n), new Float64Array(n - 1), n]);
    for (const [label, dd, ee, zeros] of cases) {
      const { s, method } = dqds(dd, ee);
      assert.equal(method, 'dqds', label);
      assertDecreasingNonNegative(s);
      // a block with no zero on the superdiagonal has rank ≥ its size − 1 (its e's form a
      // nonsingular triangle), and loses one rank if any of its d's is zero: so one zero σ per
      // such block (here: 1 block with zeros; blocks [0], [11..28] and [29]; every block of n)
      const ref = bisectionValues(dd, ee);
      for (let i = n - zeros; i < n; i++) assert.ok(s[i] <= 1e-300, `${label}: σ[${i}] = ${s[i]} should be 0`);
      const err = maxRelErr(s.subarray(0, n - zeros), ref.subarray(0, n - zeros));
      assert.ok(err <= 16 * EPS, `${label}: relative error ${err.toExponential(2)}`);
    }
  });

  it('should scale exactly with tiny and huge matrices (1e-300, 1e300)', () => {
    const rng = deriveRng(11, 'dqds-scale');
    const n = 50;
    const d = Float64Array.from({ length: n }, () => rng.normal());
    const e = Float64Array.from({ length: n - 1 }, () => rng.normal());
    const base = bisectionValues(d, e);
    for (const c of [1e-300, 1e-200, 1e200, 1e300]) {
      const s = dqds(d.map((x) => x * c), e.map((x) => x * c)).s;
      const err = maxRelErr(s, base.map((x) => x * c));
      assert.ok(err <= 16 * EPS, `scale ${c}: relative error ${err.toExponential(2)}`);
    }
  });

  it('should match bisection relatively and QR absolutely on a random bidiagonal, n = 1000', () => {
    const rng = deriveRng(4, 'dqds-random');
    const n = 1000;
    const d = Float64Array.from({ length: n }, () => rng.uniform() - 0.5);
    const e = Float64Array.from({ length: n - 1 }, () => rng.uniform() - 0.5);
    const { s, method } = dqds(d, e);
    assert.equal(method, 'dqds');
    assertDecreasingNonNegative(s);
    // uniform entries give a few tiny σ (far below ε·σ_max): only relative accuracy finds them
    const ref = bisectionValues(d, e);
    assert.ok(ref[n - 1] < 1e-30 * ref[0], 'the test matrix should have tiny singular values');
    // (measured: 26ε, and LAPACK's dlasq1 returns the same bits on this matrix; both dqds and
    // the bisection are within O(n·ε) of the truth)
    const err = maxRelErr(s, ref);
    assert.ok(err <= 64 * EPS, `relative error against bisection ${err.toExponential(2)}`);
    // the same check rejects bidiagonal QR, which is accurate only relative to σ_max
    const qr = qrValues(d, e);
    assert.ok(maxRelErr(qr, ref) > 0.5, 'QR unexpectedly accurate for the tiny values');
    for (let i = 0; i < n; i++) assert.ok(Math.abs(s[i] - qr[i]) <= 8 * n * EPS * s[0], `index ${i}: dqds ${s[i]}, QR ${qr[i]}`);
    // ∏σ = |det B| = ∏|d_i|, in logarithms
    let logDet = 0, logProd = 0;
    for (let i = 0; i < n; i++) { logDet += Math.log(Math.abs(d[i])); logProd += Math.log(s[i]); }
    assert.ok(Math.abs(logProd - logDet) <= 1e-10, `Σ log σ = ${logProd}, log|det| = ${logDet}`);
  });

  it('should fall back to bidiagonal QR when dqds reports that it did not converge', () => {
    // With a step budget of zero, dqds returns LAPACK's INFO = 2 at once; the values must then
    // come from QR and be as good as QR's.
    const rng = deriveRng(5, 'dqds-fallback');
    const n = 60;
    const d = Float64Array.from({ length: n }, () => rng.normal());
    const e = Float64Array.from({ length: n - 1 }, () => rng.normal());
    const fallback = dqds(d, e, 0);
    assert.equal(fallback.method, 'qr');
    assertDecreasingNonNegative(fallback.s);
    const ref = bisectionValues(d, e);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(fallback.s[i] - ref[i]) <= 8 * n * EPS * ref[0], `index ${i}`);
  });

  it('should reject non-finite entries, naming the entry', () => {
    assert.throws(() => dqds([1, NaN, 2], [1, 1]), /diagonal entry 1 is NaN/);
    assert.throws(() => dqds([1, 2, 2], [Infinity, 1]), /superdiagonal entry 0 is Infinity/);
  });
});
