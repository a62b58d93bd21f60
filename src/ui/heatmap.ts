/**
 * A row-major matrix as a heatmap: `cols` columns (the declared width; the square root of the
 * length when none is declared), blue below the middle of its range, white in the middle, red
 * above. Returns null when the values do not form such a matrix.
 */
import { formatNumber } from '../format.ts';
import type { Wire } from '../serve/protocol.ts';
import { el } from './dom.ts';
import { num } from './wire.ts';

export function heatmap(container: HTMLElement, title: string, metric: string, values: readonly Wire[], cols?: number): HTMLElement | null {
  const width = cols ?? Math.round(Math.sqrt(values.length));
  const rows = width > 0 ? values.length / width : 0;
  if (!Number.isInteger(rows) || rows < 1) return null;
  const xs = values.map(num);
  const finite = xs.filter(Number.isFinite);
  if (!finite.length) return null;
  const lo = finite.reduce((a, b) => Math.min(a, b)), hiRaw = finite.reduce((a, b) => Math.max(a, b));
  const hi = hiRaw === lo ? lo + 1 : hiRaw;
  const canvas = el('canvas', { class: 'heat', width: String(width), height: String(rows) });
  canvas.style.aspectRatio = `${width} / ${rows}`;
  const g = canvas.getContext('2d')!;
  const img = g.createImageData(width, rows);
  xs.forEach((v, i) => {
    if (!Number.isFinite(v)) return; // transparent
    const t = (v - lo) / (hi - lo), white = Math.round(255 * (1 - Math.abs(2 * t - 1)));
    img.data.set([t > 0.5 ? 255 : white, white, t < 0.5 ? 255 : white, 255], 4 * i);
  });
  g.putImageData(img, 0, 0);
  const card = el('div', { class: 'card chart' },
    el('div', { class: 'top' }, el('div', { class: 'name', title }, title), el('span', { class: 'val' }, `${rows}×${width} matrix`)),
    el('div', { class: 'plot heatbox' }, canvas),
    el('div', { class: 'legend' }, `row i, column j; blue ${formatNumber(lo, 4)} … red ${formatNumber(hiRaw, 4)}`));
  Object.assign(card.dataset, { kind: 'matrix', metric, rows: String(rows), cols: String(width) });
  container.append(card);
  return card;
}
