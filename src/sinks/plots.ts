/**
 * The plot sink: keeps the series the graph's `plots` ask for (or, if it declares none, every
 * metric) and writes one SVG per plot into `<out>/plots/` when the run ends — whatever its status,
 * so a diverged or cancelled run still shows its curves up to then.
 *
 * Memory stays bounded on long runs: each series keeps at most `2·cap` points; past that it is
 * thinned to `cap` by buckets that keep each bucket's lowest and highest point, so the first and
 * last points and every extreme survive. A plot that cannot be drawn (hostile data, a bug) is
 * skipped and reported; the other plots are still written. It is a `view` sink: the run's status
 * never depends on it, and it closes after the final manifest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plotRefs, type PlotSpec } from '../graph/spec.ts';
import { heatmap, linePlot, thin, thinLog, type Series } from '../plot/svg.ts';
import type { MetricEvent } from '../contract.ts';
import type { Sink } from './sink.ts';

type Point = [number, number];
interface Collected { points: Point[]; once: number | null; last: readonly number[] | null }

/** Points kept per series before thinning (twice this, at most). */
export const PLOT_SERIES_CAP = 2000;

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'plot';

/**
 * Thin `points` (in step order) to about `cap` points: the first, the last, and the lowest and
 * highest point of each of `cap/2` equal buckets, in order (and a bucket's first non-finite point).
 */
export function thinKeepingExtremes(points: readonly Point[], cap: number): Point[] {
  if (points.length <= cap) return [...points];
  const buckets = Math.max(1, Math.floor(cap / 2));
  const size = points.length / buckets;
  const out: Point[] = [points[0]!];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size), to = Math.min(points.length, Math.floor((b + 1) * size));
    let lo = -1, hi = -1, odd = -1;
    for (let i = from; i < to; i++) {
      const y = points[i]![1];
      if (!Number.isFinite(y)) { if (odd < 0) odd = i; continue; }
      if (lo < 0 || y < points[lo]![1]) lo = i;
      if (hi < 0 || y > points[hi]![1]) hi = i;
    }
    const keep = [lo, hi, odd].filter((i) => i > 0 && i < points.length - 1).sort((a, b) => a - b);
    for (const i of new Set(keep)) out.push(points[i]!);
  }
  out.push(points[points.length - 1]!);
  return out;
}

export function plotSink(dir: string, declared: readonly PlotSpec[] | undefined): Sink {
  const cap = PLOT_SERIES_CAP;
  const wanted = declared ? new Set(declared.flatMap(plotRefs)) : null;
  const data = new Map<string, Collected>();
  return {
    name: 'plots',
    mode: 'sync',
    role: 'view',
    write(e: MetricEvent) {
      const ref = `${e.node}.${e.name}`;
      if (wanted && !wanted.has(ref)) return;
      let c = data.get(ref);
      if (!c) data.set(ref, (c = { points: [], once: null, last: null }));
      if (Array.isArray(e.value)) c.last = e.value;
      else if (e.step === null) c.once = e.value as number;
      else {
        c.points.push([e.step, e.value as number]);
        if (c.points.length > 2 * cap) c.points = thinKeepingExtremes(c.points, cap);
      }
    },
    close() {
      const plots = declared ?? autoPlots(data);
      if (plots.length === 0) return;
      mkdirSync(dir, { recursive: true });
      const failures: string[] = [];
      for (const p of plots) {
        const title = typeof p.title === 'string' ? p.title : plotRefs(p).join(', ');
        try {
          const svg = p.spectrum ? spectrumPlot(title, p.spectrum, data.get(p.spectrum))
            : p.heatmap ? heatmap({ title, values: [...(data.get(p.heatmap)?.last ?? [])], cols: p.cols })
            : stepPlot(title, p, data);
          writeFileSync(join(dir, `${slug(typeof p.file === 'string' ? p.file : title)}.svg`), svg);
        } catch (e) {
          failures.push(`'${title}': ${(e as Error)?.message ?? String(e)}`);
        }
      }
      if (failures.length) throw new Error(`${failures.length} plot${failures.length === 1 ? '' : 's'} skipped (${failures.join('; ')})`);
    },
  };
}

