/**
 * Dependency-free SVG figures: line plots on linear or log axes (several series, reference lines,
 * uncertainty bands, dashed/dotted styles, stems for indexed sequences, a legend) and heatmaps
 * with axes and a colour bar. Axes come from `ticks.ts`, which is total: any data — empty, NaN,
 * ±Infinity, nothing positive on a log axis — gives a drawable figure (saying "no data" when there
 * is nothing to draw), never a hang and never a NaN coordinate.
 */
import { formatNumber } from '../format.ts';
import { drawable, makeAxis, type Axis } from './ticks.ts';

export type LineStyle = 'solid' | 'dashed' | 'dotted';

export interface Series {
  label: string;
  points: readonly (readonly [number, number])[];
  /** Draw as a horizontal reference line at this y (points ignored). */
  hline?: number;
  /** Mark points with dots (sweeps), not only a line. */
  dots?: boolean;
  /** An uncertainty band drawn behind the line: `[x, lower, upper]` per point (a 95% interval over seeds). */
  band?: readonly (readonly [number, number, number])[];
  /** Line style (default solid; reference lines default to dashed). */
  style?: LineStyle;
  /** Colour (CSS); default: the next colour of the palette. */
  color?: string;
  /** Draw each point as a stem from y = 0 (or the axis floor on a log axis) with a marker, no joining line. */
  stem?: boolean;
}

export interface PlotOptions {
  title: string;
  series: Series[];
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
}

export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const DASH: Record<LineStyle, string> = { solid: '', dashed: ' stroke-dasharray="7 4"', dotted: ' stroke-dasharray="1.5 3" stroke-linecap="round"' };
const f1 = (v: number): string => v.toFixed(1);

/** Shorten long legend labels in the middle, keeping both ends (node and index) readable. */
function shorten(label: string, max: number): string {
  if (label.length <= max) return label;
  const keep = max - 1;
  return `${label.slice(0, Math.ceil(keep / 2))}…${label.slice(label.length - Math.floor(keep / 2))}`;
}

/** Every x and y value the plot must show (points, reference lines, bands). */
function* xValues(series: readonly Series[]): Generator<number> {
  for (const s of series) if (s.hline === undefined) { for (const p of s.points) yield p[0]; for (const b of s.band ?? []) yield b[0]; }
}
function* yValues(series: readonly Series[], logY: boolean): Generator<number> {
  for (const s of series) {
    if (s.hline !== undefined) { yield s.hline; continue; }
    for (const p of s.points) yield p[1];
    for (const b of s.band ?? []) { yield b[1]; yield b[2]; }
    if (s.stem && !logY) yield 0;
  }
}

/** Draw the ticks, grid and labels of both axes of a plot area. */
function axesSvg(parts: string[], xa: Axis, ya: Axis, box: { l: number; t: number; w: number; h: number }): void {
  const { l, t, w, h } = box;
  for (const tk of xa.ticks) {
    const x = f1(l + w * xa.frac(xa.log ? 10 ** tk.at : tk.at));
    if (x === 'NaN') continue;
    if (tk.major) parts.push(`<line x1="${x}" x2="${x}" y1="${t}" y2="${t + h}" stroke="#eee"/>`);
    parts.push(`<line x1="${x}" x2="${x}" y1="${t + h}" y2="${t + h + (tk.major ? 5 : 3)}" stroke="#333"/>`);
    if (tk.label) parts.push(`<text x="${x}" y="${t + h + 17}" text-anchor="middle"${tk.major ? '' : ' font-size="10" fill="#555"'}>${esc(tk.label)}</text>`);
  }
  for (const tk of ya.ticks) {
    const y = f1(t + h * (1 - ya.frac(ya.log ? 10 ** tk.at : tk.at)));
    if (y === 'NaN') continue;
    if (tk.major) parts.push(`<line x1="${l}" x2="${l + w}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<line x1="${l - (tk.major ? 5 : 3)}" x2="${l}" y1="${y}" y2="${y}" stroke="#333"/>`);
    if (tk.label) parts.push(`<text x="${l - 7}" y="${Number(y) + 4}" text-anchor="end"${tk.major ? '' : ' font-size="10" fill="#555"'}>${esc(tk.label)}</text>`);
  }
}

