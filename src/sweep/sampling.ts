/**
 * Random search: `--sample N --dist sigma=loguniform:0.001:0.1 --dist wn=choice:symmetric,asymmetric`
 * draws N points, reproducibly from the sweep seed (the same seed, dists and N give the same points).
 */
import { parseValue } from '../graph/spec.ts';
import { deriveRng } from '../rng.ts';
import { UsageError } from '../cli/args.ts';
import type { Overrides } from './grid.ts';

export type Dist =
  | { name: string; kind: 'uniform' | 'loguniform'; lo: number; hi: number }
  | { name: string; kind: 'int'; lo: number; hi: number }
  | { name: string; kind: 'choice'; values: unknown[] };

const KINDS = 'uniform:LO:HI, loguniform:LO:HI (0 < LO), int:LO:HI (inclusive) or choice:A,B,...';

export function parseDist(item: string): Dist {
  const eq = item.indexOf('=');
  const fail = (why: string): never => { throw new UsageError(`--dist ${item}: ${why}`); };
  if (eq <= 0) fail(`expected NAME=KIND:ARGS with KIND one of ${KINDS}`);
  const name = item.slice(0, eq), text = item.slice(eq + 1);
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon), args = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'choice') {
    if (args === '') fail('choice needs at least one value: choice:A,B,...');
    return { name, kind, values: args.split(',').map(parseValue) };
  }
  if (kind !== 'uniform' && kind !== 'loguniform' && kind !== 'int') return fail(`unknown distribution '${kind}' (use ${KINDS})`);
  const parts = args.split(':');
  const [lo, hi] = parts.map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (parts.length !== 2 || !Number.isFinite(lo) || !Number.isFinite(hi)) return fail(`${kind} needs two numbers, ${kind}:LO:HI`);
  if (!(lo! < hi! || (kind === 'int' && lo === hi))) fail(`${kind} needs LO < HI`);
  if (kind === 'loguniform' && !(lo! > 0)) fail('loguniform needs 0 < LO');
  if (kind === 'int' && !(Number.isSafeInteger(lo) && Number.isSafeInteger(hi))) fail('int needs integer bounds');
  return { name, kind, lo: lo!, hi: hi! };
}

export function parseDists(items: string[]): Dist[] {
  const dists = items.map(parseDist);
  const names = dists.map((d) => d.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new UsageError(`--dist ${dup}=…: '${dup}' is given more than once`);
  return dists;
}

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
