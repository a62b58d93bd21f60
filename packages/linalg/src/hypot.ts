/** √(a² + b²) without overflow or underflow; much faster than Math.hypot in V8. */
export function hypot(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  const big = x > y ? x : y;
  if (big > 1e-150 && big < 1e150) return Math.sqrt(a * a + b * b);
  if (big === 0 || big === Infinity) return big;
  const p = a / big, q = b / big;
  return big * Math.sqrt(p * p + q * q);
}
