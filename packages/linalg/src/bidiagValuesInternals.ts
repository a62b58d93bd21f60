/**
 * The dqds iteration behind `bidiagValues.ts`: a port of Reference-LAPACK's dlasq2 (driver), dlasq3 (one
 * step with deflation and flipping), dlasq4 (the shift), dlasq5 (one dqds transform with shift)
 * and dlasq6 (one dqd transform without shift, guarding against underflow).
 *
 * Layout, as in LAPACK. `z` is 1-based (z[0] is unused) so that every index below reads exactly
 * as in the Fortran. For the block being worked on, rows i0..n0 of z hold two qd arrays side by
 * side, "ping" (pp = 0) and "pong" (pp = 1):
 *   z[4k-3] = q_k, z[4k-1] = e_k   (pp = 0: read from here, write to z[4k-2], z[4k])
 *   z[4k-2] = q_k, z[4k]   = e_k   (pp = 1: read from here, write to z[4k-3], z[4k-1])
 * q_k are the squares of the bidiagonal's diagonal and e_k the squares of its superdiagonal,
 * each transform maps one array to the other, and the accumulated shift `sigma` is carried
 * separately: the eigenvalues of the current qd array plus sigma are the squared singular values.
 * When a block splits, the sigma of the block left behind is stored, negated, in its last e slot
 * (z[4·n0-1]); a non-positive e marks a split.
 *
 * (Ported from the Reference-LAPACK sources at version 3.12.1, commit 51b3494, 2026-08.)
 *
 * All routines run under IEEE arithmetic (LAPACK's IEEE = .TRUE. path): a division by zero gives
 * an infinity, which the tests on dmin catch, instead of being avoided by extra branches.
 */

import { EPS, SAFE_MIN } from './constants.ts';

/** Flip a block (work from the other end) when its first q is this much smaller than its last. */
const CBIAS = 1.5;
const TOL = EPS * 100;
const TOL2 = TOL * TOL;

/** The state dlasq2 passes to dlasq3/4/5/6 by reference (the Fortran arguments), per call. */
export interface QdState {
  i0: number; n0: number; pp: number;
  dmin: number; dmin1: number; dmin2: number;
  dn: number; dn1: number; dn2: number;
  sigma: number; desig: number; qmax: number;
  tau: number; ttype: number; g: number;
  nfail: number; iter: number; ndiv: number;
}

function swap(z: Float64Array, a: number, b: number): void {
  const t = z[a]; z[a] = z[b]; z[b] = t;
}

/** Sorts z[1..n] into decreasing order (DLASRT('D')). */
function sortDecreasing(z: Float64Array, n: number): void {
  const head = z.subarray(1, n + 1);
  head.sort();
  head.reverse();
}

/**
 * DLASQ2: all eigenvalues of the symmetric positive definite tridiagonal matrix whose qd array
 * z[1..2n-1] = q1, e1, q2, e2, …, qn holds (squared bidiagonal entries), to high relative accuracy.
 *
 * On return with 0, z[1..n] are the eigenvalues in decreasing order. Other return values are
 * LAPACK's INFO: −(200+k) when entry k is negative; 1 (an internal error: a negative sigma);
 * 2 (a block did not converge in `iterationFactor`·(its size) dqds steps; LAPACK's 100);
 * 3 (the outer loop, one pass per split block, ran out). The caller falls back on failure.
 *
 * @param z length ≥ 4n + 1, 1-based (z[0] unused); overwritten
 */
