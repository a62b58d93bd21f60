/** Independent truths for the ssm tests: plain nested-array matrix powers, no @eigenflow/linalg. */
export type Mat = number[][];

export function mul(a: Mat, b: Mat): Mat {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
}

export function eye(n: number): Mat {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** [D, CB, CAB, …, CA^{L−1}B] from explicit powers A^k = A·A·…·A. */
export function naiveKernel(A: Mat, B: number[], C: number[], D: number, L: number): number[] {
  const K = [D];
  let P = eye(A.length);
  for (let k = 0; k < L; k++) {
    K.push(C.reduce((s, c, i) => s + c * P[i].reduce((t, x, j) => t + x * B[j], 0), 0));
    P = mul(P, A);
  }
  return K;
}

/** y_k = Σ_{j ≤ k} K_j u_{k−j} by the definition. */
export function naiveCausalConv(K: number[], u: number[]): number[] {
  return u.map((_, k) => {
    let s = 0;
    for (let j = 0; j <= k && j < K.length; j++) s += K[j] * u[k - j];
    return s;
  });
}