/**
 * Magnitudes past HUGE overflow an axis span (hi − lo); such points are left out like ±Infinity.
 * Magnitudes below TINY (near-denormal) underflow tick arithmetic; they are drawn as 0.
 */
const HUGE = 1e300, TINY = 1e-300;
const finite = (pts: readonly Point[]): Point[] => pts
  .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) < HUGE && Math.abs(y) < HUGE)
  .map(([x, y]) => [Math.abs(x) < TINY ? 0 : x, Math.abs(y) < TINY ? 0 : y]);

/**
 * Values that differ by less than a billionth of their size draw as one line anyway; snapping
 * them to one value keeps the axis code away from ranges below floating-point resolution.
 */
function flattenTinyRange(series: Series[]): Series[] {
  const ys = series.flatMap((s) => (s.hline !== undefined ? [s.hline] : s.points.map(([, y]) => y)));
  if (!ys.length) return series;
  const lo = Math.min(...ys), hi = Math.max(...ys);
  if (hi === lo || hi - lo > 1e-9 * Math.max(Math.abs(lo), Math.abs(hi))) return series;
  return series.map((s) => (s.hline !== undefined ? { ...s, hline: lo } : { ...s, points: s.points.map(([x]) => [x, lo] as Point) }));
}
/**
 * A log axis needs positive data spanning fewer than 200 decades (max/min must stay finite with
 * margins); otherwise the axis is drawn linear rather than fail.
 */
function canLog(values: readonly number[]): boolean {
  if (!values.length) return false;
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (!(v > 0)) return false; if (v < lo) lo = v; if (v > hi) hi = v; }
  return hi / lo < 1e200;
}

function stepPlot(title: string, p: PlotSpec, data: Map<string, Collected>): string {
  const series: Series[] = [];
  for (const ref of p.y ?? []) {
    const c = data.get(ref);
    if (!c) continue;
    const pts = finite(c.points);
    if (pts.length) series.push({ label: ref, points: thin(pts) });
    else if (c.once !== null && Number.isFinite(c.once) && Math.abs(c.once) < HUGE) series.push({ label: ref, points: [], hline: Math.abs(c.once) < TINY ? 0 : c.once });
  }
  series.splice(0, series.length, ...flattenTinyRange(series));
  const all = series.flatMap((s) => (s.hline !== undefined ? [[0, s.hline] as Point] : s.points as Point[]));
  const logY = Boolean(p.logY) && canLog(all.map(([, y]) => y));
  const logX = Boolean(p.logX) && canLog(series.flatMap((s) => s.points.map(([x]) => x)));
  const y = p.y ?? [];
  return linePlot({ title, series, xLabel: p.xLabel ?? 'step', yLabel: p.yLabel ?? (y.length === 1 ? y[0] : 'value'), logX, logY });
}

function spectrumPlot(title: string, ref: string, c: Collected | undefined): string {
  const points = thinLog(finite((c?.last ?? []).map((v, i) => [i + 1, v] as Point)).filter(([, y]) => y > 0));
  const series = flattenTinyRange(points.length ? [{ label: ref, points }] : []);
  const log = canLog(series.flatMap((s) => s.points.map(([, y]) => y)));
  return linePlot({ title, series, xLabel: 'rank', yLabel: 'value', logX: points.length > 0, logY: log });
}

/** Without declared plots: one plot per stepped metric, one per spectrum. */
function autoPlots(data: Map<string, Collected>): PlotSpec[] {
  const out: PlotSpec[] = [];
  for (const [ref, c] of data) {
    if (c.points.length >= 2) out.push({ title: ref, y: [ref], logY: c.points.every(([, y]) => y > 0) });
    if (c.last && c.last.length >= 2) out.push({ title: `${ref} (spectrum)`, spectrum: ref });
  }
  return out;
}
