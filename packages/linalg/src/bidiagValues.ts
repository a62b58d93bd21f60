/**
 * Singular values of an upper bidiagonal matrix by dqds (the differential quotient–difference
 * algorithm with shifts of Fernando and Parlett), a port of LAPACK's dlasq1, which is what
 * LAPACK's values-only SVD (dgesdd, dgesvd, dbdsqr without vectors) runs.
 *
 * dqds works on the squares of the entries and never forms B·Bᵀ, so every singular value comes
 * out to high relative accuracy (a few ε relative, however small it is next to the largest), and
 * each transform is one short loop with one division: several times faster than bidiagonal QR.
 * The iteration itself is in bidiagValuesInternals.ts (dlasq2–dlasq6).
 */
import { bidiagQr } from './bidiagQr.ts';
import { dlasq2 } from './bidiagValuesInternals.ts';
import { EPS, SAFE_MIN } from './constants.ts';

/**
 * Which method produced the values: dqds, or bidiagonal QR when dqds reported a failure (LAPACK's
 * INFO > 0: a block that did not converge in 100·(its size) steps, or an internal error).
 */
export type BidiagValuesMethod = 'dqds' | 'qr';

/**
 * The singular values of the upper bidiagonal matrix with diagonal d and superdiagonal e
 * (e[i] couples rows i and i+1; entries of e from index n−1 on are ignored), in decreasing order,
 * written into d. e is left unchanged.
 *
 * @param iterationFactor dqds's step budget per block, in steps per row (LAPACK: 100); a test
 *   sets it to 0 to exercise the fallback to QR
 */
export function bidiagValues(d: Float64Array, e: Float64Array, iterationFactor = 100): BidiagValuesMethod {
  const n = d.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i])) throw new Error(`bidiagValues: diagonal entry ${i} is ${d[i]}`);
    if (i < n - 1 && !Number.isFinite(e[i])) throw new Error(`bidiagValues: superdiagonal entry ${i} is ${e[i]}`);
  }
  const d0 = Float64Array.from(d);
  const info = dlasq1(d, e, iterationFactor);
  if (info === 0) return 'dqds';
  // dqds reported a failure (not seen in any test or benchmark, but LAPACK defines it): start
  // again from the input with implicit-shift QR (bidiagQr.ts, which throws if it does not converge).
  d.set(d0);
  const ee = new Float64Array(n);
  ee.set(e.subarray(0, n - 1));
  bidiagQr(d, ee);
  d.sort();
  d.reverse();
  return 'qr';
}

/**
 * DLASQ1: scale, square, call dlasq2, take square roots and scale back. Returns LAPACK's INFO
 * (0: success, d holds the singular values, decreasing; > 0: dqds failed and d is meaningless).
 */
export function dlasq1(d: Float64Array, e: Float64Array, iterationFactor = 100): number {
  const n = d.length;
  if (n === 0) return 0;
  if (n === 1) { d[0] = Math.abs(d[0]); return 0; }
  if (n === 2) {
    const [ssmin, ssmax] = dlas2(d[0], e[0], d[1]);
    d[0] = ssmax;
    d[1] = ssmin;
    return 0;
  }
  let sigmx = 0;
  for (let i = 0; i < n - 1; i++) {
    d[i] = Math.abs(d[i]);
    sigmx = Math.max(sigmx, Math.abs(e[i]));
  }
  d[n - 1] = Math.abs(d[n - 1]);
  if (sigmx === 0) { // already diagonal
    d.sort();
    d.reverse();
    return 0;
  }
  for (let i = 0; i < n; i++) sigmx = Math.max(sigmx, d[i]);

  // Scale the largest entry to √(ε/safmin) = 2^485: its square (2^970) cannot overflow, and
  // squares of entries down to 2^-511 of the largest stay normal.
  const scale = Math.sqrt(EPS / SAFE_MIN);
  const z = new Float64Array(4 * n + 1); // 1-based, as dlasq2 expects
  for (let i = 0; i < n; i++) z[2 * i + 1] = d[i];
  for (let i = 0; i < n - 1; i++) z[2 * i + 2] = e[i];
  dlascl(z, 1, 2 * n - 1, sigmx, scale);
  for (let i = 1; i <= 2 * n - 1; i++) z[i] *= z[i];
  z[2 * n] = 0;
  const info = dlasq2(n, z, iterationFactor);
  if (info !== 0) return info;
  for (let i = 0; i < n; i++) d[i] = Math.sqrt(z[i + 1]);
  dlascl(d, 0, n - 1, scale, sigmx);
  return 0;
}

/**
 * DLASCL for a vector: x[from..to] ×= cto/cfrom without over- or underflow, multiplying by
 * safmin or 1/safmin as many times as needed before the last factor.
 */
export function dlascl(x: Float64Array, from: number, to: number, cfrom: number, cto: number): void {
  const smlnum = SAFE_MIN, bignum = 1 / SAFE_MIN;
  let cfromc = cfrom, ctoc = cto;
  for (;;) {
    const cfrom1 = cfromc * smlnum;
    let mul: number, done: boolean;
    if (cfrom1 === cfromc) { // cfromc is infinite: the ratio is 0 (or NaN)
      mul = ctoc / cfromc;
      done = true;
    } else {
      const cto1 = ctoc / bignum;
      if (cto1 === ctoc) { // ctoc is 0 or infinite
        mul = ctoc;
        done = true;
        cfromc = 1;
      } else if (Math.abs(cfrom1) > Math.abs(ctoc) && ctoc !== 0) {
        mul = smlnum;
        done = false;
        cfromc = cfrom1;
      } else if (Math.abs(cto1) > Math.abs(cfromc)) {
        mul = bignum;
        done = false;
        ctoc = cto1;
      } else {
        mul = ctoc / cfromc;
        done = true;
        if (mul === 1) return;
      }
    }
    for (let i = from; i <= to; i++) x[i] *= mul;
    if (done) return;
  }
}

/**
 * DLAS2: the singular values [smaller, larger] of the 2×2 upper triangular [[f, g], [0, h]],
 * accurate to a few ulps relative (no cancellation, no overflow unless the result overflows).
 */
export function dlas2(f: number, g: number, h: number): [number, number] {
  const fa = Math.abs(f), ga = Math.abs(g), ha = Math.abs(h);
  const fhmn = Math.min(fa, ha), fhmx = Math.max(fa, ha);
  if (fhmn === 0) {
    if (fhmx === 0) return [0, ga];
    const big = Math.max(fhmx, ga), small = Math.min(fhmx, ga);
    return [0, big * Math.sqrt(1 + (small / big) ** 2)];
  }
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx, au = (ga / fhmx) ** 2;
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    return [fhmn * c, fhmx / c];
  }
  const au = fhmx / ga;
  if (au === 0) return [(fhmn * fhmx) / ga, ga]; // fhmx/ga underflowed: the exact formulas degenerate
  const as = 1 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + (as * au) ** 2) + Math.sqrt(1 + (at * au) ** 2));
  const ssmin = fhmn * c * au;
  return [ssmin + ssmin, ga / (c + c)];
}
