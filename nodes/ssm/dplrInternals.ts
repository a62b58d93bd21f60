/**
 * Kernel of a general diagonal-plus-low-rank A = diag(λ) + ppᵀ, where powers have no
 * elementary closed form (unlike c·I + ppᵀ), by the S4 route: the truncated generating function
 *
 *   Ĝ(z) = Σ_{k<N} C A^k B z^k = C (I − A^N z^N)(I − zA)⁻¹ B = C̃ (I − zA)⁻¹ B at z^N = 1,
 *
 * with C̃ = C(I − A^N), evaluated at the N-th roots of unity (N = nextPow2(L)) and inverted by
 * one FFT. The resolvent is diagonal plus rank one, so Sherman–Morrison gives each value in O(n):
 *
 *   C̃(I − zA)⁻¹B = Σ C̃ᵢBᵢ/dᵢ + z (Σ C̃ᵢpᵢ/dᵢ)(Σ pᵢBᵢ/dᵢ) / (1 − z Σ pᵢ²/dᵢ),  dᵢ = 1 − zλᵢ.
 *
 * O(nN + N log N) in all. Needs I − zA invertible on the unit circle (no eigenvalue of A of
 * modulus 1); for |eigenvalues| > 1 the C̃ = C(I − A^N) term cancels catastrophically, so
 * growing systems should use dense powers or the c·I + ppᵀ closed form instead.
 */
import { fft, nextPow2 } from '@eigenflow/linalg';

/** K_1 … K_L (without D) for A = diag(λ) + ppᵀ. */
export function dplrGeneralMarkov(lambda: Float64Array, p: Float64Array, B: Float64Array, C: Float64Array, L: number): Float64Array {
  const n = lambda.length;
  if (L === 0) return new Float64Array(0);
  const N = nextPow2(L);
  // C̃ = C − C A^N, by N row-vector products with A (each O(n): xA = λ∘x + (x·p) pᵀ).
  let x = Float64Array.from(C);
  const next = new Float64Array(n);
  for (let k = 0; k < N; k++) {
    let xp = 0;
    for (let i = 0; i < n; i++) xp += x[i] * p[i];
    for (let i = 0; i < n; i++) next[i] = x[i] * lambda[i] + xp * p[i];
    x.set(next);
  }
  const Ct = new Float64Array(n);
  for (let i = 0; i < n; i++) Ct[i] = C[i] - x[i];
  const re = new Float64Array(N), im = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    const zr = Math.cos((2 * Math.PI * j) / N), zi = -Math.sin((2 * Math.PI * j) / N); // z = ω^j, ω = e^{−2πi/N}
    // Accumulate s1 = Σ C̃B/d, s2 = Σ C̃p/d, s3 = Σ pB/d, s4 = Σ p²/d with 1/d = conj(d)/|d|².
    let s1r = 0, s1i = 0, s2r = 0, s2i = 0, s3r = 0, s3i = 0, s4r = 0, s4i = 0;
    for (let i = 0; i < n; i++) {
      const dr = 1 - zr * lambda[i], di = -zi * lambda[i];
      const q = dr * dr + di * di;
      const ir = dr / q, ii = -di / q;
      const cb = Ct[i] * B[i], cp = Ct[i] * p[i], pb = p[i] * B[i], pp = p[i] * p[i];
      s1r += cb * ir; s1i += cb * ii; s2r += cp * ir; s2i += cp * ii;
      s3r += pb * ir; s3i += pb * ii; s4r += pp * ir; s4i += pp * ii;
    }
    // num = z·s2·s3, den = 1 − z·s4
    const tr = s2r * s3r - s2i * s3i, ti = s2r * s3i + s2i * s3r;
    const nr = zr * tr - zi * ti, ni = zr * ti + zi * tr;
    const er = 1 - (zr * s4r - zi * s4i), ei = -(zr * s4i + zi * s4r);
    const eq = er * er + ei * ei;
    re[j] = s1r + (nr * er + ni * ei) / eq;
    im[j] = s1i + (ni * er - nr * ei) / eq;
  }
  // Ĝ(ω^j) = Σ_k c_k e^{−2πijk/N} is the forward DFT of c, so c = IDFT(Ĝ).
  fft(re, im, { inverse: true });
  return re.slice(0, L);
}
