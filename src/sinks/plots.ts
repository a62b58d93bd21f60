/**
 * The plot sink: keeps the series the graph's `plots` ask for (or, if it declares none, every
 * metric) and writes one SVG per plot into `<out>/plots/` when the run ends — whatever its status,
 * so a diverged or cancelled run still shows its curves up to then.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plotRefs, plotTitle, type PlotSpec } from '../graph/spec.ts';
import { COLORS, heatmap, linePlot, thin, thinLog, type LineStyle, type Series } from '../plot/svg.ts';
import type { MetricEvent } from '../run/context.ts';
import type { MetricKind } from '../node.ts';
import { metricKindOf, type KindLookup } from '../plot/metricKind.ts';
import type { Sink } from './sink.ts';

interface Collected { points: [number, number][]; once: number | null; last: number[] | null; kind: MetricKind }

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'plot';

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
      else c.points.push([e.step, e.value]);
    },
    close() {
      const plots = declared ?? autoPlots(data);
      if (plots.length === 0) return;
      mkdirSync(dir, { recursive: true });
      for (const p of plots) {
        const title = plotTitle(p, params);
        const svg = p.spectrum ? spectrumPlot(title, p, p.spectrum, data.get(p.spectrum))
          : p.series ? indexPlot(title, p, p.series, data.get(p.series))
          : p.heatmap ? heatmap({ title, values: data.get(p.heatmap)?.last ?? [], cols: p.cols, xLabel: p.xLabel, yLabel: p.yLabel })
          : stepPlot(title, p, data);
        writeFileSync(join(dir, `${slug(p.file ?? title)}.svg`), svg);
      }
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
