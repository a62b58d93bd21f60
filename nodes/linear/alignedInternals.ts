/**
 * Closed forms for one aligned mode of a λ-balanced two-layer linear network (τ = 1).
 *
 * A mode has input strength c, output strength d, product a = cd, target singular value s:
 * ċ = d(s − cd), ḋ = c(s − cd), so d² − c² = λ is conserved and ȧ = √(λ² + 4a²)(s − a).
 * P = qqᵀ with q = (c, d) obeys the 2×2 Riccati equation Ṗ = FP + PF − P² with
 * F = [[−λ/2, s], [s, λ/2]], whose solution is P(t) = e^{Ft}q(1 + qᵀ∫₀ᵗe^{2Fu}du q)⁻¹qᵀe^{Ft}.
 * `alignedMode` evaluates it in F's eigenbasis with every exponential written as e^{−μt} (μ ≥ 0),
 * so nothing overflows at large t or |λ|.
 */

/** Balanced factors of a product a with d² − c² = λ: c ≥ 0, sign(d) = sign(a). */
export function balancedFactors(a: number, lambda: number): { c: number; d: number } {
  const r = Math.hypot(lambda, 2 * a);
  const c = Math.sqrt(Math.max(0, (r - lambda) / 2));
  const d = Math.sqrt(Math.max(0, (r + lambda) / 2));
  return { c, d: a < 0 ? -d : d };
}

/** c(t)², d(t)² and a(t) = c(t)d(t) of an aligned mode started at (c0, d0). */
export function alignedMode(s: number, lambda: number, c0: number, d0: number, t: number): { a: number; c2: number; d2: number } {
  const mu = Math.sqrt(s * s + lambda * lambda / 4);
  if (mu === 0) {
    const m = 1 + t * (c0 * c0 + d0 * d0);
    return { a: (c0 * d0) / m, c2: (c0 * c0) / m, d2: (d0 * d0) / m };
  }
  // Eigenvector of +μ; of the two equivalent forms take the one that cannot vanish.
  let p1: number, p2: number;
  if (lambda >= 0) { p1 = s; p2 = mu + lambda / 2; } else { p1 = mu - lambda / 2; p2 = s; }
  const np = Math.hypot(p1, p2);
  p1 /= np; p2 /= np;
  const m1 = -p2, m2 = p1; // eigenvector of −μ
  const gp = p1 * c0 + p2 * d0, gm = m1 * c0 + m2 * d0;
  const e = Math.exp(-mu * t), e2 = e * e;
  const dplus = -Math.expm1(-2 * mu * t) / (2 * mu);
  // P = v vᵀ / M with v = e^{−μt}·e^{Ft}q and M = e^{−2μt}·(1 + qᵀ∫e^{2Fu}du q).
  const v1 = gp * p1 + gm * e2 * m1, v2 = gp * p2 + gm * e2 * m2;
  const M = e2 + gp * gp * dplus + gm * gm * e2 * dplus;
  if (M === 0) return { a: 0, c2: 0, d2: 0 };
  return { a: (v1 * v2) / M, c2: (v1 * v1) / M, d2: (v2 * v2) / M };
}

/** a(t) from a(0) for λ-balanced aligned weights. */
export function alignedLambda(s: number, lambda: number, a0: number, t: number): number {
  const { c, d } = balancedFactors(a0, lambda);
  return alignedMode(s, lambda, c, d, t).a;
}

/**
 * The thesis' Theorem 3.2.1 in corrected form (λ ≠ 0, s > 0): with K = √(λ² + 4s²),
 * x₀ = 2a₀·sgn(λ)/(√(λ² + 4a₀²) + |λ|), C = (K + λ + 2sx₀)/(K − λ − 2sx₀),
 * R(t) = C·e^{sgn(λ)Kt}, x = (K(R − 1) − λ(R + 1))/(2s(R + 1)) and a = λx/(1 − x²).
 * (The printed version drops sgn(λ) from the exponent and has λ² for |λ| in x₀.)
 * R is never formed: (R − 1)/(R + 1) = tanh(½ ln R) (or coth for C < 0).
 */
export function alignedThesisForm(s: number, lambda: number, a0: number, t: number): number {
  const K = Math.sqrt(lambda * lambda + 4 * s * s);
  const sg = Math.sign(lambda);
  const x0 = (2 * a0 * sg) / (Math.sqrt(lambda * lambda + 4 * a0 * a0) + Math.abs(lambda));
  const C = (K + lambda + 2 * s * x0) / (K - lambda - 2 * s * x0);
  const half = (Math.log(Math.abs(C)) + sg * K * t) / 2;
  const rho = C > 0 ? Math.tanh(half) : 1 / Math.tanh(half);
  const x = (K * rho - lambda) / (2 * s);
  return (lambda * x) / (1 - x * x);
}

/** λ = 0 (Saxe et al.): a(t) = s e^{2st}/(e^{2st} − 1 + s/a₀), written with e^{−2st} only. */
export function alignedSigmoid(s: number, a0: number, t: number): number {
  if (s === 0) return a0 / (1 + 2 * a0 * t);
  return s / (1 - Math.exp(-2 * s * t) * (1 - s / a0));
}

/** Shallow network W(t) = Σyx + (W(0) − Σyx)e^{−t}, per singular value. */
export function shallowExp(s: number, b0: number, t: number): number {
  return s + (b0 - s) * Math.exp(-t);
}

/** |λ| → ∞ limit of a deep λ-balanced network: the shallow curve run |λ| times faster. */
export function largeLambda(s: number, lambda: number, a0: number, t: number): number {
  return s + (a0 - s) * Math.exp(-Math.abs(lambda) * t);
}
