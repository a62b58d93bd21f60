/** A sweep, live (`sweep --dashboard`): its table and band plots redrawn as points end, and a progress bar over its points. */
import { formatDuration } from '../format.ts';
import type { SweepLiveState } from '../serve/protocol.ts';
import { byId, el, showSection } from './dom.ts';
import { setStatus } from './page.ts';
import { sweepSection } from './sweeps.ts';

/** Draws each snapshot of a live sweep, replacing the previous one. */
export function liveSweep(): { show(s: SweepLiveState, skew: number): void } {
  let shown: { remove(): void } | null = null;
  return { show(s, skew) { shown?.remove(); shown = showSweep(s, skew); } };
}

function showSweep(s: SweepLiveState, skew: number): { remove(): void } {
  setStatus(s.status, s.title);
  const c = s.counts;
  byId('elapsed').textContent = `${s.status === 'running' ? 'running for' : 'ran for'} ${formatDuration((s.end ?? Date.now() + skew) - s.start)}`;
  byId('events').textContent = `${c.completed} of ${c.total} points completed`;
  showSection('progress', true);
  const ended = c.completed + c.failed;
  byId('progress').replaceChildren(el('div', { class: `card prog${s.status === 'running' ? '' : ' done'}` },
    el('div', { class: 'top' }, el('div', { class: 'name' }, 'points'), el('span', { class: 'val' }, `${Math.round((100 * ended) / Math.max(1, c.total))}%`)),
    el('div', { class: 'bar' }, el('div', { style: `width:${((100 * ended) / Math.max(1, c.total)).toFixed(1)}%` })),
    el('div', { class: 'nums' }, ...[`${c.completed} completed`, `${c.running} running`, `${c.failed} failed`, `${c.pending} pending`].map((t) => el('span', {}, t)))));
  showSection('sweeps', true);
  const section = sweepSection(byId('sweeps'), s.sweep, null);
  document.body.dataset.status = s.status;
  return section;
}