export function dlasq2(n: number, z: Float64Array, iterationFactor = 100): number {
  if (n === 0) return 0;
  if (n === 1) return z[1] < 0 ? -201 : 0;
  if (n === 2) {
    if (z[1] < 0) return -201;
    if (z[2] < 0) return -202;
    if (z[3] < 0) return -203;
    if (z[3] > z[1]) swap(z, 1, 3);
    z[5] = z[1] + z[2] + z[3];
    if (z[2] > z[3] * TOL2) {
      // the eigenvalues of [[q1, √(q1e1)], [√(q1e1), e1+q2]] without cancellation
      let t = 0.5 * ((z[1] - z[3]) + z[2]);
      let s = z[3] * (z[2] / t);
      if (s <= t) s = z[3] * (z[2] / (t * (1 + Math.sqrt(1 + s / t))));
      else s = z[3] * (z[2] / (t + Math.sqrt(t) * Math.sqrt(t + s)));
      t = z[1] + (s + z[2]);
      z[3] = z[3] * (z[1] / t);
      z[1] = t;
    }
    z[2] = z[3];
    z[6] = z[2] + z[1];
    return 0;
  }

  // Check the entries, and find the sums and extremes used by the splitting tests below.
  z[2 * n] = 0;
  let qmax = 0, d = 0, e = 0;
  for (let k = 1; k <= 2 * (n - 1); k += 2) {
    if (z[k] < 0) return -(200 + k);
    if (z[k + 1] < 0) return -(200 + k + 1);
    d += z[k];
    e += z[k + 1];
    qmax = Math.max(qmax, z[k]);
  }
  if (z[2 * n - 1] < 0) return -(200 + 2 * n - 1);
  d += z[2 * n - 1];
  if (e === 0) { // already diagonal (every e underflowed when squared)
    for (let k = 2; k <= n; k++) z[k] = z[2 * k - 1];
    sortDecreasing(z, n);
    return 0;
  }
  if (d + e === 0) { z[2 * n - 1] = 0; return 0; }

  // Spread q1 e1 q2 e2 … into the four-slot layout: z[4k-3] = q_k, z[4k-1] = e_k.
  for (let k = 2 * n; k >= 2; k -= 2) {
    z[2 * k] = 0;
    z[2 * k - 1] = z[k];
    z[2 * k - 2] = 0;
    z[2 * k - 3] = z[k - 1];
  }
  let i0 = 1;
  const n0 = n;
  // Reverse the qd array when its first q is much smaller than its last: dqds converges at the
  // bottom first, and the smallest values are best found there.
  if (CBIAS * z[4 * i0 - 3] < z[4 * n0 - 3]) {
    const ipn4 = 4 * (i0 + n0);
    for (let i4 = 4 * i0; i4 <= 2 * (i0 + n0 - 1); i4 += 4) {
      swap(z, i4 - 3, ipn4 - i4 - 3);
      swap(z, i4 - 1, ipn4 - i4 - 5);
    }
  }

  // Initial split checking via dqd and Li's test (LAPACK's words): two dqd transforms (shift
  // zero), one into each array, setting negligible e's to -0 (a split).
  let pp = 0;
  for (let k = 1; k <= 2; k++) {
    d = z[4 * n0 + pp - 3];
    for (let i4 = 4 * (n0 - 1) + pp; i4 >= 4 * i0 + pp; i4 -= 4) {
      if (z[i4 - 1] <= TOL2 * d) { z[i4 - 1] = -0; d = z[i4 - 3]; }
      else d = z[i4 - 3] * (d / (d + z[i4 - 1]));
    }
    d = z[4 * i0 + pp - 3];
    for (let i4 = 4 * i0 + pp; i4 <= 4 * (n0 - 1) + pp; i4 += 4) {
      z[i4 - 2 * pp - 2] = d + z[i4 - 1];
      if (z[i4 - 1] <= TOL2 * d) {
        z[i4 - 1] = -0;
        z[i4 - 2 * pp - 2] = d;
        z[i4 - 2 * pp] = 0;
        d = z[i4 + 1];
      } else if (SAFE_MIN * z[i4 + 1] < z[i4 - 2 * pp - 2] && SAFE_MIN * z[i4 - 2 * pp - 2] < z[i4 + 1]) {
        const temp = z[i4 + 1] / z[i4 - 2 * pp - 2];
        z[i4 - 2 * pp] = z[i4 - 1] * temp;
        d *= temp;
      } else { // the quotient would under- or overflow: divide first
        z[i4 - 2 * pp] = z[i4 + 1] * (z[i4 - 1] / z[i4 - 2 * pp - 2]);
        d = z[i4 + 1] * (d / z[i4 - 2 * pp - 2]);
      }
    }
    z[4 * n0 - pp - 2] = d;
    pp = 1 - pp;
  }

  const q: QdState = {
    i0, n0, pp: 0, dmin: 0, dmin1: 0, dmin2: 0, dn: 0, dn1: 0, dn2: 0,
    sigma: 0, desig: 0, qmax: 0, tau: 0, ttype: 0, g: 0, nfail: 0, iter: 2, ndiv: 2 * (n0 - i0),
  };
  // One pass of the outer loop per unreduced block, bottom block first.
  for (let iwhila = 1; iwhila <= n + 1; iwhila++) {
    if (q.n0 < 1) { // all converged
      for (let k = 2; k <= n; k++) z[k] = z[4 * k - 3];
      sortDecreasing(z, n);
      return 0;
    }
    // The block's shift so far (0 for the first block, else stored negated at its split).
    q.desig = 0;
    q.sigma = q.n0 === n ? 0 : -z[4 * q.n0 - 1];
    if (q.sigma < 0) return 1;

    // Find the top i0 of the last unreduced block, with qmin/emax for a lower bound on its
    // smallest eigenvalue (used as the first shift).
    let emax = 0;
    let qmin = z[4 * q.n0 - 3];
    q.qmax = qmin;
    let i4: number;
    for (i4 = 4 * q.n0; i4 >= 8; i4 -= 4) {
      if (z[i4 - 5] <= 0) break;
      if (qmin >= 4 * emax) {
        qmin = Math.min(qmin, z[i4 - 3]);
        emax = Math.max(emax, z[i4 - 5]);
      }
      q.qmax = Math.max(q.qmax, z[i4 - 7] + z[i4 - 5]);
    }
    if (i4 < 8) i4 = 4;
    q.i0 = i4 / 4;
    q.pp = 0;

    if (q.n0 - q.i0 > 1) {
      // If the smallest d of a dqd pass sits in the top third of the block, work on the reversed
      // block, so that the small values converge at the bottom. pp = 2 says both arrays were
      // flipped (LAPACK: "the tests for deflation upon entry in DLASQ3 should not be performed";
      // dlasq3 treats it as ping after those tests, as LAPACK's does).
      let dee = z[4 * q.i0 - 3], deemin = dee, kmin = q.i0;
      for (let j = 4 * q.i0 + 1; j <= 4 * q.n0 - 3; j += 4) {
        dee = z[j] * (dee / (dee + z[j - 2]));
        if (dee <= deemin) { deemin = dee; kmin = (j + 3) / 4; }
      }
      if ((kmin - q.i0) * 2 < q.n0 - kmin && deemin <= 0.5 * z[4 * q.n0 - 3]) {
        const ipn4 = 4 * (q.i0 + q.n0);
        q.pp = 2;
        for (let j = 4 * q.i0; j <= 2 * (q.i0 + q.n0 - 1); j += 4) {
          swap(z, j - 3, ipn4 - j - 3);
          swap(z, j - 2, ipn4 - j - 2);
          swap(z, j - 1, ipn4 - j - 5);
          swap(z, j, ipn4 - j - 4);
        }
      }
    }

    // "Put −(initial shift) into dmin": qmin − 2√(qmin·emax), a Gershgorin-type lower bound on
    // the block's smallest eigenvalue (0 if negative); dlasq4 takes −dmin as the shift.
    q.dmin = -Math.max(0, qmin - 2 * Math.sqrt(qmin) * Math.sqrt(emax));

    const nbig = iterationFactor * (q.n0 - q.i0 + 1);
    let blockDone = false;
    for (let iwhilb = 1; iwhilb <= nbig; iwhilb++) {
      if (q.i0 > q.n0) { blockDone = true; break; }
      dlasq3(z, q);
      q.pp = 1 - q.pp;
      // Every other step, look for a split (a negligible e) inside the block.
      if (q.pp === 0 && q.n0 - q.i0 >= 3) {
        if (z[4 * q.n0] <= TOL2 * q.qmax || z[4 * q.n0 - 1] <= TOL2 * q.sigma) {
          let splt = q.i0 - 1;
          q.qmax = z[4 * q.i0 - 3];
          let emin = z[4 * q.i0 - 1];
          let oldemn = z[4 * q.i0];
          for (let j = 4 * q.i0; j <= 4 * (q.n0 - 3); j += 4) {
            if (z[j] <= TOL2 * z[j - 3] || z[j - 1] <= TOL2 * q.sigma) {
              z[j - 1] = -q.sigma; // split here; the upper block remembers its shift
              splt = j / 4;
              q.qmax = 0;
              emin = z[j + 3];
              oldemn = z[j + 4];
            } else {
              q.qmax = Math.max(q.qmax, z[j + 1]);
              emin = Math.min(emin, z[j - 1]);
              oldemn = Math.min(oldemn, z[j]);
            }
          }
          z[4 * q.n0 - 1] = emin;
          z[4 * q.n0] = oldemn;
          q.i0 = splt + 1;
        }
      }
    }
    // LAPACK's INFO = 2 also rebuilds an unreduced bidiagonal from the qd arrays for the caller
    // to finish; the caller here restarts from its own copy with QR instead.
    if (!blockDone) return 2;
  }
  return 3;
}

