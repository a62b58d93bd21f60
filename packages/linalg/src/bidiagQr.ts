/**
 * Singular values of an upper bidiagonal matrix by implicit-shift QR (Golub–Kahan, as in
 * LINPACK's dsvdc / JAMA), with deflation at negligible superdiagonals and splitting at
 * negligible diagonals. Values only: O(n²). With vectors, every rotation is applied to two
 * contiguous rows of Uᵀ (n×m) and Vᵀ (n×n), so the O(n³) work streams through memory.
 *
 * On return `s` holds the singular values, non-negative, unsorted; the caller sorts.
 */

import type { Kernels } from './wasmKernel.ts';
import { sweepRows, type RotationWork } from './threads.ts';
import { hypot } from './hypot.ts';
import { EPS, TINY } from './constants.ts';

/** Row rotations, by the WebAssembly kernel when `kern` is given (x must live in its memory). */
function rot(kern: Kernels | null, x: Float64Array, m: number, r1: number, r2: number, cs: number, sn: number): void {
  // row r1 ← cs·r1 + sn·r2 ; row r2 ← −sn·r1 + cs·r2
  if (kern) { kern.rot(x.byteOffset + r1 * m * 8, x.byteOffset + r2 * m * 8, m, cs, sn); return; }
  const a = r1 * m, b = r2 * m;
  for (let i = 0; i < m; i++) {
    const p = x[a + i], q = x[b + i];
    x[a + i] = cs * p + sn * q;
    x[b + i] = cs * q - sn * p;
  }
}

/**
 * @param s diagonal (length n), overwritten by the singular values
 * @param e superdiagonal (length n, e[n-1] = 0), destroyed
 * @param ut optional Uᵀ, n rows of length m, rotated in place
 * @param vt optional Vᵀ, n rows of length n, rotated in place
 * @param rw WebAssembly kernels whose memory holds ut and vt, with helper threads: rotations then
 *   run as SIMD, each QR sweep's collected and applied in column slices across the threads
 */
export function bidiagQr(s: Float64Array, e: Float64Array, ut?: Float64Array, m = 0, vt?: Float64Array, rw?: RotationWork | null): void {
  qrIterate(s, e, ut, m, vt, rw ?? null);
}

function qrIterate(s: Float64Array, e: Float64Array, ut: Float64Array | undefined, m: number, vt: Float64Array | undefined, rw: RotationWork | null): void {
  const kern = rw?.k ?? null;
  const n = s.length;
  let p = n;
  let iter = 0;
  e[n - 1] = 0;
  while (p > 0) {
    if (iter > 75 * n) throw new Error(`svd: bidiagonal QR did not converge (n=${n})`);
    let k: number;
    for (k = p - 2; k >= 0; k--) {
      if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) { e[k] = 0; break; }
    }
    let kase: number;
    if (k === p - 2) kase = 4;
    else {
      let ks: number;
      for (ks = p - 1; ks > k; ks--) {
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= TINY + EPS * t) { s[ks] = 0; break; }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else { kase = 2; k = ks; }
    }
    k++;
    switch (kase) {
      case 1: { // s[p-1] negligible: chase e[p-2] up with rotations on the right
        let f = e[p - 2];
        e[p - 2] = 0;
        for (let j = p - 2; j >= k; j--) {
          const t = hypot(s[j], f);
          const cs = s[j] / t, sn = f / t;
          s[j] = t;
          if (j !== k) { f = -sn * e[j - 1]; e[j - 1] = cs * e[j - 1]; }
          if (vt) rot(kern, vt, n, j, p - 1, cs, sn);
        }
        break;
      }
      case 2: { // s[k-1] negligible: split, chasing e[k-1] with rotations on the left
        let f = e[k - 1];
        e[k - 1] = 0;
        for (let j = k; j < p; j++) {
          const t = hypot(s[j], f);
          const cs = s[j] / t, sn = f / t;
          s[j] = t;
          f = -sn * e[j];
          e[j] = cs * e[j];
          if (ut) rot(kern, ut, m, j, k - 1, cs, sn);
        }
        break;
      }
      case 3: { // one implicit-shift QR step on the block k..p-1
        const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
        const sp = s[p - 1] / scale, spm1 = s[p - 2] / scale, epm1 = e[p - 2] / scale;
        const sk = s[k] / scale, ek = e[k] / scale;
        const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
        const c = (sp * epm1) * (sp * epm1);
        let shift = 0;
        if (b !== 0 || c !== 0) {
          shift = Math.sqrt(b * b + c);
          if (b < 0) shift = -shift;
          shift = c / (b + shift);
        }
        let f = (sk + sp) * (sk - sp) + shift;
        let g = sk * ek;
        for (let j = k; j < p - 1; j++) {
          let t = hypot(f, g);
          let cs = f / t, sn = g / t;
          if (j !== k) e[j - 1] = t;
          f = cs * s[j] + sn * e[j];
          e[j] = cs * e[j] - sn * s[j];
          g = sn * s[j + 1];
          s[j + 1] = cs * s[j + 1];
          if (vt && rw) { rw.cs[j - k] = cs; rw.sn[j - k] = sn; } else if (vt) rot(kern, vt, n, j, j + 1, cs, sn);
          t = hypot(f, g);
          cs = f / t; sn = g / t;
          s[j] = t;
          f = cs * e[j] + sn * s[j + 1];
          s[j + 1] = -sn * e[j] + cs * s[j + 1];
          g = sn * e[j + 1];
          e[j + 1] = cs * e[j + 1];
          if (ut && rw) { rw.cs2[j - k] = cs; rw.sn2[j - k] = sn; } else if (ut) rot(kern, ut, m, j, j + 1, cs, sn);
        }
        if (rw && vt) sweepRows(rw.k, rw.team, vt.byteOffset, n * 8, n, k, p - 1 - k, rw.cs, rw.sn, false);
        if (rw && ut) sweepRows(rw.k, rw.team, ut.byteOffset, m * 8, m, k, p - 1 - k, rw.cs2, rw.sn2, false);
        e[p - 2] = f;
        iter++;
        break;
      }
      default: { // converged: make s[k] non-negative
        if (s[k] <= 0) {
          s[k] = s[k] < 0 ? -s[k] : 0;
          if (vt) { const o = k * n; for (let i = 0; i < n; i++) vt[o + i] = -vt[o + i]; }
        }
        iter = 0;
        p--;
      }
    }
  }
}
