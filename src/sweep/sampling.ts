/**
 * Random search (`--sample N --dist sigma=loguniform:0.001:0.1`): N points drawn reproducibly
 * from the sweep seed (the same seed, dists and N give the same points).
 */
import { deriveRng } from '../rng.ts';
import type { Dist, Overrides } from '../record/sweepState.ts';

/** Floats keep 6 significant digits, so directory names and tables stay readable; the run gets exactly the recorded value. */
const round = (x: number): number => Number(x.toPrecision(6));

/** N points drawn from `seed`: one uniform draw per dist per point, in the order the dists are given. */
export function samplePoints(n: number, dists: readonly Dist[], seed: number): Overrides[] {
  const rng = deriveRng(seed, 'sweep.sample');
  return Array.from({ length: n }, () => {
    const p: Overrides = {};
    for (const d of dists) {
      const u = rng.uniform();
      const v = d.kind === 'choice' ? d.values[Math.floor(u * d.values.length)]
        : d.kind === 'int' ? d.lo + Math.floor(u * (d.hi - d.lo + 1))
        : d.kind === 'uniform' ? round(d.lo + u * (d.hi - d.lo))
        : round(Math.exp(Math.log(d.lo) + u * (Math.log(d.hi) - Math.log(d.lo))));
      Object.defineProperty(p, d.name, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return p;
  });
}
