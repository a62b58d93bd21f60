/**
 * One chart card: a title, log toggles, a uPlot plot (hover read-out, drag to zoom, double-click
 * to reset), a legend, and a note when nothing can be drawn. Every plot in the app is one of
 * these: metrics against step or time, spectra against rank, series against index, sweep means
 * against a parameter and members' means against step — the last two with their 95% bands.
 *
 * A card records what it drew in its dataset (kind, metric, log axes, points, [value, label] of
 * each labelled tick), which the browser tests read.
 */
import uPlot from 'uplot';
import { formatNumber } from '../format.ts';
import type { Wire } from '../serve/protocol.ts';
import { axis } from './axes.ts';
import { el } from './dom.ts';
import { drawableOrNull, num } from './wire.ts';

export const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

export interface Line {
  label: string;
  xs: readonly Wire[];
  ys: readonly Wire[];
  color: string;
  /** A horizontal line at this value (a one-off metric beside stepped ones). */
  hline?: Wire;
  /** The 95% band around the line: its low and high ends at each x. */
  band?: { lo: readonly Wire[]; hi: readonly Wire[] };
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  lines: Line[];
  /** Initial log axes; `auto` for y: log when every value is positive and they span a factor of 100. */
  logX: boolean;
  logY: boolean | 'auto';
  /** Dataset for tests: what the chart shows. */
  kind: string;
  metric?: string;
  /** Show points as dots (few x values, or sweep means). */
  dots?: boolean;
  /** Called with the x value under the cursor when the plot is clicked. */
  onPick?(x: number): void;
}

export interface Chart {
  readonly card: HTMLElement;
  /** Redraw with new lines (a live update keeps the user's zoom and log choices). */
  update(spec: ChartSpec): void;
  /** The value shown at the right of the title. */
  setValue(text: string): void;
  destroy(): void;
}

const positiveSpan = (lines: readonly Line[]): boolean => {
  let lo = Infinity, hi = -Infinity;
  for (const l of lines) for (const v of l.hline !== undefined ? [l.hline] : l.ys) {
    const y = num(v);
    if (!Number.isFinite(y)) continue;
    if (y <= 0) return false;
    lo = Math.min(lo, y); hi = Math.max(hi, y);
  }
  return hi / lo >= 100;
};

/** Lines onto one sorted x array (uPlot's aligned data), nulls where a line has no point; log axes drop what they cannot show. */
function align(lines: readonly Line[], logX: boolean, logY: boolean): { data: uPlot.AlignedData; columns: number } {
  const xsAll = new Set<number>();
  for (const l of lines) for (const x of l.xs) { const v = drawableOrNull(x, logX); if (v !== null) xsAll.add(v); }
  const xs = [...xsAll].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const column = (l: Line, values: readonly Wire[]): (number | null)[] => {
    const ys = new Array<number | null>(xs.length).fill(null);
    l.xs.forEach((x, i) => { const j = at.get(drawableOrNull(x, logX) ?? NaN); if (j !== undefined) ys[j] = drawableOrNull(values[i], logY); });
    return ys;
  };
  const cols: (number | null)[][] = [];
  for (const l of lines) {
    if (l.hline !== undefined) { const h = drawableOrNull(l.hline, logY); cols.push(new Array(xs.length).fill(h)); continue; }
    cols.push(column(l, l.ys));
    if (l.band) cols.push(column(l, l.band.lo), column(l, l.band.hi));
  }
  return { data: [xs, ...cols], columns: cols.length };
}

