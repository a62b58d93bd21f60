/**
 * Runs and sweeps read from files (`eigenflow view`): every metric with the runs overlaid
 * (EMA smoothing, x by step or wall-clock time), each sweep's table and band plots; a sweep row
 * shows only that point's runs until "show all runs".
 */
import type { FilesState } from '../serve/protocol.ts';
import { byId, showSection } from './dom.ts';
import { metricsView } from './metrics.ts';
import { setStatus } from './page.ts';
import { sweepSection } from './sweeps.ts';

export function showFiles(d: FilesState): void {
  setStatus('finished', d.title);
  byId('status').textContent = d.runs.length === 1 ? d.runs[0]!.status : `${d.runs.length} runs`;
  byId('toolbar').classList.remove('hidden');
  const metrics = metricsView({ series: byId('series'), arrays: byId('arrays'), scalars: byId('scalars') });
  const view = { smooth: 0, x: 'step' as 'step' | 'time', only: null as string[] | null, what: '' };
  const filter = byId<HTMLInputElement>('filter');

  const render = (): void => {
    const runs = d.runs.filter((r) => !view.only || view.only.includes(r.dir));
    byId('showing').textContent = view.only ? `showing ${runs.length === 1 ? 'one run' : `${runs.length} runs`}${view.what ? ` of ${view.what}` : ''} — ` : '';
    byId('all').classList.toggle('hidden', !view.only);
    const f = filter.value.trim().toLowerCase();
    metrics.render(runs, { smooth: view.smooth, x: view.x, matches: (ref) => !f || ref.toLowerCase().includes(f), logY: {} });
  };
  const open = (dirs: string[], what: string): void => { view.only = dirs; view.what = what; render(); scrollTo(0, byId('sec-series').offsetTop); };

  showSection('sweeps', d.sweeps.length > 0);
  for (const s of d.sweeps) sweepSection(byId('sweeps'), s, open);
  byId<HTMLInputElement>('smooth').addEventListener('input', (e) => {
    view.smooth = Number((e.target as HTMLInputElement).value);
    byId('sv').textContent = view.smooth.toFixed(2);
    render();
  });
  byId<HTMLSelectElement>('xaxis').addEventListener('change', (e) => { view.x = (e.target as HTMLSelectElement).value as 'step' | 'time'; render(); });
  byId('all').addEventListener('click', () => { view.only = null; view.what = ''; render(); });
  filter.addEventListener('input', render);
  render();
}
