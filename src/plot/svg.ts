/**
 * Dependency-free SVG line plots: linear or log axes, several series, horizontal reference
 * lines, a legend. Used for run plots, spectra (log-log) and sweep summaries.
 */
export interface Series {
  label: string;
  points: readonly (readonly [number, number])[];
  /** Draw as a horizontal reference line at this y (points ignored). */
  hline?: number;
  /** Mark points with dots (sweeps), not only a line. */
  dots?: boolean;
  /** An uncertainty band drawn behind the line: `[x, lower, upper]` per point (a 95% interval over seeds). */
  band?: readonly (readonly [number, number, number])[];
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

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** Tick positions (in data units) for a linear axis. */
function linearTicks(lo: number, hi: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => span / s <= 7)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** Decades when the range spans several, else 1-2-5 steps, else linear ticks (a log axis over a narrow range). */
function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
  const inRange = (v: number): boolean => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  const every = Math.max(1, Math.ceil((b - a) / 8));
  const decades: number[] = [];
  for (let e = a; e <= b; e += every) decades.push(10 ** e);
  if (decades.filter(inRange).length >= 3) return decades;
  const steps: number[] = [];
  for (let e = a; e <= b; e++) for (const k of [1, 2, 5]) steps.push(k * 10 ** e);
  if (steps.filter(inRange).length >= 3) return steps;
  return linearTicks(lo, hi).filter((v) => v > 0);
}

/** Shorten long legend labels in the middle, keeping both ends (node and index) readable. */
function shorten(label: string, max: number): string {
  if (label.length <= max) return label;
  const keep = max - 1;
  return `${label.slice(0, Math.ceil(keep / 2))}…${label.slice(label.length - Math.floor(keep / 2))}`;
}