/**
 * DLASQ3: deflate converged values at the bottom of the block i0..n0 (one or two at a time),
 * flip the block if worthwhile, choose a shift (dlasq4) and take one dqds step (dlasq5),
 * retrying with smaller shifts when the shifted array would lose positivity.
 */
export function dlasq3(z: Float64Array, q: QdState): void {
  const n0in = q.n0;
  // Deflation (labels 10–40 in LAPACK)
  for (;;) {
    const n0 = q.n0, pp = q.pp, sigma = q.sigma;
    if (n0 < q.i0) return;
    const nn = 4 * n0 + pp;
    let deflate: 1 | 2 | 0;
    if (n0 === q.i0) deflate = 1;
    else if (n0 === q.i0 + 1) deflate = 2;
    // e_{n0-1} negligible against the last q (and the shift): one eigenvalue has converged
    else if (!(z[nn - 5] > TOL2 * (sigma + z[nn - 3]) && z[nn - 2 * pp - 4] > TOL2 * z[nn - 7])) deflate = 1;
    // e_{n0-2} negligible: the trailing 2×2 block has converged
    else if (!(z[nn - 9] > TOL2 * sigma && z[nn - 2 * pp - 8] > TOL2 * z[nn - 11])) deflate = 2;
    else deflate = 0;
    if (deflate === 0) break;
    if (deflate === 1) {
      z[4 * n0 - 3] = z[4 * n0 + pp - 3] + sigma;
      q.n0 = n0 - 1;
      continue;
    }
    // the two eigenvalues of the trailing 2×2, computed without cancellation
    if (z[nn - 3] > z[nn - 7]) swap(z, nn - 3, nn - 7);
    let t = 0.5 * ((z[nn - 7] - z[nn - 3]) + z[nn - 5]);
    if (z[nn - 5] > z[nn - 3] * TOL2 && t !== 0) {
      let s = z[nn - 3] * (z[nn - 5] / t);
      if (s <= t) s = z[nn - 3] * (z[nn - 5] / (t * (1 + Math.sqrt(1 + s / t))));
      else s = z[nn - 3] * (z[nn - 5] / (t + Math.sqrt(t) * Math.sqrt(t + s)));
      t = z[nn - 7] + (s + z[nn - 5]);
      z[nn - 3] = z[nn - 3] * (z[nn - 7] / t);
      z[nn - 7] = t;
    }
    z[4 * n0 - 7] = z[nn - 7] + sigma;
    z[4 * n0 - 3] = z[nn - 3] + sigma;
    q.n0 = n0 - 2;
  }

  if (q.pp === 2) q.pp = 0;
  const { i0, n0, pp } = q;
  // After a deflation or a failed shift, reverse the block if its top q is much smaller than
  // its bottom q (the same test as in dlasq2), keeping the bounds dlasq4 reads consistent.
  if (q.dmin <= 0 || n0 < n0in) {
    if (CBIAS * z[4 * i0 + pp - 3] < z[4 * n0 + pp - 3]) {
      const ipn4 = 4 * (i0 + n0);
      for (let j4 = 4 * i0; j4 <= 2 * (i0 + n0 - 1); j4 += 4) {
        swap(z, j4 - 3, ipn4 - j4 - 3);
        swap(z, j4 - 2, ipn4 - j4 - 2);
        swap(z, j4 - 1, ipn4 - j4 - 5);
        swap(z, j4, ipn4 - j4 - 4);
      }
      if (n0 - i0 <= 4) {
        z[4 * n0 + pp - 1] = z[4 * i0 + pp - 1];
        z[4 * n0 - pp] = z[4 * i0 - pp];
      }
      q.dmin2 = Math.min(q.dmin2, z[4 * n0 + pp - 1]);
      z[4 * n0 + pp - 1] = Math.min(z[4 * n0 + pp - 1], z[4 * i0 + pp - 1], z[4 * i0 + pp + 3]);
      z[4 * n0 - pp] = Math.min(z[4 * n0 - pp], z[4 * i0 - pp], z[4 * i0 - pp + 4]);
      q.qmax = Math.max(q.qmax, z[4 * i0 + pp - 3], z[4 * i0 + pp + 1]);
      q.dmin = -0;
    }
  }

  dlasq4(z, q, n0in);

  let unshifted = false;
  for (;;) { // label 70: one dqds step with shift tau, retried with smaller shifts on failure
    dlasq5(z, q);
    q.ndiv += n0 - i0 + 2;
    q.iter++;
    if (q.dmin >= 0 && q.dmin1 >= 0) break; // success
    if (q.dmin < 0 && q.dmin1 > 0 && z[4 * (n0 - 1) - pp] < TOL * (q.sigma + q.dn1) && Math.abs(q.dn) < TOL * q.sigma) {
      // only the last d went (slightly) negative, and it is negligible: accept it as zero
      z[4 * (n0 - 1) - pp + 2] = 0;
      q.dmin = 0;
      break;
    }
    if (q.dmin < 0) { // the shift was too big: try a smaller one
      q.nfail++;
      if (q.ttype < -22) q.tau = 0; // failed too often: no shift
      else if (q.dmin1 > 0) { // only the end went negative: back off to just below the bound
        q.tau = (q.tau + q.dmin) * (1 - 2 * EPS);
        q.ttype -= 11;
      } else { // early failure: quarter the shift
        q.tau *= 0.25;
        q.ttype -= 12;
      }
      continue;
    }
    if (Number.isNaN(q.dmin)) { // an overflow turned into NaN: retry unshifted
      if (q.tau === 0) { unshifted = true; break; }
      q.tau = 0;
      continue;
    }
    unshifted = true; // possible underflow: take a safe unshifted dqd step
    break;
  }
  if (unshifted) { // label 80
    dlasq6(z, q);
    q.ndiv += n0 - i0 + 2;
    q.iter++;
    q.tau = 0;
  }
  // label 90: sigma += tau, in compensated (two-sum) arithmetic with the error kept in desig
  let t: number;
  if (q.tau < q.sigma) {
    q.desig += q.tau;
    t = q.sigma + q.desig;
    q.desig -= t - q.sigma;
  } else {
    t = q.sigma + q.tau;
    q.desig = q.sigma - (t - q.tau) + q.desig;
  }
  q.sigma = t;
}