export function linePlot(o: PlotOptions): string {
  const logX = !!o.logX, logY = !!o.logY;
  const H = o.height ?? 440;
  const m = { l: 78, r: 16, t: 40, b: 52 };
  const maxLabel = 40;
  const legendW = 34 + 7 * Math.min(maxLabel, o.series.reduce((acc, s) => Math.max(acc, s.label.length), 0));
  const W = (o.width ?? 720) + Math.max(0, legendW - 160); // the plot area keeps its width
  const pw = W - m.l - m.r - legendW, ph = H - m.t - m.b;
  const xa = makeAxis(xValues(o.series), logX), ya = makeAxis(yValues(o.series, logY), logY);
  const hasLines = o.series.some((s) => s.hline !== undefined && drawable(s.hline, logY));
  const X = (v: number): number => m.l + pw * xa.frac(v);
  const Y = (v: number): number => m.t + ph * (1 - ya.frac(v));
  const ok = (x: number, y: number): boolean => drawable(x, logX) && drawable(y, logY);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(o.title)}</text>`);
  const empty = ya.empty || (xa.empty && !hasLines);
  if (empty) {
    const finiteSomewhere = (log: boolean, vals: Iterable<number>): boolean => { if (!log) return false; for (const v of vals) if (Number.isFinite(v)) return true; return false; };
    const why = (ya.empty && finiteSomewhere(logY, yValues(o.series, true))) || (xa.empty && finiteSomewhere(logX, xValues(o.series))) ? 'no positive data (log axis)' : 'no data';
    parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph / 2}" text-anchor="middle" font-size="14" fill="#888">${why}</text>`);
  } else {
    axesSvg(parts, xa, ya, { l: m.l, t: m.t, w: pw, h: ph });
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  if (o.xLabel) parts.push(`<text x="${m.l + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}${logX ? ' (log)' : ''}</text>`);
  if (o.yLabel) parts.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}${logY ? ' (log)' : ''}</text>`);
  let next = 0;
  o.series.forEach((s, i) => {
    const c = s.color ?? COLORS[next++ % COLORS.length]!;
    const style = s.style ?? (s.hline !== undefined ? 'dashed' : 'solid');
    if (!empty) {
      if (s.hline !== undefined) {
        if (drawable(s.hline, logY)) parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f1(Y(s.hline))}" y2="${f1(Y(s.hline))}" stroke="${c}" stroke-width="1.5"${DASH[style]}/>`);
      } else {
        if (s.band) {
          const pts = s.band.filter(([x, lo, hi]) => ok(x, lo) && ok(x, hi));
          if (pts.length > 1) {
            const d = pts.map(([x, , hi], j) => `${j ? 'L' : 'M'}${f1(X(x))},${f1(Y(hi))}`).join('')
              + [...pts].reverse().map(([x, lo]) => `L${f1(X(x))},${f1(Y(lo))}`).join('') + 'Z';
            parts.push(`<path d="${d}" fill="${c}" fill-opacity="0.18" stroke="none"/>`);
          }
        }
        if (s.stem) {
          const base = logY ? m.t + ph : Y(0);
          for (const [x, y] of s.points) {
            if (!ok(x, y)) continue;
            parts.push(`<line x1="${f1(X(x))}" x2="${f1(X(x))}" y1="${f1(base)}" y2="${f1(Y(y))}" stroke="${c}" stroke-width="1.2"${DASH[style]}/><circle cx="${f1(X(x))}" cy="${f1(Y(y))}" r="2.5" fill="${c}"/>`);
          }
          if (!logY) parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${f1(base)}" y2="${f1(base)}" stroke="#999" stroke-width="0.8"/>`);
        } else {
          // Non-finite (or non-positive on a log axis) points break the line rather than vanish silently.
          let d = '', pen = false;
          for (const [x, y] of s.points) {
            if (!ok(x, y)) { pen = false; continue; }
            d += `${pen ? 'L' : 'M'}${f1(X(x))},${f1(Y(y))}`;
            pen = true;
          }
          if (d) parts.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="1.5"${DASH[style]}/>`);
          if (s.dots) for (const [x, y] of s.points) if (ok(x, y)) parts.push(`<circle cx="${f1(X(x))}" cy="${f1(Y(y))}" r="3" fill="${c}"/>`);
        }
      }
    }
    const ly = m.t + 8 + i * 18;
    parts.push(`<line x1="${W - legendW}" x2="${W - legendW + 18}" y1="${ly}" y2="${ly}" stroke="${c}" stroke-width="2"${DASH[style]}/><text x="${W - legendW + 24}" y="${ly + 4}">${esc(shorten(s.label, maxLabel))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export interface HeatmapOptions {
  title: string;
  /** Row-major values. */
  values: readonly number[];
  /** Columns; default √length (a square matrix). */
  cols?: number;
  size?: number;
  /** Axis titles (default "column" and "row"). */
  xLabel?: string;
  yLabel?: string;
}

/**
 * A matrix as coloured cells on a diverging scale (blue < 0 < red, white at 0, symmetric about
 * 0 so signs read at a glance; grey for non-finite cells), with row and column axes and a
 * labelled colour bar.
 */
export function heatmap(o: HeatmapOptions): string {
  const n = o.values.length;
  const cols = Math.max(1, Math.min(n || 1, (o.cols ?? Math.round(Math.sqrt(n))) || 1));
  const rows = n > 0 ? Math.ceil(n / cols) : 0;
  const size = o.size ?? 420;
  const cell = Math.max(1, Math.floor(size / Math.max(rows, cols, 1)));
  const m = { l: 62, t: 40, b: 46 };
  const gw = cols * cell, gh = Math.max(rows * cell, 60);
  const W = m.l + gw + 110, H = m.t + gh + m.b;
  let scale = 0;
  for (const v of o.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  scale ||= 1;
  const colour = (v: number): string => {
    if (!Number.isFinite(v)) return '#888';
    const t = Math.max(-1, Math.min(1, v / scale));
    const k = Math.round(255 * (1 - Math.abs(t)));
    return t >= 0 ? `rgb(255,${k},${k})` : `rgb(${k},${k},255)`;
  };
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l + gw / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(o.title)}</text>`];
  if (n === 0) parts.push(`<text x="${m.l + gw / 2}" y="${m.t + 30}" text-anchor="middle" font-size="14" fill="#888">no data</text>`);
  for (let i = 0; i < n; i++) {
    parts.push(`<rect x="${m.l + (i % cols) * cell}" y="${m.t + Math.floor(i / cols) * cell}" width="${cell}" height="${cell}" fill="${colour(o.values[i]!)}"/>`);
  }
  if (n > 0) {
    parts.push(`<rect x="${m.l}" y="${m.t}" width="${gw}" height="${rows * cell}" fill="none" stroke="#333"/>`);
    // Index axes: cell centres, 0-based, at most ~8 labels each.
    const idx = (count: number): number[] => { const step = Math.max(1, Math.ceil(count / 8)); const out: number[] = []; for (let k = 0; k < count; k += step) out.push(k); if (out[out.length - 1] !== count - 1 && count > 1 && (count - 1) % step > step / 2) out.push(count - 1); return out; };
    for (const c of idx(cols)) { const x = m.l + (c + 0.5) * cell; parts.push(`<line x1="${x}" x2="${x}" y1="${m.t + rows * cell}" y2="${m.t + rows * cell + 4}" stroke="#333"/><text x="${x}" y="${m.t + rows * cell + 16}" text-anchor="middle">${c}</text>`); }
    for (const r of idx(rows)) { const y = m.t + (r + 0.5) * cell; parts.push(`<line x1="${m.l - 4}" x2="${m.l}" y1="${y}" y2="${y}" stroke="#333"/><text x="${m.l - 7}" y="${y + 4}" text-anchor="end">${r}</text>`); }
    parts.push(`<text x="${m.l + gw / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel ?? 'column')}</text>`);
    parts.push(`<text transform="translate(16 ${m.t + (rows * cell) / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel ?? 'row')}</text>`);
  }
  const bx = m.l + gw + 24, bh = gh;
  for (let j = 0; j < 40; j++) parts.push(`<rect x="${bx}" y="${f1(m.t + (j * bh) / 40)}" width="14" height="${f1(bh / 40 + 0.5)}" fill="${colour(scale * (1 - (2 * j + 1) / 40))}"/>`);
  parts.push(`<rect x="${bx}" y="${m.t}" width="14" height="${bh}" fill="none" stroke="#333"/>`);
  for (const [frac, v] of [[0, scale], [0.25, scale / 2], [0.5, 0], [0.75, -scale / 2], [1, -scale]] as const) {
    const y = m.t + frac * bh;
    parts.push(`<line x1="${bx + 14}" x2="${bx + 18}" y1="${f1(y)}" y2="${f1(y)}" stroke="#333"/><text x="${bx + 21}" y="${f1(y + 4)}">${formatNumber(v, 3)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Keep at most `max` points of a rank-ordered spectrum, spaced evenly in log(rank) for log-log axes. */
export function thinLog<T>(points: readonly T[], max = 2000): T[] {
  if (points.length <= max) return [...points];
  const idx = new Set<number>();
  for (let i = 0; i < max; i++) idx.add(Math.min(points.length - 1, Math.round(Math.exp((i / (max - 1)) * Math.log(points.length)) - 1)));
  return [...idx].sort((a, b) => a - b).map((i) => points[i]!);
}

/** Keep at most `max` points, evenly spaced, always including the last. */
export function thin<T>(points: readonly T[], max = 2000): T[] {
  if (points.length <= max) return [...points];
  const stride = points.length / max;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.floor(i * stride)]!);
  out[out.length - 1] = points[points.length - 1]!;
  return out;
}
