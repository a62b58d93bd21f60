/** The page skeleton every source fills in: header (title, status, toolbar, clock), then sections shown as they get content. */
import { byId, el } from './dom.ts';

const section = (id: string, title: string | null, body: HTMLElement): HTMLElement =>
  el('section', { id: `sec-${id}`, class: 'hidden' }, ...(title === null ? [] : [el('h2', {}, title)]), body);

export function buildPage(): void {
  const filter = el('input', { id: 'filter', placeholder: 'filter…', autocomplete: 'off' });
  const metricsHead = el('h2', {}, 'Metrics ', filter);
  document.body.append(
    el('header', {},
      el('div', {}, el('div', { class: 'brand' }, 'eigenflow'), el('h1', { id: 'title' }, document.title)),
      el('span', { id: 'status', class: 'running' }, 'connecting'),
      el('div', { id: 'toolbar', class: 'toolbar hidden' },
        el('label', {}, 'smoothing (EMA) ', el('input', { id: 'smooth', type: 'range', min: '0', max: '0.99', step: '0.01', value: '0' }), ' ', el('span', { id: 'sv' }, '0.00')),
        el('label', {}, 'x ', el('select', { id: 'xaxis' }, el('option', { value: 'step' }, 'step'), el('option', { value: 'time' }, 'wall-clock time'))),
        el('span', { id: 'showing' }), el('button', { id: 'all', type: 'button', class: 'hidden' }, 'show all runs'),
        el('span', {}, 'drag to zoom, double-click to reset')),
      el('div', { class: 'meta' }, el('div', { id: 'elapsed' }), el('div', { id: 'events' }))),
    el('main', {},
      el('div', { id: 'error', class: 'hidden' }),
      section('progress', 'Progress', el('div', { id: 'progress', class: 'grid' })),
      section('sweeps', null, el('div', { id: 'sweeps' })),
      section('members', 'Members (mean and band)', el('div', { id: 'members', class: 'grid' })),
      section('declared', 'Plots', el('div', { id: 'declared', class: 'grid' })),
      el('section', { id: 'sec-series', class: 'hidden' }, metricsHead, el('div', { id: 'series', class: 'grid' })),
      section('arrays', 'Arrays (latest value)', el('div', { id: 'arrays', class: 'grid' })),
      section('scalars', 'One-off values', el('table', { id: 'scalars' })),
      section('logs', 'Log', el('div', { id: 'logs' }))));
}

/** The status badge and the page title's mark. */
export function setStatus(status: string, title: string): void {
  const badge = byId('status');
  badge.className = status;
  badge.textContent = status;
  byId('title').textContent = title;
  document.title = `${status === 'running' ? '● ' : status === 'completed' || status === 'finished' ? '✓ ' : status === 'disconnected' ? '' : '✗ '}${title} — eigenflow`;
}

export function setError(text: string | null): void {
  const e = byId('error');
  e.classList.toggle('hidden', !text);
  e.textContent = text ?? '';
}