/**
 * DLASQ4: the shift tau for the next dqds step, an approximation from below of the block's
 * smallest eigenvalue from the last transform's d's (dmin, dn, dn1, dn2) and the trailing
 * entries. ttype records which case chose it (LAPACK's numbering, which dlasq3 also reads).
 * The early returns leave tau at its previous value, as LAPACK's do.
 */
export function dlasq4(z: Float64Array, q: QdState, n0in: number): void {
  const CNST1 = 0.563, CNST2 = 1.01, CNST3 = 1.05;
  const THIRD = 0.333; // LAPACK's constant, not 1/3
  const { i0, n0, pp, dmin, dmin1, dmin2, dn, dn1, dn2 } = q;
  if (dmin <= 0) { q.tau = -dmin; q.ttype = -1; return; }
  const nn = 4 * n0 + pp;
  let s = 0;
  if (n0in === n0) {
    // no eigenvalues deflated
    if (dmin === dn || dmin === dn1) {
      let b1 = Math.sqrt(z[nn - 3]) * Math.sqrt(z[nn - 5]);
      let b2 = Math.sqrt(z[nn - 7]) * Math.sqrt(z[nn - 9]);
      let a2 = z[nn - 7] + z[nn - 5];
      if (dmin === dn && dmin1 === dn1) { // cases 2 and 3
        const gap2 = dmin2 - a2 - dmin2 * 0.25;
        const gap1 = gap2 > 0 && gap2 > b2 ? a2 - dn - (b2 / gap2) * b2 : a2 - dn - (b1 + b2);
        if (gap1 > 0 && gap1 > b1) {
          s = Math.max(dn - (b1 / gap1) * b1, 0.5 * dmin);
          q.ttype = -2;
        } else {
          s = 0;
          if (dn > b1) s = dn - b1;
          if (a2 > b1 + b2) s = Math.min(s, a2 - (b1 + b2));
          s = Math.max(s, THIRD * dmin);
          q.ttype = -3;
        }
      } else { // case 4
        q.ttype = -4;
        s = 0.25 * dmin;
        let gam: number, np: number;
        if (dmin === dn) {
          gam = dn;
          a2 = 0;
          if (z[nn - 5] > z[nn - 7]) return;
          b2 = z[nn - 5] / z[nn - 7];
          np = nn - 9;
        } else {
          np = nn - 2 * pp;
          gam = dn1;
          if (z[np - 4] > z[np - 2]) return;
          a2 = z[np - 4] / z[np - 2];
          if (z[nn - 9] > z[nn - 11]) return;
          b2 = z[nn - 9] / z[nn - 11];
          np = nn - 13;
        }
        // approximate the contribution to the norm squared from i < nn-1
        a2 += b2;
        for (let i4 = np; i4 >= 4 * i0 - 1 + pp; i4 -= 4) {
          if (b2 === 0) break;
          b1 = b2;
          if (z[i4] > z[i4 - 2]) return;
          b2 *= z[i4] / z[i4 - 2];
          a2 += b2;
          if (100 * Math.max(b2, b1) < a2 || CNST1 < a2) break;
        }
        a2 *= CNST3;
        if (a2 < CNST1) s = gam * (1 - Math.sqrt(a2)) / (1 + a2);
      }
    } else if (dmin === dn2) { // case 5
      q.ttype = -5;
      s = 0.25 * dmin;
      const np = nn - 2 * pp;
      let b1 = z[np - 2], b2 = z[np - 6];
      const gam = dn2;
      if (z[np - 8] > b2 || z[np - 4] > b1) return;
      let a2 = (z[np - 8] / b2) * (1 + z[np - 4] / b1);
      if (n0 - i0 > 2) {
        b2 = z[nn - 13] / z[nn - 15];
        a2 += b2;
        for (let i4 = nn - 17; i4 >= 4 * i0 - 1 + pp; i4 -= 4) {
          if (b2 === 0) break;
          b1 = b2;
          if (z[i4] > z[i4 - 2]) return;
          b2 *= z[i4] / z[i4 - 2];
          a2 += b2;
          if (100 * Math.max(b2, b1) < a2 || CNST1 < a2) break;
        }
        a2 *= CNST3;
      }
      if (a2 < CNST1) s = gam * (1 - Math.sqrt(a2)) / (1 + a2);
    } else { // case 6: no information to guide the shift
      if (q.ttype === -6) q.g += THIRD * (1 - q.g);
      else if (q.ttype === -18) q.g = 0.25 * THIRD;
      else q.g = 0.25;
      s = q.g * dmin;
      q.ttype = -6;
    }
  } else if (n0in === n0 + 1) {
    // one eigenvalue just deflated: use dmin1, dn1
    if (dmin1 === dn1 && dmin2 === dn2) { // cases 7 and 8
      q.ttype = -7;
      s = THIRD * dmin1;
      if (z[nn - 5] > z[nn - 7]) return;
      let b1 = z[nn - 5] / z[nn - 7];
      let b2 = b1;
      if (b2 !== 0) {
        for (let i4 = 4 * n0 - 9 + pp; i4 >= 4 * i0 - 1 + pp; i4 -= 4) {
          const a2 = b1;
          if (z[i4] > z[i4 - 2]) return;
          b1 *= z[i4] / z[i4 - 2];
          b2 += b1;
          if (100 * Math.max(b1, a2) < b2) break;
        }
      }
      b2 = Math.sqrt(CNST3 * b2);
      const a2 = dmin1 / (1 + b2 * b2);
      const gap2 = 0.5 * dmin2 - a2;
      if (gap2 > 0 && gap2 > b2 * a2) s = Math.max(s, a2 * (1 - CNST2 * a2 * (b2 / gap2) * b2));
      else { s = Math.max(s, a2 * (1 - CNST2 * b2)); q.ttype = -8; }
    } else { // case 9
      s = 0.25 * dmin1;
      if (dmin1 === dn1) s = 0.5 * dmin1;
      q.ttype = -9;
    }
  } else if (n0in === n0 + 2) {
    // two eigenvalues deflated: use dmin2, dn2
    if (dmin2 === dn2 && 2 * z[nn - 5] < z[nn - 7]) { // case 10
      q.ttype = -10;
      s = THIRD * dmin2;
      if (z[nn - 5] > z[nn - 7]) return;
      let b1 = z[nn - 5] / z[nn - 7];
      let b2 = b1;
      if (b2 !== 0) {
        for (let i4 = 4 * n0 - 9 + pp; i4 >= 4 * i0 - 1 + pp; i4 -= 4) {
          if (z[i4] > z[i4 - 2]) return;
          b1 *= z[i4] / z[i4 - 2];
          b2 += b1;
          if (100 * b1 < b2) break;
        }
      }
      b2 = Math.sqrt(CNST3 * b2);
      const a2 = dmin2 / (1 + b2 * b2);
      const gap2 = z[nn - 7] + z[nn - 9] - Math.sqrt(z[nn - 11]) * Math.sqrt(z[nn - 9]) - a2;
      if (gap2 > 0 && gap2 > b2 * a2) s = Math.max(s, a2 * (1 - CNST2 * a2 * (b2 / gap2) * b2));
      else s = Math.max(s, a2 * (1 - CNST2 * b2));
    } else { // case 11
      s = 0.25 * dmin2;
      q.ttype = -11;
    }
  } else if (n0in > n0 + 2) { // case 12: more than two deflated, no information
    s = 0;
    q.ttype = -12;
  }
  q.tau = s;
}