export function chart(container: HTMLElement, first: ChartSpec): Chart {
  const name = el('div', { class: 'name', title: first.title }, first.title);
  const value = el('span', { class: 'val' });
  const togX = el('button', { class: 'tog', type: 'button' }, 'log x');
  const togY = el('button', { class: 'tog', type: 'button' }, 'log y');
  const csv = el('button', { class: 'tog', type: 'button', title: 'the plotted data: x, then one column per line' }, 'CSV');
  const png = el('button', { class: 'tog', type: 'button' }, 'PNG');
  const plot = el('div', { class: 'plot' });
  const nodata = el('div', { class: 'nodata' });
  plot.append(nodata);
  const card = el('div', { class: 'card chart' }, el('div', { class: 'top' }, name, value, togX, togY, csv, png), plot);
  container.append(card);

  let spec = first;
  let logX = first.logX;
  let logY = first.logY === 'auto' ? positiveSpan(first.lines) : first.logY;
  let userLog = false;
  let u: uPlot | null = null;
  let shape = '';
  let zoomed = false;
  let drawn: uPlot.AlignedData = [[]];

  const draw = (): void => {
    const width = plot.clientWidth || card.clientWidth || 500;
    if (!userLog && spec.logY === 'auto') logY = positiveSpan(spec.lines);
    togX.classList.toggle('on', logX); togY.classList.toggle('on', logY);
    const { data } = align(spec.lines, logX, logY);
    drawn = data;
    const points = data.slice(1).reduce((n, ys) => n + (ys as (number | null)[]).filter((v) => v !== null).length, 0);
    const hasValues = spec.lines.some((l) => l.xs.length > 0 || l.hline !== undefined);
    nodata.textContent = points > 0 ? '' : hasValues ? (logY ? 'no finite positive values for a log axis' : 'no finite values') : 'no data yet';
    Object.assign(card.dataset, { kind: spec.kind, metric: spec.metric ?? '', logx: logX ? '1' : '0', logy: logY ? '1' : '0', points: String(points) });
    const bands = spec.lines.filter((l) => l.band).length;
    card.dataset.bands = String(bands);
    const dots = Boolean(spec.dots) || data[0].length < 40;
    // Series options are fixed when uPlot is built: rebuild when they change (a live chart growing past 40 points loses its dots).
    const next = [spec.lines.map((l) => `${l.label}|${l.color}|${l.hline !== undefined}|${Boolean(l.band)}`).join(), logX, logY, width, dots].join('/');
    if (u && next === shape) { u.setData(data, !zoomed); return; }
    u?.destroy();
    shape = next; zoomed = false;
    const series: uPlot.Series[] = [{ label: spec.xLabel, value: (_u, v) => (v === null ? '–' : formatNumber(v, 4)) }];
    const bandDefs: uPlot.Band[] = [];
    for (const l of spec.lines) {
      series.push({ label: l.label, stroke: l.color, width: 1.5, spanGaps: true, dash: l.hline !== undefined ? [5, 4] : undefined,
        value: (_u, v) => (v === null ? '–' : formatNumber(v, 4)), points: { show: dots, size: spec.dots ? 7 : 4 } });
      if (l.band) {
        const mean = series.length - 1;
        series.push({ label: '95% low', stroke: 'transparent', points: { show: false } }, { label: '95% high', stroke: 'transparent', points: { show: false } });
        bandDefs.push({ series: [mean + 2, mean + 1], fill: `${l.color}33` });
      }
    }
    const record = (key: 'xticks' | 'yticks') => (ticks: [number, string][]): void => { card.dataset[key] = JSON.stringify(ticks); };
    u = new uPlot({
      width, height: 240, series, bands: bandDefs,
      scales: { x: { time: false, distr: logX ? 3 : 1 }, y: { distr: logY ? 3 : 1 } },
      axes: [axis(logX, spec.xLabel, record('xticks'), 40), axis(logY, '', record('yticks'), 64)],
      cursor: { drag: { x: true, y: false } },
      hooks: { setSelect: [() => { zoomed = true; }] },
    }, data, plot);
    u.over.addEventListener('dblclick', () => { zoomed = false; });
    // The band edges are series for uPlot, not lines for the reader: keep them out of the legend.
    const rows = u.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
    series.forEach((se, i) => { if (se.stroke === 'transparent') rows[i]?.classList.add('hidden'); });
  };

  const fileName = (ext: string): string => `${spec.title.replace(/[^A-Za-z0-9._-]+/g, '_')}.${ext}`;
  const download = (href: string, file: string): void => { el('a', { href, download: file }).click(); };
  csv.onclick = () => {
    const head = [spec.xLabel, ...spec.lines.flatMap((l) => (l.band ? [l.label, `${l.label} 95% low`, `${l.label} 95% high`] : [l.label]))];
    const rows = Array.from({ length: drawn[0].length }, (_, i) => drawn.map((col) => col[i] ?? '').join(','));
    const quote = (h: string): string => (/[",\n]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h);
    download(URL.createObjectURL(new Blob([`${[head.map(quote).join(','), ...rows].join('\n')}\n`], { type: 'text/csv' })), fileName('csv'));
  };
  png.onclick = () => { const c = plot.querySelector('canvas'); if (c) download(c.toDataURL('image/png'), fileName('png')); };
  plot.addEventListener('click', () => {
    const i = u?.cursor.idx;
    if (spec.onPick && i !== null && i !== undefined) spec.onPick(drawn[0][i]!);
  });
  togX.onclick = () => { logX = !logX; draw(); };
  togY.onclick = () => { logY = !logY; userLog = true; draw(); };
  draw();
  return {
    card,
    update(next) { spec = next; draw(); },
    setValue(text) { value.textContent = text; },
    destroy() { u?.destroy(); card.remove(); },
  };
}
