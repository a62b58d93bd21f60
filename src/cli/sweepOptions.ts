/**
 * The sweep's option values: `--grid` lists and ranges, `--seeds`, `--sample`'s `--dist` and the
 * point-count cap. Everything here throws `UsageError` (exit 2) naming the offending option.
 */
import { parseValue } from '../graph/spec.ts';
import type { Dist, Grid } from '../record/sweepState.ts';
import { parseReduction, type Reduction } from '../record/summary.ts';
import { UsageError } from './args.ts';

/** Above this many runs a sweep is refused unless `--max-points` raises the cap (a typo such as `0:1:1e-9` is caught before anything is allocated). */
export const DEFAULT_MAX_POINTS = 10_000;

const NUMBER = '(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:e[+-]?\\d+)?)';
const RANGE = new RegExp(`^${NUMBER}:${NUMBER}:${NUMBER}$`, 'i');

/** `START:STOP:STEP`, inclusive of STOP (within rounding), as numbers rounded to 12 significant digits; null if `text` is not a range. */
export function parseRange(text: string, what: string, maxPoints: number): number[] | null {
  const m = RANGE.exec(text);
  if (!m) return null;
  const [a, b, s] = m.slice(1).map(Number) as [number, number, number];
  if (!(s > 0) || !(b >= a) || ![a, b, s].every(Number.isFinite)) throw new UsageError(`${what}: a range START:STOP:STEP needs STEP > 0 and STOP ≥ START`);
  const count = Math.floor((b - a) / s + 1e-9) + 1;
  if (count > maxPoints) throw new UsageError(`${what}: the range gives ${count} values, more than the cap of ${maxPoints} points; use a larger STEP, or raise the cap with --max-points N`);
  return Array.from({ length: count }, (_, i) => Number((a + i * s).toPrecision(12)));
}

/** `sigma=0,0.01,0.02`, `sigma=0:0.08:0.01` (inclusive range) or `wn=asymmetric,symmetric`. Names must be distinct. */
export function parseGrid(items: string[], maxPoints = DEFAULT_MAX_POINTS): Grid {
  const seen = new Set<string>();
  return items.map((item) => {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--grid ${item}: expected NAME=V1,V2,... or NAME=START:STOP:STEP`);
    const name = item.slice(0, eq), text = item.slice(eq + 1);
    if (seen.has(name)) throw new UsageError(`--grid ${item}: '${name}' is given by more than one --grid; list all its values in one (--grid ${name}=A,B,C)`);
    seen.add(name);
    if (text === '') throw new UsageError(`--grid ${item}: no values after '='`);
    const values = parseRange(text, `--grid ${item}`, maxPoints) ?? text.split(',').map(parseValue);
    return [name, values];
  });
}

/** `--seeds 0,1,2` or `--seeds 0:9:1`: distinct non-negative integers. */
export function parseSeeds(text: string, maxPoints = DEFAULT_MAX_POINTS): number[] {
  const what = `--seeds ${text}`;
  const values = parseRange(text, what, maxPoints) ?? text.split(',').map((s) => (/^\d+$/.test(s.trim()) ? Number(s) : NaN));
  const bad = values.find((v) => !Number.isSafeInteger(v) || v < 0);
  if (bad !== undefined || values.length === 0) throw new UsageError(`${what}: expected non-negative integer seeds as a list (0,1,2) or a range (0:9:1)`);
  if (new Set(values).size !== values.length) throw new UsageError(`${what}: a seed is repeated`);
  return values;
}

/** Refuse a sweep whose run count exceeds the cap, before any point is expanded. */
export function checkPointCount(count: number, maxPoints: number, described: string): void {
  if (count > maxPoints) throw new UsageError(`this sweep has ${count} runs (${described}), more than the cap of ${maxPoints}; narrow it, or raise the cap with --max-points N`);
}

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
  // Finite bounds whose difference overflows (−1.7e308:1.7e308) would sample ±∞ and NaN.
  if (!Number.isFinite(hi! - lo!)) fail(`${kind} needs HI − LO to be a finite number`);
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

/** `--summary last|min|mean-of-last-K`. */
export function parseSummaryOption(text: string): Reduction {
  const r = parseReduction(text);
  if (!r) throw new UsageError(`--summary ${text}: expected last, min or mean-of-last-K with K ≥ 1 (e.g. mean-of-last-10)`);
  return r;
}
