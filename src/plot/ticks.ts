/**
 * Axes for plots: the drawn range, tick positions and tick labels for a linear or a log axis.
 *
 * Total by construction: any list of numbers (empty, one value, equal values, values one ulp
 * apart, ±Infinity, NaN, ±1e308, only non-positive values on a log axis) gives a finite range
 * with lo < hi, a bounded number of ticks, and labels that are distinct — or, when there is
 * nothing drawable, an axis marked `empty` so the plot can say so. No loop here runs more than a
 * fixed number of times, whatever the input.
 *
 * Positions are in *axis units*: the value itself on a linear axis, log10(value) on a log axis,
 * so mapping to pixels is one linear map (`Axis.frac`) and never overflows.
 *
 * No Node APIs: the browser app draws its axes with the same ticks and labels as the SVG figures.
 */
import { formatNumber } from '../format.ts';

export interface Tick {
  /** Position in axis units (log10 of the value on a log axis). */
  at: number;
  /** Label text; empty for an unlabelled minor tick. */
  label: string;
  major: boolean;
}

export interface Axis {
  log: boolean;
  /** Range in axis units, finite, lo < hi. */
  lo: number;
  hi: number;
  ticks: Tick[];
  /** No drawable value (nothing finite; nothing positive on a log axis). */
  empty: boolean;
  /** Where a value falls on the axis, 0 at `lo` to 1 at `hi`; NaN for a value the axis cannot show. */
  frac(v: number): number;
}

const MAX = Number.MAX_VALUE;
/** log10 of the smallest and largest positive doubles. */
const LOG_MIN = Math.log10(Number.MIN_VALUE), LOG_MAX = Math.log10(Number.MAX_VALUE);
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** True when `v` can be drawn on this kind of axis. */
export const drawable = (v: number, log: boolean): boolean => Number.isFinite(v) && (!log || v > 0);

/**
 * An axis covering `values` (undrawable ones ignored), with a 4% margin so extremes do not sit on
 * the frame. `values` may be long; it is scanned once.
 */
