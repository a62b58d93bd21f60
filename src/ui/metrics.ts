/**
 * The metrics of one or more runs, drawn by declared kind: each stepped metric against step (or
 * wall-clock time) with every run overlaid; each array metric's latest value as a spectrum
 * (log-log against rank 1…n), a series (against its index from 0, linear, so K₀ and signs stay
 * visible) or a heatmap (a matrix, `cols` wide); one-off values in a table. Used for a live run
 * and for runs read from files alike; charts are kept across updates and only redrawn.
 */
import { formatNumber } from '../format.ts';
import type { MetricKind } from '../node.ts';
import type { Wire } from '../serve/protocol.ts';
import { chart, COLORS, type Chart, type Line } from './chart.ts';
import { el } from './dom.ts';
import { heatmap } from './heatmap.ts';
import { num } from './wire.ts';

/** A run as the metric views need it (live or from files). */
export interface RunMetrics {
  label: string;
  series: Record<string, { steps: readonly number[]; values: readonly Wire[]; times?: readonly number[] }>;
  arrays: Record<string, readonly Wire[]>;
  kinds: Record<string, MetricKind>;
  cols: Record<string, number>;
  scalars: Record<string, Wire>;
}

export interface MetricOptions {
  /** EMA smoothing factor in [0, 1). */
  smooth: number;
  x: 'step' | 'time';
  /** Shown metrics (a filter typed by the user), or all. */
  matches(ref: string): boolean;
  /** Declared log-y choices by metric. */
  logY: Record<string, boolean>;
}

function ema(values: readonly Wire[], a: number): Wire[] {
  if (!a) return [...values];
  let m: number | null = null;
  return values.map((w) => {
    const v = num(w);
    if (!Number.isFinite(v)) return w;
    m = m === null ? v : a * m + (1 - a) * v;
    return m;
  });
}

const sortedKeys = (runs: readonly RunMetrics[], pick: (r: RunMetrics) => object): string[] => [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();

export interface MetricsView {
  render(runs: readonly RunMetrics[], o: MetricOptions): void;
}

export function metricsView(boxes: { series: HTMLElement; arrays: HTMLElement; scalars: HTMLElement }): MetricsView {
  const charts = new Map<string, Chart>();
  const heatmaps = new Map<string, { card: HTMLElement; text: string }>();

  /** Create or update the chart `key`; returns it. */
  const put = (key: string, box: HTMLElement, spec: Parameters<typeof chart>[1]): Chart => {
    const c = charts.get(key);
    if (c) { c.update(spec); return c; }
    const made = chart(box, spec);
    charts.set(key, made);
    return made;
  };

  return {
    render(runs, o) {
      const seen = new Set<string>();
      for (const ref of sortedKeys(runs, (r) => r.series)) {
        const rs = runs.filter((r) => r.series[ref]);
        const lines: Line[] = rs.map((r, i) => {
          const s = r.series[ref]!;
          return { label: r.label, xs: o.x === 'time' && s.times ? s.times.map((t) => t / 1000) : s.steps, ys: ema(s.values, o.smooth), color: COLORS[i % COLORS.length]! };
        });
        const key = `s:${ref}`;
        seen.add(key);
        const c = put(key, boxes.series, { title: ref, xLabel: o.x === 'time' ? 'time (s)' : 'step', lines, logX: false, logY: o.logY[ref] ?? 'auto', kind: 'scalar', metric: ref });
        c.card.classList.toggle('hidden', !o.matches(ref));
        const only = rs.length === 1 ? rs[0]!.series[ref]! : null;
        c.setValue(only && only.values.length ? `${formatNumber(num(only.values.at(-1)), 5)} @ ${only.steps.at(-1)}` : '');
      }
      for (const ref of sortedKeys(runs, (r) => r.arrays)) {
        const rs = runs.filter((r) => r.arrays[ref]);
        const kind = rs.find((r) => r.kinds[ref])?.kinds[ref] ?? 'array';
        if (kind === 'matrix') {
          let all = true;
          for (const r of rs) {
            const key = `m:${ref}:${r.label}`;
            const values = r.arrays[ref]!;
            const text = JSON.stringify([values, r.cols[ref]]);
            const had = heatmaps.get(key);
            if (had && had.text === text) { seen.add(key); continue; }
            had?.card.remove();
            const card = heatmap(boxes.arrays, rs.length > 1 ? `${ref} — ${r.label}` : ref, ref, values, r.cols[ref]);
            if (card) { heatmaps.set(key, { card, text }); seen.add(key); } else all = false;
          }
          if (all) continue; // not a matrix of that shape: drawn as a series below
        }
        const spectrum = kind === 'array';
        const lines: Line[] = rs.map((r, i) => ({ label: r.label, xs: r.arrays[ref]!.map((_, j) => (spectrum ? j + 1 : j)), ys: r.arrays[ref]!, color: COLORS[i % COLORS.length]! }));
        const key = `a:${ref}`;
        seen.add(key);
        const c = put(key, boxes.arrays, { title: `${ref} (last value, by ${spectrum ? 'rank' : 'index'})`, xLabel: spectrum ? 'rank' : 'index', lines, logX: spectrum, logY: spectrum ? true : 'auto', kind, metric: ref });
        c.setValue(rs.length === 1 ? `${rs[0]!.arrays[ref]!.length} values` : '');
      }
      for (const [key, c] of charts) if (!seen.has(key)) { c.destroy(); charts.delete(key); }
      for (const [key, h] of heatmaps) if (!seen.has(key)) { h.card.remove(); heatmaps.delete(key); }
      boxes.series.parentElement?.classList.toggle('hidden', !boxes.series.querySelector('.card'));
      boxes.arrays.parentElement?.classList.toggle('hidden', !boxes.arrays.querySelector('.card'));
      const refs = sortedKeys(runs, (r) => r.scalars);
      boxes.scalars.replaceChildren();
      boxes.scalars.parentElement?.classList.toggle('hidden', refs.length === 0);
      if (!refs.length) return;
      const head = el('tr', {}, el('th', {}, 'metric'), ...runs.map((r) => el('th', {}, runs.length === 1 ? 'value' : r.label)));
      boxes.scalars.append(head, ...refs.map((ref) => el('tr', {}, el('td', {}, ref),
        ...runs.map((r) => el('td', { class: 'v' }, r.scalars[ref] === undefined ? '' : formatNumber(num(r.scalars[ref]), 6))))));
    },
  };
}
