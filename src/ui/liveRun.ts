/**
 * A run, live: a mirror of the server's state (a snapshot, then deltas), redrawn at most once per
 * animation frame — progress bars, the graph's declared plots, every metric by kind, one-off
 * values, the log, and the members' means with their bands when the run has members.
 */
import { formatDuration, formatNumber, formatRate } from '../format.ts';
import type { RunDelta, RunState } from '../serve/protocol.ts';
import { chart, COLORS, type Chart, type Line } from './chart.ts';
import { byId, el, showSection } from './dom.ts';
import { metricsView, type RunMetrics } from './metrics.ts';
import { setError, setStatus } from './page.ts';
import { membersView } from './sweeps.ts';
import { num } from './wire.ts';

const MAX_LOGS = 200;

export interface LiveRun { state(s: RunState): void; delta(d: RunDelta): void; disconnected(): void }

/** The series with its latest value appended when thinning dropped it. */
const withLast = (s: RunState['series'][string]): { steps: number[]; values: RunState['series'][string]['values'] } => {
  const steps = [...s.steps], values = [...s.values];
  if (s.last && steps.at(-1) !== s.last[0]) { steps.push(s.last[0]); values.push(s.last[1]); }
  return { steps, values };
};

export function liveRun(): LiveRun {
  let S: RunState | null = null;
  let skew = 0;
  let scheduled = false;
  const metrics = metricsView({ series: byId('series'), arrays: byId('arrays'), scalars: byId('scalars') });
  const members = membersView(byId('members'));
  const declared = new Map<number, Chart>();
  const bars = new Map<string, HTMLElement>();
  const filter = byId<HTMLInputElement>('filter');

  const asRun = (s: RunState): RunMetrics => ({
    label: s.graph,
    series: Object.fromEntries(Object.entries(s.series).map(([k, v]) => [k, withLast(v)])),
    arrays: Object.fromEntries(Object.entries(s.spectra).map(([k, v]) => [k, v.values])),
    kinds: Object.fromEntries(Object.entries(s.spectra).map(([k, v]) => [k, v.kind])),
    cols: Object.fromEntries(Object.entries(s.spectra).flatMap(([k, v]) => (v.cols ? [[k, v.cols]] : []))),
    scalars: s.scalars,
  });

  const header = (): void => {
    if (!S) return;
    setStatus(S.status, S.graph);
    const end = S.end ?? Date.now() + skew;
    byId('elapsed').textContent = `${S.status === 'running' ? 'running for' : 'ran for'} ${formatDuration(end - S.start)}`;
    byId('events').textContent = `${S.events.toLocaleString('en')} events${S.outDir ? ` → ${S.outDir}` : ''}`;
    setError(S.error ? `${S.status}: ${S.error}` : null);
  };

  const progress = (s: RunState): void => {
    const nodes = Object.keys(s.progress);
    showSection('progress', nodes.length > 0);
    for (const node of nodes) {
      const p = s.progress[node]!;
      let card = bars.get(node);
      if (!card) {
        card = el('div', { class: 'card prog' }, el('div', { class: 'top' }, el('div', { class: 'name' }, node), el('span', { class: 'val' })), el('div', { class: 'bar' }, el('div')), el('div', { class: 'nums' }));
        byId('progress').append(card);
        bars.set(node, card);
      }
      const frac = p.total ? p.step / p.total : null;
      const done = frac !== null && p.step >= p.total!;
      const running = s.status === 'running' && !done;
      card.classList.toggle('done', !running);
      (card.querySelector('.bar div') as HTMLElement).style.width = `${(frac === null ? 100 : 100 * frac).toFixed(1)}%`;
      card.querySelector('.val')!.textContent = frac === null ? '' : `${(100 * frac).toFixed(frac < 0.1 ? 1 : 0)}%`;
      const rate = running ? p.rate : p.elapsed > 0 ? p.step / p.elapsed : 0;
      const eta = running && frac !== null && rate > 0 ? `ETA ${formatDuration((1000 * (p.total! - p.step)) / rate)}` : '';
      card.querySelector('.nums')!.replaceChildren(...[`${p.step}${p.total ? ` / ${p.total}` : ''} steps`, rate > 0 ? `${formatRate(rate)} steps/s` : '', eta, formatDuration(1000 * p.elapsed)].map((t) => el('span', {}, t)));
    }
  };

  const declaredPlots = (s: RunState): void => {
    showSection('declared', s.plots.length > 0);
    s.plots.forEach((p, i) => {
      const lines: Line[] = [];
      p.y.forEach((ref, j) => {
        const color = COLORS[j % COLORS.length]!;
        const series = s.series[ref];
        if (series) { const { steps, values } = withLast(series); lines.push({ label: ref, xs: steps, ys: values, color }); }
        else if (ref in s.scalars) lines.push({ label: ref, xs: [], ys: [], hline: s.scalars[ref], color });
      });
      const spec = { title: p.title, xLabel: 'step', lines, logX: false, logY: p.logY ?? 'auto' as const, kind: 'plot' };
      const c = declared.get(i);
      if (c) c.update(spec); else declared.set(i, chart(byId('declared'), spec));
      const only = lines.length === 1 && lines[0]!.ys.length ? lines[0]! : null;
      declared.get(i)!.setValue(only ? `${formatNumber(num(only.ys.at(-1)), 5)} @ ${only.xs.at(-1)}` : '');
    });
  };

  const logs = (s: RunState): void => {
    showSection('logs', s.logs.length > 0);
    const box = byId('logs');
    const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    box.textContent = s.logs.map((l) => `${new Date(l.time).toLocaleTimeString()}  [${l.node}] ${l.message}`).join('\n');
    if (atEnd) box.scrollTop = box.scrollHeight;
  };

  const render = (): void => {
    scheduled = false;
    if (!S) return;
    header();
    progress(S);
    // Sections are shown before their charts are drawn: a chart drawn while hidden measures 0×0.
    declaredPlots(S);
    const f = filter.value.trim().toLowerCase();
    metrics.render([asRun(S)], { smooth: 0, x: 'step', matches: (ref) => !f || ref.toLowerCase().includes(f), logY: S.logY });
    showSection('members', Boolean(S.members));
    if (S.members) members.render(S.members);
    logs(S);
    document.body.dataset.status = S.status;
  };
  const schedule = (): void => { if (!scheduled) { scheduled = true; requestAnimationFrame(render); } };
  filter.addEventListener('input', schedule);
  addEventListener('resize', schedule);
  setInterval(() => { if (S?.status === 'running') header(); }, 1000);

  return {
    state(s) { S = s; skew = s.now - Date.now(); schedule(); },
    delta(d) {
      if (!S) return;
      S.events = d.events; skew = d.now - Date.now();
      for (const [k, v] of Object.entries(d.series ?? {})) {
        const s = S.series[k];
        if (!s || v.reset) S.series[k] = { steps: v.steps, values: v.values, last: v.last };
        else { s.steps.push(...v.steps); s.values.push(...v.values); s.last = v.last; }
      }
      Object.assign(S.spectra, d.spectra ?? {});
      Object.assign(S.scalars, d.scalars ?? {});
      Object.assign(S.progress, d.progress ?? {});
      if (d.members) S.members = d.members;
      if (d.logs) { S.logs.push(...d.logs); S.logs.splice(0, Math.max(0, S.logs.length - MAX_LOGS)); }
      schedule();
    },
    disconnected() {
      if (S?.status !== 'running') return;
      setStatus('disconnected', S.graph);
      byId('status').textContent = 'reconnecting…';
    },
  };
}
