/**
 * The secular equation of the divide-and-conquer bidiagonal SVD (bidiagDivideConquer.ts), solved one root at a
 * time as LAPACK's dlasd4 does: every root is kept as an offset τ from the pole it lies closer to,
 * so that each dᵢ² − σ² is formed as (dᵢ − d_o)(dᵢ + d_o) − τ without cancellation.
 *
 * The problem: the singular values σ of the K×K matrix M with first row z and diagonal
 * d = (0, d₁, …, d_{K−1}) (d ascending, all gaps and all |zᵢ| above the deflation tolerance).
 * MᵀM = D² + zzᵀ, so σ² are the roots of f(λ) = 1 + Σᵢ zᵢ² / (dᵢ² − λ), one in each interval
 * (d_j², d_{j+1}²) and the last in (d_{K−1}², d_{K−1}² + zᵀz). f increases on each interval.
 */
import { UNIT_ROUNDOFF } from './constants.ts';

/** Model steps per root before the iteration only bisects (never reached in the tests). */
const MAX_STEPS = 80;

export interface SecularSolution {
  /** σ_j, ascending (σ_j in (d_j, d_{j+1})). */
  sigma: Float64Array;
  /** delta[j·K + i] = dᵢ² − σ_j², accurate to a few ulps even when σ_j is next to dᵢ. */
  delta: Float64Array;
}

/** All K roots of 1 + Σ zᵢ²/(dᵢ² − σ²) = 0 for d[0] = 0 < d[1] < … < d[K−1]. */
export function secularRoots(d: Float64Array, z: Float64Array, K: number): SecularSolution {
  const sigma = new Float64Array(K), delta = new Float64Array(K * K);
  const z2 = new Float64Array(K);
  for (let i = 0; i < K; i++) z2[i] = z[i] * z[i];
  for (let j = 0; j < K; j++) sigma[j] = secularRoot(d, z2, K, j, delta.subarray(j * K, j * K + K));
  return { sigma, delta };
}

/**
 * Root j: returns σ_j and fills delta with dᵢ² − σ_j². Each step fits f near the current point
 * by one pole at d_j² and one at d_{j+1}² (matching the value and slope of the two partial sums
 * left and right of the root, as in dlasd4's "middle way") and jumps to that model's root; a step
 * that would leave the bracket known to hold the root bisects instead.
 */
export function secularRoot(d: Float64Array, z2: Float64Array, K: number, j: number, delta: Float64Array): number {
  const last = j === K - 1;
  let o: number, lo: number, hi: number, tau: number;
  let gap2 = 0;
  if (!last) {
    gap2 = (d[j + 1] - d[j]) * (d[j + 1] + d[j]);
    const mid = gap2 / 2;
    let f = 1;
    for (let i = 0; i < K; i++) f += z2[i] / ((d[i] - d[j]) * (d[i] + d[j]) - mid);
    // f(mid) ≥ 0: the root is in the lower half, closer to d_j; else closer to d_{j+1}
    if (f >= 0) { o = j; lo = 0; hi = mid; tau = mid; } else { o = j + 1; lo = -mid; hi = 0; tau = -mid; }
  } else {
    let zz = 0;
    for (let i = 0; i < K; i++) zz += z2[i];
    o = j; lo = 0; hi = zz; tau = zz;
  }
  const dO = d[o];
  const base = delta; // dᵢ² − d_o², exactly as the offsets are formed
  for (let i = 0; i < K; i++) base[i] = (d[i] - dO) * (d[i] + dO);
  for (let step = 0; step < MAX_STEPS + 64; step++) {
    let psi = 0, dpsi = 0, phi = 0, dphi = 0, absSum = 0;
    for (let i = 0; i <= j; i++) { const t = z2[i] / (base[i] - tau); psi += t; dpsi += t / (base[i] - tau); }
    for (let i = j + 1; i < K; i++) { const t = z2[i] / (base[i] - tau); phi += t; dphi += t / (base[i] - tau); }
    absSum = phi - psi; // ψ < 0 < φ on the interval
    const f = 1 + psi + phi;
    if (f > 0) hi = tau; else lo = tau;
    if (Math.abs(f) <= 8 * UNIT_ROUNDOFF * (1 + absSum) * Math.sqrt(K) || f === 0) break;
    let next = NaN;
    if (step < MAX_STEPS) {
      const dj = base[j] - tau;
      if (!last) {
        const dj1 = base[j + 1] - tau;
        const s1 = dpsi * dj * dj, s2 = dphi * dj1 * dj1;
        const c = 1 + (psi - dpsi * dj) + (phi - dphi * dj1);
        // c + s1/x + s2/(x + g) = 0 with x = d_j² − λ (< 0), g = gap²; or in y = x + g (> 0)
        next = o === j ? -quadraticRootIn(c, c * gap2 + s1 + s2, s1 * gap2, -gap2, 0)
          : -quadraticRootIn(c, s1 + s2 - c * gap2, -s2 * gap2, 0, gap2);
      } else {
        const s1 = dpsi * dj * dj, c = 1 + (psi - dpsi * dj);
        if (c > 0) next = s1 / c; // c + s1/x = 0, τ = −x
      }
    }
    if (!(next > lo && next < hi)) next = lo / 2 + hi / 2;
    if (Math.abs(next - tau) <= 2 * UNIT_ROUNDOFF * Math.abs(tau) || next === tau) { tau = next; break; }
    tau = next;
  }
  for (let i = 0; i < K; i++) delta[i] = base[i] - tau;
  return Math.sqrt(dO * dO + tau);
}

