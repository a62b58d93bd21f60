/**
 * Exact QQᵀ(t) of a λ-balanced two-layer linear network with whitened inputs (τ = 1), any
 * shapes, aligned or not. With Q = [W1ᵀ; W2] and B = W2ᵀW2 − W1W1ᵀ = λI, P = QQᵀ obeys
 *   Ṗ = FP + PF − P²,  F = [[−λ/2·I_ni, Σyxᵀ], [Σyx, λ/2·I_no]],
 * solved by P(t) = e^{Ft}Q₀ M(t)⁻¹ Q₀ᵀe^{Ft}, M(t) = I + Q₀ᵀ(∫₀ᵗe^{2Fu}du)Q₀.
 *
 * Stable evaluation: with F = OΛOᵀ (Λ descending) and G = OᵀQ₀, take the m = min(nh, #Λ>0)
 * fastest modes as the "growing" block, rotate the hidden space so that G's growing rows are
 * [L 0] (L m×m invertible), and factor T = e^{Λ₊t}L out of both sides. Every remaining entry is
 * then a product of e^{−(Λⱼ+Λₖ)t}, e^{(Λᵢ−Λⱼ)t} with Λᵢ ≤ Λⱼ, or a bounded (1 − e^{−2Λt})/2Λ, so
 * nothing overflows at large t or |λ|. The unbounded-growth case is covered, as is a bottleneck
 * (nh < number of growing modes) and unequal ni, no.
 */
import { matmul, matrix64, transpose, type Matrix64, symEig, block, fromBlocks, inverse, solve, completeBasis, orthonormalBasis } from '@eigenflow/linalg';

export interface RiccatiSolution {
  ni: number; no: number; nh: number;
  lambda: number;
  /** Eigenvalues of F, descending. */
  eig: Float64Array;
  /**
   * Growing modes of F (Λ > 0) that the start has no component along: gradient flow never learns
   * them (a saddle). Non-zero means the start is degenerate for this task.
   */
  dormant: number;
  /** QQᵀ at time t (in units of τ). */
  at(t: number): Matrix64;
}

/** F = [[−λ/2·I, Σyxᵀ], [Σyx, λ/2·I]]. */
export function riccatiF(syx: Matrix64, lambda: number): Matrix64 {
  const no = syx.rows, ni = syx.cols, n = ni + no;
  const F = matrix64(n, n);
  for (let i = 0; i < ni; i++) F.data[i * n + i] = -lambda / 2;
  for (let i = 0; i < no; i++) F.data[(ni + i) * n + ni + i] = lambda / 2;
  for (let i = 0; i < no; i++) for (let j = 0; j < ni; j++) {
    F.data[(ni + i) * n + j] = syx.data[i * ni + j];
    F.data[j * n + ni + i] = syx.data[i * ni + j];
  }
  return F;
}

/** φ(Λ)·e^{−ct} with φ(Λ) = ∫₀ᵗe^{2Λu}du, computed without forming large exponentials. */
function psi(L: number, c: number, t: number): number {
  if (L > 0) return (-Math.expm1(-2 * L * t) / (2 * L)) * Math.exp((2 * L - c) * t);
  if (L === 0) return t * Math.exp(-c * t);
  return (Math.expm1(2 * L * t) / (2 * L)) * Math.exp(-c * t);
}

/** Whether the rows of g (m×k) are independent, by the shared Gram–Schmidt at a tolerance relative to the largest entry. */
function fullRowRank(g: Matrix64, tol = 1e-10): boolean {
  let scale = 0;
  for (const x of g.data) scale = Math.max(scale, Math.abs(x));
  return orthonormalBasis(transpose(g), tol * Math.max(scale, 1e-300)).cols === g.rows;
}

/**
 * Prepare the exact solution for task correlations Σyx (Σxx = I assumed), λ and initial
 * weights W1 (nh×ni), W2 (no×nh). λ must be the weights' balance: W2ᵀW2 − W1W1ᵀ = λI.
 */
export function riccatiSolution(syx: Matrix64, W1: Matrix64, W2: Matrix64, lambda: number): RiccatiSolution {
  return riccatiFromFactor(syx, fromBlocks([[transpose(W1)], [W2]]), lambda);
}