export function linePlot(o: PlotOptions): string {
  const H = o.height ?? 440;
  const m = { l: 72, r: 16, t: 40, b: 52 };
  const maxLabel = 40;
  const legendW = 34 + 7 * Math.min(maxLabel, o.series.reduce((acc, s) => Math.max(acc, s.label.length), 0));
  const W = (o.width ?? 720) + Math.max(0, legendW - 160); // the plot area keeps its width
  const pw = W - m.l - m.r - legendW, ph = H - m.t - m.b;
  const ok = (x: number, log?: boolean): boolean => Number.isFinite(x) && (!log || x > 0);
  const xs: number[] = [], ys: number[] = [];
  for (const s of o.series) {
    if (s.hline !== undefined) { if (ok(s.hline, o.logY)) ys.push(s.hline); continue; }
    for (const [x, y] of s.points) if (ok(x, o.logX) && ok(y, o.logY)) { xs.push(x); ys.push(y); }
    for (const [, lo, hi] of s.band ?? []) for (const y of [lo, hi]) if (ok(y, o.logY)) ys.push(y);
  }
  if (xs.length === 0) xs.push(0, 1);
  if (ys.length === 0) ys.push(0, 1);
  const range = (v: number[], log?: boolean): [number, number] => {
    let lo = Infinity, hi = -Infinity; // no spread: series can be millions of points long
    for (const x of v) { if (x < lo) lo = x; if (x > hi) hi = x; }
    if (lo === hi) { lo = log ? lo / 2 : lo - (Math.abs(lo) || 1) * 0.5; hi = log ? hi * 2 : hi + (Math.abs(hi) || 1) * 0.5; }
    // A 4% margin, so a line at the extreme (a reference level, a minimum) does not sit on the frame.
    if (log) { const f = (hi / lo) ** 0.04; return [lo / f, hi * f]; }
    const pad = 0.04 * (hi - lo);
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = range(xs, o.logX), [y0, y1] = range(ys, o.logY);
  const t = (v: number, lo: number, hi: number, log?: boolean): number =>
    log ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (v - lo) / (hi - lo);
  const X = (v: number): number => m.l + pw * t(v, x0, x1, o.logX);
  const Y = (v: number): number => m.t + ph * (1 - t(v, y0, y1, o.logY));
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(o.title)}</text>`);
  const xt = (o.logX ? logTicks(x0, x1) : linearTicks(x0, x1)).filter((v) => v >= x0 * (1 - 1e-9) && v <= x1 * (1 + 1e-9) || !o.logX && v >= x0 && v <= x1);
  const yt = (o.logY ? logTicks(y0, y1) : linearTicks(y0, y1)).filter((v) => (o.logY ? v >= y0 * (1 - 1e-9) && v <= y1 * (1 + 1e-9) : v >= y0 && v <= y1));
  for (const v of xt) parts.push(`<line x1="${X(v)}" x2="${X(v)}" y1="${m.t}" y2="${m.t + ph}" stroke="#eee"/><text x="${X(v)}" y="${m.t + ph + 16}" text-anchor="middle">${fmt(v)}</text>`);
  for (const v of yt) parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(v)}" y2="${Y(v)}" stroke="#eee"/><text x="${m.l - 6}" y="${Y(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  if (o.xLabel) parts.push(`<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle">${esc(o.xLabel)}${o.logX ? ' (log)' : ''}</text>`);
  if (o.yLabel) parts.push(`<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}${o.logY ? ' (log)' : ''}</text>`);
  o.series.forEach((s, i) => {
    const c = COLORS[i % COLORS.length];
    if (s.hline !== undefined) {
      if (ok(s.hline, o.logY)) parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${Y(s.hline)}" y2="${Y(s.hline)}" stroke="${c}" stroke-dasharray="6 4" stroke-width="1.5"/>`);
    } else {
      // Non-finite (or non-positive on a log axis) points break the line rather than vanish silently.
      if (s.band) {
        const pts = s.band.filter(([x, lo, hi]) => ok(x, o.logX) && ok(lo, o.logY) && ok(hi, o.logY));
        if (pts.length > 1) {
          const d = pts.map(([x, , hi], j) => `${j ? 'L' : 'M'}${X(x).toFixed(1)},${Y(hi).toFixed(1)}`).join('')
            + [...pts].reverse().map(([x, lo]) => `L${X(x).toFixed(1)},${Y(lo).toFixed(1)}`).join('') + 'Z';
          parts.push(`<path d="${d}" fill="${c}" fill-opacity="0.18" stroke="none"/>`);
        }
      }
      let d = '', pen = false;
      for (const [x, y] of s.points) {
        if (!ok(x, o.logX) || !ok(y, o.logY)) { pen = false; continue; }
        d += `${pen ? 'L' : 'M'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`;
        pen = true;
      }
      if (d) parts.push(`<path d="${d}" fill="none" stroke="${c}" stroke-width="1.5"/>`);
      if (s.dots) for (const [x, y] of s.points) if (ok(x, o.logX) && ok(y, o.logY)) parts.push(`<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="3" fill="${c}"/>`);
    }
    const ly = m.t + 8 + i * 18;
    parts.push(`<line x1="${W - legendW}" x2="${W - legendW + 18}" y1="${ly}" y2="${ly}" stroke="${c}" stroke-width="2"${s.hline !== undefined ? ' stroke-dasharray="6 4"' : ''}/><text x="${W - legendW + 24}" y="${ly + 4}">${esc(shorten(s.label, maxLabel))}</text>`);
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
}

/**
 * A matrix as coloured cells on a diverging scale (blue < 0 < red, white at 0, symmetric about
 * 0 so signs read at a glance), with a colour bar.
 */
export function heatmap(o: HeatmapOptions): string {
  const n = o.values.length;
  const cols = o.cols ?? Math.round(Math.sqrt(n));
  const rows = cols > 0 ? Math.ceil(n / cols) : 0;
  const size = o.size ?? 420;
  const cell = Math.max(1, Math.floor(size / Math.max(rows, cols, 1)));
  const m = { l: 20, t: 40 };
  const W = m.l + cols * cell + 90, H = m.t + rows * cell + 20;
  let scale = 0;
  for (const v of o.values) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  scale ||= 1;
  const colour = (v: number): string => {
    if (!Number.isFinite(v)) return '#888';
    const t = Math.max(-1, Math.min(1, v / scale));
    const k = Math.round(255 * (1 - Math.abs(t)));
    return t >= 0 ? `rgb(255,${k},${k})` : `rgb(${k},${k},255)`;
  };
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(o.title)}</text>`];
  for (let i = 0; i < n; i++) {
    parts.push(`<rect x="${m.l + (i % cols) * cell}" y="${m.t + Math.floor(i / cols) * cell}" width="${cell}" height="${cell}" fill="${colour(o.values[i]!)}"/>`);
  }
  const bx = m.l + cols * cell + 20, bh = Math.max(rows * cell, 60);
  for (let j = 0; j < 20; j++) parts.push(`<rect x="${bx}" y="${m.t + (j * bh) / 20}" width="14" height="${bh / 20 + 0.5}" fill="${colour(scale * (1 - (2 * j + 1) / 20))}"/>`);
  parts.push(`<text x="${bx + 18}" y="${m.t + 10}">${fmt(scale)}</text><text x="${bx + 18}" y="${m.t + bh / 2 + 4}">0</text><text x="${bx + 18}" y="${m.t + bh}">${fmt(-scale)}</text>`);
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
