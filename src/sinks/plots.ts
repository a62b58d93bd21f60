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
import { plotRefs, plotTitle, type PlotSpec } from '../graph/spec.ts';
import { COLORS, heatmap, linePlot, thin, thinLog, type LineStyle, type Series } from '../plot/svg.ts';
import type { MetricEvent } from '../record/events.ts';
import type { MetricKind } from '../node.ts';
import { metricKindOf, type KindLookup } from '../plot/metricKind.ts';
import type { Sink } from './sink.ts';

type Point = [number, number];
interface Collected { points: Point[]; once: number | null; last: number[] | null; kind: MetricKind }

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

/**
 * `params` fill `{name}` in titles; `kindOf` gives a metric's declared kind (for the plots drawn
 * when the graph declares none: array → spectrum, series → stems, matrix → heatmap).
 */
export function plotSink(dir: string, declared: readonly PlotSpec[] | undefined, params: Readonly<Record<string, unknown>> = {}, kindOf?: KindLookup): Sink {
  const wanted = declared ? new Set(declared.flatMap(plotRefs)) : null;
  const data = new Map<string, Collected>();
  return {
    name: 'plots',
    mode: 'sync',
    write(e: MetricEvent) {
      const ref = `${e.node}.${e.name}`;
      if (wanted && !wanted.has(ref)) return;
      let c = data.get(ref);
      if (!c) data.set(ref, (c = { points: [], once: null, last: null, kind: metricKindOf(e.node, e.name, e.value, kindOf) }));
      if (Array.isArray(e.value)) c.last = e.value;
      else if (e.step === null) c.once = e.value;
      else {
        c.points.push([e.step, e.value]);
        if (c.points.length > 2 * PLOT_SERIES_CAP) c.points = thinKeepingExtremes(c.points, PLOT_SERIES_CAP);
      }
    },
    close() {
      const plots = declared ?? autoPlots(data);
      if (plots.length === 0) return;
      mkdirSync(dir, { recursive: true });
      const failures: string[] = [];
      for (const p of plots) {
        const title = plotTitle(p, params);
        try {
          const svg = p.spectrum ? spectrumPlot(title, p, p.spectrum, data.get(p.spectrum))
            : p.series ? indexPlot(title, p, p.series, data.get(p.series))
            : p.heatmap ? heatmap({ title, values: data.get(p.heatmap)?.last ?? [], cols: p.cols, xLabel: p.xLabel, yLabel: p.yLabel })
            : stepPlot(title, p, data);
          writeFileSync(join(dir, `${slug(p.file ?? title)}.svg`), svg);
        } catch (e) {
          failures.push(`'${title}': ${(e as Error)?.message ?? String(e)}`);
        }
      }
      if (failures.length) throw new Error(`${failures.length} plot${failures.length === 1 ? '' : 's'} skipped (${failures.join('; ')})`);
    },
  };
}

/** Legend label, line style and colour of one metric in a plot, from its `labels`, `style` and `pairs`. */
export function seriesLook(p: PlotSpec, ref: string, index: number): { label: string; style?: LineStyle; color: string } {
  const glob = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  let style: LineStyle | undefined;
  for (const [pattern, st] of Object.entries(p.style ?? {})) if (glob(pattern).test(ref)) style = st;
  // Pairs share the colour of the group's position; ungrouped metrics take the colours after the groups.
  const groups = p.pairs ?? [];
  const g = groups.findIndex((members) => members.includes(ref));
  const loose = plotRefs(p).filter((r) => !groups.some((members) => members.includes(r)));
  const slot = g >= 0 ? g : groups.length + Math.max(0, loose.indexOf(ref) >= 0 ? loose.indexOf(ref) : index);
  const label = Object.prototype.hasOwnProperty.call(p.labels ?? {}, ref) ? p.labels![ref]! : ref;
  return { label, style, color: COLORS[slot % COLORS.length]! };
}

function stepPlot(title: string, p: PlotSpec, data: Map<string, Collected>): string {
  const series: Series[] = [];
  p.y!.forEach((ref, i) => {
    const c = data.get(ref);
    if (!c) return;
    const look = seriesLook(p, ref, i);
    if (c.points.length) series.push({ ...look, points: thin(c.points) });
    else if (c.once !== null) series.push({ ...look, points: [], hline: c.once });
  });
  return linePlot({ title, series, xLabel: p.xLabel ?? 'step', yLabel: p.yLabel ?? (p.y!.length === 1 ? seriesLook(p, p.y![0]!, 0).label : 'value'), logX: p.logX, logY: p.logY });
}

function spectrumPlot(title: string, p: PlotSpec, ref: string, c: Collected | undefined): string {
  const points = thinLog((c?.last ?? []).map((v, i) => [i + 1, v] as [number, number]));
  return linePlot({ title, series: [{ ...seriesLook(p, ref, 0), points }], xLabel: p.xLabel ?? 'rank', yLabel: p.yLabel ?? 'value', logX: p.logX ?? true, logY: p.logY ?? true });
}

/** An indexed sequence (a kernel K₀, K₁, …; per-feature losses) as stems against its index from 0. */
function indexPlot(title: string, p: PlotSpec, ref: string, c: Collected | undefined): string {
  const values = c?.last ?? [];
  const points = values.map((v, i) => [i, v] as [number, number]);
  return linePlot({ title, series: [{ ...seriesLook(p, ref, 0), points: values.length > 400 ? thin(points, 400) : points, stem: true }], xLabel: p.xLabel ?? 'index', yLabel: p.yLabel ?? seriesLook(p, ref, 0).label, logX: p.logX, logY: p.logY });
}

/** Without declared plots: one plot per stepped metric, one per array metric by its kind. */
function autoPlots(data: Map<string, Collected>): PlotSpec[] {
  const out: PlotSpec[] = [];
  for (const [ref, c] of data) {
    if (c.points.length >= 2) out.push({ title: ref, y: [ref], logY: c.points.every(([, y]) => y > 0) });
    if (!c.last || c.last.length < 2) continue;
    if (c.kind === 'series') out.push({ title: ref, series: ref });
    else if (c.kind === 'matrix') out.push({ title: ref, heatmap: ref });
    else out.push({ title: `${ref} (spectrum)`, spectrum: ref });
  }
  return out;
}
