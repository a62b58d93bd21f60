/**
 * The plot sink: keeps the series the graph's `plots` ask for (or, if it declares none, every
 * metric) and writes one SVG per plot into `<out>/plots/` when the run ends — whatever its status,
 * so a diverged or cancelled run still shows its curves up to then.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plotRefs, type PlotSpec } from '../graph/spec.ts';
import { heatmap, linePlot, thin, thinLog, type Series } from '../plot/svg.ts';
import type { MetricEvent } from '../run/context.ts';
import type { Sink } from './sink.ts';

interface Collected { points: [number, number][]; once: number | null; last: number[] | null }

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'plot';

export function plotSink(dir: string, declared: readonly PlotSpec[] | undefined): Sink {
  const wanted = declared ? new Set(declared.flatMap(plotRefs)) : null;
  const data = new Map<string, Collected>();
  return {
    name: 'plots',
    mode: 'sync',
    write(e: MetricEvent) {
      const ref = `${e.node}.${e.name}`;
      if (wanted && !wanted.has(ref)) return;
      let c = data.get(ref);
      if (!c) data.set(ref, (c = { points: [], once: null, last: null }));
      if (Array.isArray(e.value)) c.last = e.value;
      else if (e.step === null) c.once = e.value;
      else c.points.push([e.step, e.value]);
    },
    close() {
      const plots = declared ?? autoPlots(data);
      if (plots.length === 0) return;
      mkdirSync(dir, { recursive: true });
      for (const p of plots) {
        const title = p.title ?? plotRefs(p).join(', ');
        const svg = p.spectrum ? spectrumPlot(title, p.spectrum, data.get(p.spectrum))
          : p.heatmap ? heatmap({ title, values: data.get(p.heatmap)?.last ?? [], cols: p.cols })
          : stepPlot(title, p, data);
        writeFileSync(join(dir, `${slug(p.file ?? title)}.svg`), svg);
      }
    },
  };
}

function stepPlot(title: string, p: PlotSpec, data: Map<string, Collected>): string {
  const series: Series[] = [];
  for (const ref of p.y!) {
    const c = data.get(ref);
    if (!c) continue;
    if (c.points.length) series.push({ label: ref, points: thin(c.points) });
    else if (c.once !== null) series.push({ label: ref, points: [], hline: c.once });
  }
  return linePlot({ title, series, xLabel: p.xLabel ?? 'step', yLabel: p.yLabel ?? (p.y!.length === 1 ? p.y![0] : 'value'), logX: p.logX, logY: p.logY });
}

function spectrumPlot(title: string, ref: string, c: Collected | undefined): string {
  const points = thinLog((c?.last ?? []).map((v, i) => [i + 1, v] as [number, number]));
  return linePlot({ title, series: [{ label: ref, points }], xLabel: 'rank', yLabel: 'value', logX: true, logY: true });
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
