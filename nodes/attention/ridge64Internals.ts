/**
 * Ridge attention in float64 on the CPU: the reference every tfjs result is checked against.
 *
 * Shapes (row-major Float64Array): queries Q n_q × d, keys K n × d, values V n × d_v. With
 * A = KᵀK + λI (d × d, symmetric positive definite for λ > 0), ridge attention answers query q
 * with the ridge-regression prediction of the values from the keys,
 *   out(q) = Vᵀ K A⁻¹ q = Σᵢ wᵢ vᵢ,   wᵢ = kᵢᵀ A⁻¹ q   (the attention weights; they can be negative).
 * Causal self-attention answers token t from tokens 1..t only: A_t = λI + Σ_{i≤t} kᵢkᵢᵀ and
 * S_t = Σ_{i≤t} kᵢvᵢᵀ, out_t = S_tᵀ A_t⁻¹ q_t.
 *
 * Solves here go through `@eigenflow/linalg`'s LU with partial pivoting, an implementation independent
 * of the Gauss–Jordan solve the tfjs path uses and of the Sherman–Morrison recursion.
 */
import { matrix64, solve, symEig } from '@eigenflow/linalg';

export interface Qkv64 {
  n: number;
  d: number;
  dv: number;
  /** n × d (one query per token). */
  Q: Float64Array;
  K: Float64Array;
  /** n × dv */
  V: Float64Array;
}

/** A = KᵀK + λI over the first `rows` keys. */
export function gram64(K: Float64Array, rows: number, d: number, lambda: number): Float64Array {
  const A = new Float64Array(d * d);
  for (let i = 0; i < rows; i++) {
    for (let a = 0; a < d; a++) {
      const ka = K[i * d + a];
      for (let b = 0; b < d; b++) A[a * d + b] += ka * K[i * d + b];
    }
  }
  for (let a = 0; a < d; a++) A[a * d + a] += lambda;
  return A;
}

/** Non-causal ridge attention: every query sees every key. Returns out (n_q × dv) and weights (n_q × n). */
export function ridgeAttention64(Q: Float64Array, K: Float64Array, V: Float64Array, n: number, d: number, dv: number, lambda: number) {
  const nq = Q.length / d;
  const A = gram64(K, n, d, lambda);
  // Z = A⁻¹ Qᵀ (d × n_q)
  const Qt = new Float64Array(d * nq);
  for (let j = 0; j < nq; j++) for (let a = 0; a < d; a++) Qt[a * nq + j] = Q[j * d + a];
  const Z = solve(matrix64(d, d, A), matrix64(d, nq, Qt)).data;
  const weights = new Float64Array(nq * n);
  for (let j = 0; j < nq; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += K[i * d + a] * Z[a * nq + j];
      weights[j * n + i] = s;
    }
  }
  const out = new Float64Array(nq * dv);
  for (let j = 0; j < nq; j++) for (let i = 0; i < n; i++) {
    const w = weights[j * n + i];
    for (let c = 0; c < dv; c++) out[j * dv + c] += w * V[i * dv + c];
  }
  return { out, weights };
}

/** Causal ridge self-attention, token t from tokens ≤ t, each A_t solved afresh (LU): the reference. */
export function causalRidge64(x: Qkv64, lambda: number): Float64Array {
  const { n, d, dv, Q, K, V } = x;
  const A = new Float64Array(d * d), S = new Float64Array(d * dv), out = new Float64Array(n * dv);
  for (let a = 0; a < d; a++) A[a * d + a] = lambda;
  for (let t = 0; t < n; t++) {
    addOuter(A, K, t * d, K, t * d, d, d);
    addOuter(S, K, t * d, V, t * dv, d, dv);
    const z = solve(matrix64(d, d, A), matrix64(d, 1, Q.subarray(t * d, t * d + d))).data;
    for (let c = 0; c < dv; c++) { let s = 0; for (let a = 0; a < d; a++) s += S[a * dv + c] * z[a]; out[t * dv + c] = s; }
  }
  return out;
}

/** M += u vᵀ for u = a[ia..ia+r), v = b[ib..ib+c). */
function addOuter(M: Float64Array, a: ArrayLike<number>, ia: number, b: ArrayLike<number>, ib: number, r: number, c: number): void {
  for (let i = 0; i < r; i++) { const ai = a[ia + i]; for (let j = 0; j < c; j++) M[i * c + j] += ai * b[ib + j]; }
}

/**
 * Causal ridge self-attention by the Sherman–Morrison running inverse, in the array type given
 * (Float32Array stores every intermediate in float32; Float64Array is exact to float64):
 *   P_t = P_{t−1} − (P_{t−1}k)(P_{t−1}k)ᵀ / (1 + kᵀP_{t−1}k),   P_0 = I/λ,   O(d²) per token.
 * (P stays symmetric, so P k serves for both kᵀP and P k.)
 */
