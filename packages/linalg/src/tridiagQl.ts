/**
 * Eigenvalues (and, with `zt`, eigenvectors) of a symmetric tridiagonal matrix by implicit QL with
 * Wilkinson shifts (EISPACK tql1/tql2 as in JAMA; LAPACK's dsterf/dsteqr do the same with QL or
 * QR): the values of `symEig`, and the vectors of matrices below DIVIDE_CONQUER_MIN_SIZE and of
 * divide and conquer's small blocks.
 */
import { sweepRows, type RotationWork } from './threads.ts';
import { hypot } from './hypot.ts';
import { EPS } from './constants.ts';

/**
 * Implicit QL on the tridiagonal (d, e with e[i] = T[i+1][i], e[n-1] = 0); d becomes the
 * eigenvalues (unsorted). With `zt` (n rows), rotations are applied to its rows: one at a time
 * in TypeScript, or with `rw` (zt in the kernels' memory) collected per QL step and applied as one
 * sweep in column slices.
 */
export function tql(d: Float64Array, e: Float64Array, zt?: Float64Array, rw?: RotationWork | null): void {
  const n = d.length;
  let f = 0, tst1 = 0;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error(`symEig: QL iteration did not converge (n=${n})`);
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1];
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i]; h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r; s = e[i] / r; c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (zt && rw) { rw.cs[m - 1 - i] = c; rw.sn[m - 1 - i] = s; }
          else if (zt) {
            const a0 = i * n, b0 = (i + 1) * n;
            for (let k = 0; k < n; k++) {
              const zh = zt[b0 + k], zi = zt[a0 + k];
              zt[b0 + k] = s * zi + c * zh;
              zt[a0 + k] = c * zi - s * zh;
            }
          }
        }
        if (zt && rw) sweepRows(rw.k, rw.team, zt.byteOffset, n * 8, n, m - 1, m - l, rw.cs, rw.sn, true);
        p = -s * s2 * c3 * el1 * e[l] / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
