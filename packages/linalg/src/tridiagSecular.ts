/**
 * One root of the secular equation of a rank-one update of a diagonal matrix (LAPACK dlaed4's
 * task): the eigenvalues λ of diag(d) + ρ·z·zᵀ (d strictly increasing, every z_i ≠ 0, ρ > 0)
 * are the roots of
 *
 *   f(λ) = 1/ρ + Σ_i z_i² / (d_i − λ) = 0,
 *
 * one in each interval (d_j, d_{j+1}) and the last in (d_{K−1}, d_{K−1} + ρ‖z‖²).
 *
 * Accuracy: the root is found as an offset τ from the pole it is nearer to (the origin o,
 * λ = d_o + τ), and every difference d_i − λ is formed as (d_i − d_o) − τ, so that the differences
 * to the nearby poles keep their relative accuracy; the eigenvectors are computed from these
 * differences (tridiagDivideConquer.ts), never from λ itself.
 *
 * Iteration ("middle way", R.-C. Li 1994, as in dlaed4): at the current λ, the part of f from the
 * poles below the root, ψ, is replaced by A + S_a/(d_a − λ') and the part from the poles above,
 * φ, by B + S_b/(d_b − λ'), both matching value and slope at λ (a, b: the two poles around the
 * root; for the last root both below it); the new λ' solves the resulting quadratic. f is
 * increasing between poles, so each evaluation also narrows a bracket around the root, and a step
 * that would leave the bracket is replaced by bisection: the iteration always converges.
 */
import { UNIT_ROUNDOFF } from './constants.ts';

const MAX_ITERATIONS = 400;

/**
 * The j-th smallest root of 1/ρ + Σ z_i²/(d_i − λ) (K = d.length), returned; `delta[i]` receives
 * d_i − λ for every i, computed as described above.
 */
export function secularRoot(j: number, d: Float64Array, z: Float64Array, rho: number, delta: Float64Array): number {
  const K = d.length;
  if (K === 1) {
    delta[0] = -rho * z[0] * z[0];
    return d[0] + rho * z[0] * z[0];
  }
  const rinv = 1 / rho;
  let o: number, a: number, b: number, lo: number, hi: number;
  if (j < K - 1) {
    a = j; b = j + 1;
    const half = (d[j + 1] - d[j]) / 2;
    // f at the middle of the interval decides which pole the root is nearer to
    let f = rinv;
    for (let i = 0; i < K; i++) f += (z[i] * z[i]) / ((d[i] - d[j]) - half);
    if (f >= 0) { o = j; lo = 0; hi = half; } else { o = j + 1; lo = -half; hi = 0; }
  } else {
    a = K - 2; b = K - 1; o = K - 1;
    let zz = 0;
    for (let i = 0; i < K; i++) zz += z[i] * z[i];
    lo = 0; hi = rho * zz; // f ≥ 0 at d_{K−1} + ρ‖z‖²
  }
  const basis = delta; // d_i − d_o during the iteration, d_i − λ at the end
  for (let i = 0; i < K; i++) basis[i] = d[i] - d[o];
  // start at the bracket's end that is not a pole (f there is ≥ 0 or < 0 as found above)
  let tau = o === j && j < K - 1 ? hi : j < K - 1 ? lo : hi;
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    let psi = 0, dpsi = 0, phi = 0, dphi = 0;
    for (let i = 0; i <= a; i++) {
      const r = 1 / (basis[i] - tau), t = z[i] * z[i] * r;
      psi += t; dpsi += t * r;
    }
    for (let i = a + 1; i < K; i++) {
      const r = 1 / (basis[i] - tau), t = z[i] * z[i] * r;
      phi += t; dphi += t * r;
    }
    const mag = rinv + Math.abs(psi) + Math.abs(phi);
    const f = rinv + psi + phi;
    if (f < 0) lo = tau; else hi = tau;
    if (Math.abs(f) <= 8 * K * UNIT_ROUNDOFF * mag) break;
    if (hi - lo <= 4 * UNIT_ROUNDOFF * Math.max(Math.abs(lo), Math.abs(hi))) break;
    // the two-pole model around the root, in the step η (λ' = λ + η)
    const da = basis[a] - tau, db = basis[b] - tau;
    // (for the last root, φ is pole b's term alone, so its model is exact)
    const sa = dpsi * da * da, sb = dphi * db * db;
    const C = f - sa / da - sb / db;
    // C(da − η)(db − η) + sa(db − η) + sb(da − η) = 0  ⇔  C η² − qb η + qc = 0
    const qb = C * (da + db) + sa + sb, qc = C * da * db + sa * db + sb * da;
    let eta = NaN;
    if (C === 0) eta = qc / qb;
    else {
      const disc = Math.sqrt(Math.max(0, qb * qb - 4 * C * qc));
      const r1 = (qb + (qb >= 0 ? disc : -disc)) / (2 * C);
      const r2 = r1 !== 0 ? qc / (C * r1) : NaN;
      const in1 = tau + r1 > lo && tau + r1 < hi, in2 = tau + r2 > lo && tau + r2 < hi;
      eta = in1 && in2 ? (Math.abs(r1) < Math.abs(r2) ? r1 : r2) : in1 ? r1 : in2 ? r2 : NaN;
    }
    let next = tau + eta;
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2;
    if (next === tau) break;
    tau = next;
  }
  for (let i = 0; i < K; i++) delta[i] -= tau;
  return d[o] + tau;
}