export function causalShermanMorrison<T extends Float32Array | Float64Array>(
  make: (len: number) => T, x: Qkv64, lambda: number,
): T {
  const { n, d, dv, Q, K, V } = x;
  const P = make(d * d), S = make(d * dv), u = make(d), z = make(d), out = make(n * dv);
  for (let a = 0; a < d; a++) P[a * d + a] = 1 / lambda;
  for (let t = 0; t < n; t++) {
    const kt = t * d;
    let denom = 1;
    for (let a = 0; a < d; a++) { let s = 0; for (let b = 0; b < d; b++) s += P[a * d + b] * K[kt + b]; u[a] = s; }
    for (let a = 0; a < d; a++) denom += K[kt + a] * u[a];
    for (let a = 0; a < d; a++) { const ua = u[a] / denom; for (let b = 0; b < d; b++) P[a * d + b] -= ua * u[b]; }
    for (let a = 0; a < d; a++) { const ka = K[kt + a]; for (let c = 0; c < dv; c++) S[a * dv + c] += ka * V[t * dv + c]; }
    for (let a = 0; a < d; a++) { let s = 0; for (let b = 0; b < d; b++) s += P[a * d + b] * Q[kt + b]; z[a] = s; }
    for (let c = 0; c < dv; c++) { let s = 0; for (let a = 0; a < d; a++) s += S[a * dv + c] * z[a]; out[t * dv + c] = s; }
  }
  return out;
}

/**
 * Causal ridge self-attention recomputing the solve at every token: Cholesky of A_t (O(d³/3)),
 * then two triangular solves; A_t and S_t are running sums. The O(d³)-per-token peer of
 * `causalShermanMorrison` in the cost measurement (same language, same arrays).
 */
export function causalCholesky64(x: Qkv64, lambda: number): Float64Array {
  const { n, d, dv, Q, K, V } = x;
  const A = new Float64Array(d * d), L = new Float64Array(d * d), S = new Float64Array(d * dv), z = new Float64Array(d), out = new Float64Array(n * dv);
  for (let a = 0; a < d; a++) A[a * d + a] = lambda;
  for (let t = 0; t < n; t++) {
    addOuter(A, K, t * d, K, t * d, d, d);
    addOuter(S, K, t * d, V, t * dv, d, dv);
    for (let j = 0; j < d; j++) {
      let s = A[j * d + j];
      for (let k = 0; k < j; k++) s -= L[j * d + k] * L[j * d + k];
      const ljj = Math.sqrt(s);
      L[j * d + j] = ljj;
      for (let i = j + 1; i < d; i++) {
        let r = A[i * d + j];
        for (let k = 0; k < j; k++) r -= L[i * d + k] * L[j * d + k];
        L[i * d + j] = r / ljj;
      }
    }
    for (let i = 0; i < d; i++) { let s = Q[t * d + i]; for (let k = 0; k < i; k++) s -= L[i * d + k] * z[k]; z[i] = s / L[i * d + i]; }
    for (let i = d - 1; i >= 0; i--) { let s = z[i]; for (let k = i + 1; k < d; k++) s -= L[k * d + i] * z[k]; z[i] = s / L[i * d + i]; }
    for (let c = 0; c < dv; c++) { let s = 0; for (let a = 0; a < d; a++) s += S[a * dv + c] * z[a]; out[t * dv + c] = s; }
  }
  return out;
}

/** Condition number λ_max/λ_min of A = KᵀK + λI over the first `rows` keys (Jacobi eigenvalues, float64). */
export function conditionAt(K: Float64Array, rows: number, d: number, lambda: number): number {
  const A = gram64(K, rows, d, lambda);
  const eig = symEigRange(A, d);
  return eig.max / eig.min;
}

/** Largest eigenvalue of A = KᵀK + λI over the first `rows` keys. */
export function maxEigenvalue(K: Float64Array, rows: number, d: number, lambda: number): number {
  return symEigRange(gram64(K, rows, d, lambda), d).max;
}

function symEigRange(A: Float64Array, d: number): { max: number; min: number } {
  // Jacobi rotations: small d only; an independent, simple float64 eigen-solver.
  const M = Float64Array.from(A);
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += M[p * d + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) {
      const apq = M[p * d + q];
      if (Math.abs(apq) < 1e-300) continue;
      const theta = (M[q * d + q] - M[p * d + p]) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < d; k++) {
        const mkp = M[k * d + p], mkq = M[k * d + q];
        M[k * d + p] = c * mkp - s * mkq; M[k * d + q] = s * mkp + c * mkq;
      }
      for (let k = 0; k < d; k++) {
        const mpk = M[p * d + k], mqk = M[q * d + k];
        M[p * d + k] = c * mpk - s * mqk; M[q * d + k] = s * mpk + c * mqk;
      }
    }
  }
  let max = -Infinity, min = Infinity;
  for (let i = 0; i < d; i++) { max = Math.max(max, M[i * d + i]); min = Math.min(min, M[i * d + i]); }
  return { max, min };
}

/**
 * Analytic gradients of L = Σ G ⊙ out for non-causal ridge attention out = Q A⁻¹ P, P = KᵀV
 * (A symmetric). With Z = A⁻¹Qᵀ, R = A⁻¹P and S = Z G Rᵀ:
 *   ∂L/∂Q = G Rᵀ,  ∂L/∂V = (K Z) G,  ∂L/∂K = V (Z G)ᵀ − K (S + Sᵀ),  ∂L/∂λ = −tr S.
 * Derived from dA⁻¹ = −A⁻¹ dA A⁻¹ and dA = dKᵀK + KᵀdK + dλ I; checked against finite differences.
 */