/** The root of a·x² + b·x + c in (lo, hi), by the cancellation-free formulas; NaN if none is. */
function quadraticRootIn(a: number, b: number, c: number, lo: number, hi: number): number {
  if (a === 0) { const x = -c / b; return x > lo && x < hi ? x : NaN; }
  const disc = Math.max(0, b * b - 4 * a * c);
  const q = -(b + (b >= 0 ? Math.sqrt(disc) : -Math.sqrt(disc))) / 2;
  const r1 = q / a, r2 = q !== 0 ? c / q : NaN;
  if (r1 > lo && r1 < hi) return r1;
  if (r2 > lo && r2 < hi) return r2;
  return NaN;
}

/**
 * ẑ from the computed roots (Löwner's formula, as dlasd3): the z for which the computed σ are the
 * exact singular values of M. Vectors built from ẑ are orthogonal to working precision even when
 * roots cluster; built from z they need not be.
 *   ẑᵢ² = (σ_{K−1}² − dᵢ²) · Π_{j<i} (σ_j² − dᵢ²)/(d_j² − dᵢ²) · Π_{i≤j<K−1} (σ_j² − dᵢ²)/(d_{j+1}² − dᵢ²)
 * with the sign of zᵢ; each factor is positive and near 1 in size, so the product neither
 * overflows nor underflows.
 */
export function lownerZ(d: Float64Array, z: Float64Array, K: number, delta: Float64Array): Float64Array {
  const zh = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const di = d[i];
    let p = -delta[(K - 1) * K + i];
    for (let j = 0; j < i; j++) p *= -delta[j * K + i] / ((d[j] - di) * (d[j] + di));
    for (let j = i; j < K - 1; j++) p *= -delta[j * K + i] / ((d[j + 1] - di) * (d[j + 1] + di));
    zh[i] = Math.sign(z[i] || 1) * Math.sqrt(Math.abs(p));
  }
  return zh;
}

/**
 * The singular vectors of M from ẑ: right vector j ∝ (ẑᵢ/(dᵢ² − σ_j²))ᵢ, left vector j ∝
 * (−1, dᵢ·ẑᵢ/(dᵢ² − σ_j²))ᵢ (entry 0 is M's first row, whose diagonal entry is d₀ = 0).
 * Column-major K×K: column j of `left`/`right` belongs to σ_j.
 */
export function secularVectors(d: Float64Array, zh: Float64Array, K: number, delta: Float64Array): { left: Float64Array; right: Float64Array } {
  const left = new Float64Array(K * K), right = new Float64Array(K * K);
  for (let j = 0; j < K; j++) {
    const o = j * K;
    let nv = 0, nu = 1;
    right[o] = zh[0] / delta[o];
    left[o] = -1;
    nv = right[o] * right[o];
    for (let i = 1; i < K; i++) {
      const v = zh[i] / delta[o + i];
      const u = d[i] * v;
      right[o + i] = v; left[o + i] = u;
      nv += v * v; nu += u * u;
    }
    const sv = 1 / Math.sqrt(nv), su = 1 / Math.sqrt(nu);
    for (let i = 0; i < K; i++) { right[o + i] *= sv; left[o + i] *= su; }
  }
  return { left, right };
}