/**
 * DLASQ5: one dqds transform with shift tau from array pp to the other, recording the smallest
 * d (dmin) and the last three d's (dn2, dn1, dn) for dlasq4 and the failure tests in dlasq3.
 * A negative d means the shift exceeded the smallest eigenvalue (the step is rejected there).
 * With tau below half the threshold eps·(sigma+tau) the step is taken unshifted, and d's below
 * the threshold are set to zero: LAPACK's 2011 change (commit e5962da), "this should guarantee that
 * it always finishes in a linear number of iterations, without hurting accuracy at all".
 */
export function dlasq5(z: Float64Array, q: QdState): void {
  const { i0, n0, pp, sigma } = q;
  if (n0 - i0 - 1 <= 0) return;
  const dthresh = EPS * (sigma + q.tau);
  if (q.tau < dthresh * 0.5) q.tau = 0;
  const tau = q.tau;
  let j4 = 4 * i0 + pp - 3;
  let emin = z[j4 + 4];
  let d = z[j4] - tau;
  let dmin = d;
  q.dmin1 = -z[j4];
  const last = 4 * (n0 - 3);
  // The hot loop: all but the last two steps, one division on the chain d → d + e → q/(d + e) → d.
  // The running minimum of d is kept without a branch (`lower` is 0 or 1, and 1·d + 0·dmin is
  // exactly d): V8 compiles Math.min and `if (d < dmin)` to branches that the data makes
  // unpredictable, and each misprediction stalls the chain (measured: 7.7 against 4.9 ns a step).
  // For non-finite d the blend can give NaN where a min would not; but then every later d is NaN
  // too (an infinite d makes the next quotient 0 or ∞), so dn, and with it dmin, is NaN either way,
  // which is what dlasq3 tests for.
  if (tau !== 0) {
    if (pp === 0) {
      for (j4 = 4 * i0; j4 <= last; j4 += 4) {
        const qq = d + z[j4 - 1];
        z[j4 - 2] = qq;
        const temp = z[j4 + 1] / qq;
        d = d * temp - tau;
        const lower = +(d < dmin);
        dmin = lower * d + (1 - lower) * dmin;
        const ee = z[j4 - 1] * temp;
        z[j4] = ee;
        if (ee < emin) emin = ee;
      }
    } else {
      for (j4 = 4 * i0; j4 <= last; j4 += 4) {
        const qq = d + z[j4];
        z[j4 - 3] = qq;
        const temp = z[j4 + 2] / qq;
        d = d * temp - tau;
        const lower = +(d < dmin);
        dmin = lower * d + (1 - lower) * dmin;
        const ee = z[j4] * temp;
        z[j4 - 1] = ee;
        if (ee < emin) emin = ee;
      }
    }
  } else if (pp === 0) {
    for (j4 = 4 * i0; j4 <= last; j4 += 4) {
      const qq = d + z[j4 - 1];
      z[j4 - 2] = qq;
      const temp = z[j4 + 1] / qq;
      d = d * temp;
      if (d < dthresh) d = 0;
      const lower = +(d < dmin);
      dmin = lower * d + (1 - lower) * dmin;
      const ee = z[j4 - 1] * temp;
      z[j4] = ee;
      if (ee < emin) emin = ee;
    }
  } else {
    for (j4 = 4 * i0; j4 <= last; j4 += 4) {
      const qq = d + z[j4];
      z[j4 - 3] = qq;
      const temp = z[j4 + 2] / qq;
      d = d * temp;
      if (d < dthresh) d = 0;
      const lower = +(d < dmin);
      dmin = lower * d + (1 - lower) * dmin;
      const ee = z[j4] * temp;
      z[j4 - 1] = ee;
      if (ee < emin) emin = ee;
    }
  }
  // The last two steps, unrolled to record dn1 and dn.
  const dnm2 = d;
  q.dmin2 = dmin;
  j4 = 4 * (n0 - 2) - pp;
  let j4p2 = j4 + 2 * pp - 1;
  z[j4 - 2] = dnm2 + z[j4p2];
  z[j4] = z[j4p2 + 2] * (z[j4p2] / z[j4 - 2]);
  const dnm1 = z[j4p2 + 2] * (dnm2 / z[j4 - 2]) - tau;
  dmin = Math.min(dmin, dnm1);
  q.dmin1 = dmin;
  j4 += 4;
  j4p2 = j4 + 2 * pp - 1;
  z[j4 - 2] = dnm1 + z[j4p2];
  z[j4] = z[j4p2 + 2] * (z[j4p2] / z[j4 - 2]);
  const dn = z[j4p2 + 2] * (dnm1 / z[j4 - 2]) - tau;
  dmin = Math.min(dmin, dn);
  z[j4 + 2] = dn;
  z[4 * n0 - pp] = emin;
  q.dmin = dmin; q.dn = dn; q.dn1 = dnm1; q.dn2 = dnm2;
}

