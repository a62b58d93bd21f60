/** "Did you mean": the candidate closest to `name` by edit distance (case-insensitive), if close enough to be a typo. */
export function closest(name: string, candidates: string[]): string | null {
  const dist = (a: string, b: string): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0]![j] = j;
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length]![b.length]!;
  };
  let best: string | null = null, bestD = Infinity;
  for (const c of candidates) { const k = dist(name.toLowerCase(), c.toLowerCase()); if (k < bestD) { bestD = k; best = c; } }
  return best !== null && bestD <= Math.max(2, name.length / 3) ? best : null;
}