/** The same from any factor Q₀ ((ni+no) × nh) of QQᵀ(0); QQᵀ(t) depends on Q₀ only through Q₀Q₀ᵀ. */
export function riccatiFromFactor(syx: Matrix64, Q0: Matrix64, lambda: number): RiccatiSolution {
  const no = syx.rows, ni = syx.cols, nh = Q0.cols, n = ni + no;
  if (Q0.rows !== n) throw new Error(`riccati: Q₀ has ${Q0.rows} rows, expected ni + no = ${n}`);
  const { values: eig, vectors: O } = symEig(riccatiF(syx, lambda), { vectors: true });
  const G = matmul(transpose(O!), Q0);
  const scale = Math.max(...Array.from(eig, Math.abs), 1e-300);
  let m = Math.min(nh, eig.filter((x) => x > 1e-13 * scale).length);
  while (m > 0 && !fullRowRank(block(G, 0, m, 0, nh))) m--;
  const Qfull = m > 0 ? completeBasis(transpose(block(G, 0, m, 0, nh))) : completeBasisIdentity(nh);
  const Gh = matmul(G, Qfull);
  const L = block(Gh, 0, m, 0, m);
  const Ga = block(Gh, m, n, 0, m), Gb = block(Gh, m, n, m, nh);
  const H = m > 0 ? matmul(Ga, inverse(L)) : matrix64(n - m, 0);
  const LLtInv = m > 0 ? inverse(matmul(L, transpose(L))) : matrix64(0, 0);
  const lp = eig.subarray(0, m), lb = eig.subarray(m);
  const nb = n - m, kb = nh - m;
  // A growing mode outside the fast block whose start has no component along the remaining
  // hidden directions (Gb row ≈ 0) stays unlearned for all t: it is a saddle of the flow (e.g. the
  // "B singular" starts of Braun et al.). Its Gb row is set to exactly zero so that the growing
  // factor e^{Λt} never multiplies rounding noise.
  let gscale = 0;
  for (const x of G.data) gscale = Math.max(gscale, Math.abs(x));
  let dormant = 0;
  for (let i = 0; i < nb; i++) {
    if (!(lb[i] > 1e-13 * scale)) continue;
    let r = 0;
    for (let k = 0; k < kb; k++) r = Math.max(r, Math.abs(Gb.data[i * kb + k]));
    if (kb > 0 && r <= 1e-10 * gscale) { dormant++; for (let k = 0; k < kb; k++) Gb.data[i * kb + k] = 0; }
  }

  const at = (t: number): Matrix64 => {
    if (t < 0) throw new Error(`riccati: time must be ≥ 0 but got ${t}`);
    // M' = [[M11, M12], [M12ᵀ, M22]] (nh × nh), all entries bounded.
    const M = matrix64(nh, nh);
    for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) {
      const c = lp[j] + lp[k];
      let v = Math.exp(-c * t) * LLtInv.data[j * m + k] + (j === k ? -Math.expm1(-2 * lp[j] * t) / (2 * lp[j]) : 0);
      for (let i = 0; i < nb; i++) v += psi(lb[i], c, t) * H.data[i * m + j] * H.data[i * m + k];
      M.data[j * nh + k] = v;
    }
    for (let j = 0; j < m; j++) for (let k = 0; k < kb; k++) {
      let v = 0;
      for (let i = 0; i < nb; i++) { const g = Gb.data[i * kb + k]; if (g !== 0) v += psi(lb[i], lp[j], t) * H.data[i * m + j] * g; }
      M.data[j * nh + m + k] = v; M.data[(m + k) * nh + j] = v;
    }
    for (let j = 0; j < kb; j++) for (let k = 0; k < kb; k++) {
      let v = j === k ? 1 : 0;
      for (let i = 0; i < nb; i++) { const g = Gb.data[i * kb + j] * Gb.data[i * kb + k]; if (g !== 0) v += psi(lb[i], 0, t) * g; }
      M.data[(m + j) * nh + m + k] = v;
    }
    // K' = [[I, 0], [e^{(Λb−Λ+)t}∘H, e^{Λb t}Gb]] (n × nh).
    const K = matrix64(n, nh);
    for (let j = 0; j < m; j++) K.data[j * nh + j] = 1;
    for (let i = 0; i < nb; i++) {
      for (let j = 0; j < m; j++) K.data[(m + i) * nh + j] = Math.exp((lb[i] - lp[j]) * t) * H.data[i * m + j];
      for (let k = 0; k < kb; k++) { const g = Gb.data[i * kb + k]; if (g !== 0) K.data[(m + i) * nh + m + k] = Math.exp(lb[i] * t) * g; }
    }
    const Y = matmul(K, solve(M, transpose(K)));
    return matmul(matmul(O!, Y), transpose(O!));
  };
  return { ni, no, nh, lambda, eig, dormant, at };
}

function completeBasisIdentity(n: number): Matrix64 {
  const I = matrix64(n, n);
  for (let i = 0; i < n; i++) I.data[i * n + i] = 1;
  return I;
}

/** A rank-nh factor Q of a PSD matrix P (P ≈ QQᵀ), from its top-nh eigenpairs. */
export function psdFactor(P: Matrix64, nh: number): Matrix64 {
  const { values, vectors } = symEig(P, { vectors: true });
  const n = P.rows, Q = matrix64(n, nh);
  for (let j = 0; j < nh; j++) {
    const r = Math.sqrt(Math.max(0, values[j]));
    for (let i = 0; i < n; i++) Q.data[i * nh + j] = vectors!.data[i * n + j] * r;
  }
  return Q;
}

/** The blocks of QQᵀ: W1ᵀW1 (ni×ni), W2W1 (no×ni), W2W2ᵀ (no×no). */
export function qqtBlocks(P: Matrix64, ni: number): { input: Matrix64; fn: Matrix64; output: Matrix64 } {
  const n = P.rows;
  return { input: block(P, 0, ni, 0, ni), fn: block(P, ni, n, 0, ni), output: block(P, ni, n, ni, n) };
}