/**
 * DLASQ6: one dqd transform without shift, used when dlasq5 may have underflowed. A zero q
 * splits the array there; quotients that would under- or overflow are formed in the safe order.
 */
export function dlasq6(z: Float64Array, q: QdState): void {
  const { i0, n0, pp } = q;
  if (n0 - i0 - 1 <= 0) return;
  let j4 = 4 * i0 + pp - 3;
  let emin = z[j4 + 4];
  let d = z[j4];
  let dmin = d;
  // one step writing qq at `wq` and e at `we` from e at `re` and the next q at `rq`
  const step = (wq: number, we: number, re: number, rq: number): void => {
    z[wq] = d + z[re];
    if (z[wq] === 0) {
      z[we] = 0;
      d = z[rq];
      dmin = d;
      emin = 0;
    } else if (SAFE_MIN * z[rq] < z[wq] && SAFE_MIN * z[wq] < z[rq]) {
      const temp = z[rq] / z[wq];
      z[we] = z[re] * temp;
      d *= temp;
    } else {
      z[we] = z[rq] * (z[re] / z[wq]);
      d = z[rq] * (d / z[wq]);
    }
  };
  for (j4 = 4 * i0; j4 <= 4 * (n0 - 3); j4 += 4) {
    if (pp === 0) step(j4 - 2, j4, j4 - 1, j4 + 1);
    else step(j4 - 3, j4 - 1, j4, j4 + 2);
    dmin = Math.min(dmin, d);
    emin = Math.min(emin, z[pp === 0 ? j4 : j4 - 1]);
  }
  const dnm2 = d;
  q.dmin2 = dmin;
  j4 = 4 * (n0 - 2) - pp;
  let j4p2 = j4 + 2 * pp - 1;
  step(j4 - 2, j4, j4p2, j4p2 + 2);
  const dnm1 = d;
  dmin = Math.min(dmin, dnm1);
  q.dmin1 = dmin;
  j4 += 4;
  j4p2 = j4 + 2 * pp - 1;
  step(j4 - 2, j4, j4p2, j4p2 + 2);
  const dn = d;
  dmin = Math.min(dmin, dn);
  z[j4 + 2] = dn;
  z[4 * n0 - pp] = emin;
  q.dmin = dmin; q.dn = dn; q.dn1 = dnm1; q.dn2 = dnm2;
}