export function makeAxis(values: Iterable<number>, log = false, margin = 0.04): Axis {
  let lo = Infinity, hi = -Infinity;
  for (const raw of values) {
    if (!drawable(raw, log)) continue;
    const v = log ? Math.log10(raw) : raw;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const empty = !(lo <= hi);
  if (empty) { lo = log ? 0 : 0; hi = 1; }
  [lo, hi] = widen(lo, hi, log, margin);
  const ticks = log ? logTicks(lo, hi) : linearTicks(lo, hi);
  // Halves keep hi − lo finite when the axis spans ±1e308.
  const half = hi / 2 - lo / 2;
  const frac = (v: number): number => {
    if (!drawable(v, log)) return NaN;
    const u = log ? Math.log10(v) : v;
    return (u / 2 - lo / 2) / half;
  };
  return { log, lo, hi, ticks: empty ? [] : ticks, empty, frac };
}

/** Give a degenerate range some width, add the margin, clamp to what doubles can hold. */
function widen(lo: number, hi: number, log: boolean, margin: number): [number, number] {
  const bound = log ? [LOG_MIN, LOG_MAX] : [-MAX, MAX];
  const mid = lo / 2 + hi / 2;
  let half = hi / 2 - lo / 2;
  // A range narrower than ~1e-9 of its magnitude cannot be labelled in 17 digits: widen it.
  const minHalf = log ? 4e-10 * Math.max(1, Math.abs(mid)) : Math.max(Math.abs(mid) * 1e-9, 1e-300);
  if (half < minHalf) half = log && half === 0 ? 0.30103 : (half === 0 && !log ? Math.abs(mid) * 0.5 || 0.5 : minHalf);
  half *= 1 + 2 * margin;
  let a = mid - half, b = mid + half;
  a = clamp(a, bound[0]!, bound[1]!);
  b = clamp(b, bound[0]!, bound[1]!);
  if (!(a < b)) { // clamped onto one bound: take the widest range inside it
    if (b >= bound[1]!) a = Math.min(a, bound[1]! - Math.max(Math.abs(bound[1]!) * 1e-6, 1));
    else b = Math.max(b, bound[0]! + Math.max(Math.abs(bound[0]!) * 1e-6, 1));
  }
  return [a, b];
}

/** 1-2-5 steps giving 4–8 ticks on [lo, hi]. */
export function linearTicks(lo: number, hi: number, labelled = true): Tick[] {
  const half = hi / 2 - lo / 2;
  if (!(half > 0) || !Number.isFinite(half)) return [];
  const raw = half * 0.4; // span / 5
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = 10 * mag;
  for (const k of [1, 2, 5, 10]) if (Number.isFinite(k * mag) && half / (k * mag) <= 3.5) { step = k * mag; break; }
  if (!Number.isFinite(step) || step <= 0) return [];
  const i0 = Math.ceil(lo / step), i1 = Math.floor(hi / step);
  const values: number[] = [];
  for (let i = i0; i <= i1 && values.length < 20; i++) {
    const v = i * step;
    values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  const labels = labelled ? distinctLabels(values, step) : values.map(() => '');
  return values.map((v, i) => ({ at: v, label: labels[i]!, major: true }));
}

/**
 * Log-axis ticks (positions are log10 values): decades when the range spans three or more, with
 * unlabelled 2…9 minor ticks when there are few enough decades; over a shorter range 1-2-5 labels
 * with the other digits as minor ticks, then every digit labelled; over a range shorter than a
 * factor of about 1.5, linear ticks in value space.
 */
export function logTicks(lo: number, hi: number): Tick[] {
  const a = Math.ceil(lo - 1e-9), b = Math.floor(hi + 1e-9);
  const inside = (p: number): boolean => p >= lo - 1e-12 && p <= hi + 1e-12;
  if (b - a + 1 >= 3) {
    const every = Math.max(1, Math.ceil((b - a) / 8));
    const out: Tick[] = [];
    for (let e = Math.ceil(a / every) * every; e <= b && out.length < 40; e += every) out.push({ at: e, label: decadeLabel(e), major: true });
    if (every === 1 && b - a <= 8) {
      for (let e = a - 1; e <= b; e++) for (let k = 2; k <= 9; k++) {
        const p = e + Math.log10(k);
        if (inside(p)) out.push({ at: p, label: '', major: false });
      }
    }
    return out;
  }
  // Fewer than three decades: at most ~4 decades × 10 candidates.
  const cands: { p: number; v: number; k: number }[] = [];
  for (let e = Math.floor(lo) ; e <= Math.ceil(hi) && cands.length < 60; e++) {
    for (const k of [1, 1.5, 2, 3, 4, 5, 6, 7, 8, 9]) {
      const p = e + Math.log10(k);
      const v = Number(`${k}e${e}`); // parsed, not k·10^e (10^-324 underflows); subnormal magnitudes can round to 0 or repeat: keep distinct positive values only
      if (inside(p) && v > 0 && v !== cands[cands.length - 1]?.v) cands.push({ p, v, k });
    }
  }
  const main = cands.filter((c) => c.k === 1 || c.k === 2 || c.k === 5);
  if (main.length >= 3) {
    const labels = distinctLabels(main.map((c) => c.v), 0);
    return cands.filter((c) => c.k !== 1.5).map((c) => {
      const j = main.indexOf(c);
      return { at: c.p, label: j >= 0 ? labels[j]! : '', major: j >= 0 };
    });
  }
  // Less than a decade: every digit labelled (and 1.5, so the stretch between 1 and 2 is not bare).
  if (cands.length >= 3) {
    const labels = distinctLabels(cands.map((c) => c.v), 0);
    return cands.map((c, j) => ({ at: c.p, label: labels[j]!, major: true }));
  }
  // A short range: ordinary ticks on the values, placed at their logarithms.
  const vlo = Math.max(10 ** lo, Number.MIN_VALUE), vhi = Math.min(10 ** hi, MAX);
  const lin = linearTicks(vlo, vhi).filter((t) => t.at > 0).map((t) => ({ ...t, at: Math.log10(t.at) }));
  if (lin.length >= 2 || cands.length === 0) return lin;
  // Subnormal magnitudes, where neither works: whatever distinct digits fall inside.
  const labels = distinctLabels(cands.map((c) => c.v), 0);
  return cands.map((c, j) => ({ at: c.p, label: labels[j]!, major: true }));
}

const decadeLabel = (e: number): string => (e >= -3 && e <= 5 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toPrecision(1))) : `1e${e}`);

/**
 * Labels for tick values: the fewest significant digits that make every label distinct (and, for
 * a regular step, that show the step), as plain decimals for magnitudes in [1e-3, 1e6) else in
 * exponent notation.
 */
export function distinctLabels(values: readonly number[], step: number): string[] {
  if (values.length === 0) return [];
  let big = 0;
  for (const v of values) big = Math.max(big, Math.abs(v));
  // Digits needed to resolve the step at the largest magnitude.
  const need = step > 0 && big > 0 ? Math.floor(Math.log10(big)) - Math.floor(Math.log10(step)) + 1 : 1;
  for (let digits = clamp(need, 1, 17); digits <= 17; digits++) {
    const labels = values.map((v) => formatNumber(v, digits));
    if (new Set(labels).size === labels.length) return labels;
  }
  return values.map((v) => formatNumber(v, 17));
}
