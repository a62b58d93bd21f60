/**
 * uPlot axes with the ticks and labels of the SVG figures (src/plot/ticks.ts): 1-2-5 steps, log
 * decades with minor ticks, and labels with the fewest digits that keep them distinct.
 */
import type uPlot from 'uplot';
import { linearTicks, logTicks } from '../plot/ticks.ts';

/** Tick positions (values) and labels for the range [min, max] of a linear or log scale. */
export function ticksFor(min: number, max: number, log: boolean): { at: number[]; labels: string[] } {
  if (!(Number.isFinite(min) && Number.isFinite(max) && min < max) || (log && !(min > 0))) return { at: [], labels: [] };
  const ticks = log ? logTicks(Math.log10(min), Math.log10(max)) : linearTicks(min, max);
  return { at: ticks.map((t) => (log ? 10 ** t.at : t.at)), labels: ticks.map((t) => t.label) };
}

/**
 * An axis whose splits and labels come from `ticksFor`; `onTicks` receives each labelled tick as
 * [value, label] (the chart records them for tests).
 */
export function axis(log: boolean, label: string, onTicks: (ticks: [number, string][]) => void, size: number): uPlot.Axis {
  let labels: string[] = [];
  return {
    label,
    size,
    font: '11px system-ui,sans-serif',
    labelFont: '12px system-ui,sans-serif',
    splits: (_u, _i, min, max) => {
      const t = ticksFor(min, max, log);
      labels = t.labels;
      onTicks(t.at.flatMap((at, i) => (labels[i] ? [[at, labels[i]!] as [number, string]] : [])));
      return t.at;
    },
    values: () => labels,
  };
}