export function ridgeGradients64(Q: Float64Array, K: Float64Array, V: Float64Array, G: Float64Array, n: number, d: number, dv: number, lambda: number) {
  const nq = Q.length / d;
  const A = matrix64(d, d, gram64(K, n, d, lambda));
  const P = new Float64Array(d * dv);
  for (let i = 0; i < n; i++) addOuter(P, K, i * d, V, i * dv, d, dv);
  const Qt = new Float64Array(d * nq);
  for (let j = 0; j < nq; j++) for (let a = 0; a < d; a++) Qt[a * nq + j] = Q[j * d + a];
  const Z = solve(A, matrix64(d, nq, Qt)).data; // d × nq
  const R = solve(A, matrix64(d, dv, P)).data; // d × dv
  const mm = (a: Float64Array, ar: number, ac: number, b: Float64Array, bc: number, ta = false, tb = false) => {
    // (ta ? aᵀ : a)(tb ? bᵀ : b); a is ar × ac as stored, b stored as (tb ? bc × inner : inner × bc)
    const rows = ta ? ac : ar, inner = ta ? ar : ac, out = new Float64Array(rows * bc);
    for (let i = 0; i < rows; i++) for (let j = 0; j < bc; j++) {
      let s = 0;
      for (let k = 0; k < inner; k++) s += (ta ? a[k * ac + i] : a[i * ac + k]) * (tb ? b[j * inner + k] : b[k * bc + j]);
      out[i * bc + j] = s;
    }
    return out;
  };
  const gQ = mm(G, nq, dv, R, d, false, true); // nq × d
  const ZG = mm(Z, d, nq, G, dv); // d × dv
  const gV = mm(K, n, d, ZG, dv); // (K Z) G as K (Z G): n × dv without the n × nq product
  const S = mm(ZG, d, dv, R, d, false, true); // d × d
  const SS = new Float64Array(d * d);
  let tr = 0;
  for (let a = 0; a < d; a++) { tr += S[a * d + a]; for (let b = 0; b < d; b++) SS[a * d + b] = S[a * d + b] + S[b * d + a]; }
  const gK = mm(V, n, dv, ZG, d, false, true); // n × d
  const KSS = mm(K, n, d, SS, d);
  for (let i = 0; i < gK.length; i++) gK[i] -= KSS[i];
  return { gQ, gK, gV, gLambda: -tr };
}

/**
 * ∂L/∂λ of L = Σ G ⊙ Q(KᵀK + λI)⁻¹KᵀV through the eigendecomposition KᵀK = UΛUᵀ — a float64
 * reference independent of `ridgeGradients64` (no solve, no trace) and of finite differences,
 * whose rounding error (~ε·|L|/h) swamps a derivative that cancels heavily:
 *   ∂L/∂λ = −Σᵢ꜀ Tᵢ꜀,  Tᵢ꜀ = Gᵢ꜀ Σₐ (QU)ᵢₐ (UᵀKᵀV)ₐ꜀ / (Λₐ + λ)².
 * Also returns the cancellation Σ|Tᵢ꜀| / |Σ Tᵢ꜀| of that sum over query tokens i and value
 * columns c: a float32 computation of the sum carries an error relative to the sum that is this
 * many times its error relative to the terms.
 */
export function lambdaGradient64(Q: Float64Array, K: Float64Array, V: Float64Array, G: Float64Array, n: number, d: number, dv: number, lambda: number): { gLambda: number; cancellation: number } {
  const nq = Q.length / d;
  const eig = symEig(matrix64(d, d, gram64(K, n, d, 0)), { vectors: true });
  const U = eig.vectors!.data, L = eig.values;
  const P = new Float64Array(d * dv);
  for (let i = 0; i < n; i++) addOuter(P, K, i * d, V, i * dv, d, dv);
  // W = diag(1/(Λ + λ)²) UᵀP, d × dv
  const W = new Float64Array(d * dv);
  for (let a = 0; a < d; a++) {
    const s = 1 / (L[a] + lambda) ** 2;
    for (let c = 0; c < dv; c++) { let t = 0; for (let b = 0; b < d; b++) t += U[b * d + a] * P[b * dv + c]; W[a * dv + c] = s * t; }
  }
  let sum = 0, abs = 0;
  const qu = new Float64Array(d);
  for (let i = 0; i < nq; i++) {
    for (let a = 0; a < d; a++) { let t = 0; for (let b = 0; b < d; b++) t += Q[i * d + b] * U[b * d + a]; qu[a] = t; }
    for (let c = 0; c < dv; c++) {
      let m = 0;
      for (let a = 0; a < d; a++) m += qu[a] * W[a * dv + c];
      const term = G[i * dv + c] * m;
      sum += term; abs += Math.abs(term);
    }
  }
  return { gLambda: -sum, cancellation: sum !== 0 ? abs / Math.abs(sum) : Infinity };
}
