/**
 * A sweep: its summary table (one row per point: mean ± half-width of the 95% interval over its
 * seeds per metric; hover for sd, se and the per-seed values; click a column to sort, a row to
 * open its runs) and each metric's mean against the first numeric parameter, one line per
 * combination of the others, with the 95% band. The same band drawing serves a batched run's
 * members (`bandChart`).
 */
import { formatNumber } from '../format.ts';
import type { MembersSummary, SweepPointState, SweepState } from '../serve/protocol.ts';
import { chart, COLORS, type Chart, type Line } from './chart.ts';
import { el } from './dom.ts';

const fmt = (v: unknown): string => (typeof v === 'number' ? formatNumber(v, 4) : v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const pointText = (names: readonly string[], p: SweepPointState): string => names.map((n) => `${n}=${JSON.stringify(p.point[n])}`).join(', ');

interface Column { head: string; get(p: SweepPointState): unknown; show?(p: SweepPointState): string; title?(p: SweepPointState): string }

function table(s: SweepState, refs: readonly string[], open: ((dirs: string[], what: string) => void) | null): HTMLTableElement {
  const half = (m: { ci95: [number, number] | null } | undefined): number | null => (m?.ci95 ? (m.ci95[1] - m.ci95[0]) / 2 : null);
  const cols: Column[] = [
    ...s.paramNames.map((n) => ({ head: n, get: (p: SweepPointState) => p.point[n] })),
    { head: 'status', get: (p) => (p.completed === p.runs ? 'completed' : `${p.completed}/${p.runs} completed`) },
    { head: 'seeds', get: (p) => p.completed },
    ...refs.map((k): Column => ({
      head: `${k} (mean ± 95%)`,
      get: (p) => p.metrics[k]?.mean ?? null,
      show: (p) => { const m = p.metrics[k]; if (!m || m.mean === null) return ''; const h = half(m); return fmt(m.mean) + (h === null ? '' : ` ± ${fmt(h)}`); },
      title: (p) => {
        const m = p.metrics[k];
        if (!m) return '';
        const seeds = Object.entries(m.values).map(([seed, v]) => (seed === 'default' ? '' : `seed ${seed}: `) + fmt(v)).join(', ');
        return `n = ${m.n}${m.sd === null ? '' : `, sd ${fmt(m.sd)}, se ${fmt(m.se)}`}${m.ci95 ? `, 95% interval [${fmt(m.ci95[0])}, ${fmt(m.ci95[1])}]` : ''}\n${seeds}`;
      },
    })),
  ];
  const t = el('table', { class: 'sweep' });
  let sortBy = -1, dir = 1;
  const cmp = (x: unknown, y: unknown): number => (x === y ? 0 : x === undefined || x === null ? 1 : y === undefined || y === null ? -1 : (x as number) < (y as number) ? -dir : dir);
  const fill = (): void => {
    const head = el('tr', {}, ...cols.map((c, i) => {
      const th = el('th', {}, c.head + (sortBy === i ? (dir > 0 ? ' ▲' : ' ▼') : ''));
      th.onclick = () => { dir = sortBy === i ? -dir : 1; sortBy = i; fill(); };
      return th;
    }));
    const points = [...s.points];
    if (sortBy >= 0) points.sort((a, b) => cmp(cols[sortBy]!.get(a), cols[sortBy]!.get(b)));
    t.replaceChildren(head, ...points.map((p) => {
      const dirs = p.seeds.map((r) => r.dir);
      const tr = el('tr', { class: dirs.length && open ? 'link' : '' }, ...cols.map((c) => {
        const td = el('td', {}, c.show ? c.show(p) : fmt(c.get(p)));
        if (c.title) td.title = c.title(p);
        return td;
      }));
      if (dirs.length && open) tr.onclick = () => open(dirs, pointText(s.paramNames, p));
      return tr;
    }));
  };
  fill();
  return t;
}

/** Draw sweep `s` into `box`; `open` shows a point's runs (files only). Returns what removes it again. */
export function sweepSection(box: HTMLElement, s: SweepState, open: ((dirs: string[], what: string) => void) | null): { remove(): void } {
  const charts: Chart[] = [];
  const refs = [...new Set(s.points.flatMap((p) => Object.keys(p.metrics)))].sort();
  const section = el('section', { class: 'sweepbox' },
    el('h2', {}, `sweep ${s.name}`),
    el('p', { class: 'hint' }, `one row per point: mean ± half-width of the 95% interval over its seeds${s.reduction ? ` (stepped metrics reduced by ${s.reduction})` : ''}; hover a cell for sd, se and the per-seed values; click a column to sort${open ? ', a row to open its runs' : ''}`),
    table(s, refs, open));
  box.append(section);
  const remove = (): void => { for (const c of charts) c.destroy(); section.remove(); };
  const x = s.paramNames.find((n) => s.points.every((p) => typeof p.point[n] === 'number'));
  if (!x) return { remove };
  const others = s.paramNames.filter((n) => n !== x);
  const plots = el('div', { class: 'grid' });
  section.append(plots);
  for (const ref of refs) {
    const ps = s.points.filter((p) => p.metrics[ref]?.mean != null);
    if (ps.length < 2) continue;
    const groups = new Map<string, SweepPointState[]>();
    for (const p of ps) {
      const k = others.map((n) => `${n}=${JSON.stringify(p.point[n])}`).join(', ');
      groups.set(k, [...(groups.get(k) ?? []), p]);
    }
    const lines: Line[] = [...groups].map(([k, gp], i) => {
      gp.sort((a, b) => (a.point[x] as number) - (b.point[x] as number));
      const banded = gp.some((p) => p.metrics[ref]!.ci95);
      return {
        label: (k || ref) + (banded ? ' (mean, 95% band over seeds)' : ''), color: COLORS[i % COLORS.length]!,
        xs: gp.map((p) => p.point[x] as number), ys: gp.map((p) => p.metrics[ref]!.mean),
        ...(banded ? { band: { lo: gp.map((p) => p.metrics[ref]!.ci95?.[0] ?? null), hi: gp.map((p) => p.metrics[ref]!.ci95?.[1] ?? null) } } : {}),
      };
    });
    // Clicking a point opens the runs of every point at that value of x.
    const onPick = open ? (xv: number): void => {
      const at = ps.filter((p) => p.point[x] === xv);
      const dirs = at.flatMap((p) => p.seeds.map((r) => r.dir));
      if (dirs.length) open(dirs, `${x}=${xv}`);
    } : undefined;
    charts.push(chart(plots, { title: `${ref} against ${x}`, xLabel: x, lines, logX: false, logY: 'auto', kind: 'sweep', metric: ref, dots: true, ...(onPick ? { onPick } : {}) }));
  }
  return { remove };
}

/**
 * A batched run's members: each metric's mean against step with its band (the sweep's band
 * drawing), charts kept across updates.
 */
export function membersView(box: HTMLElement): { render(m: MembersSummary): void } {
  const charts = new Map<string, Chart>();
  return {
    render(m) {
      for (const [ref, s] of Object.entries(m.metrics).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const spec = { title: `${ref} (mean, band over ${m.members} members)`, xLabel: 'step', lines: [{ label: ref, xs: s.steps, ys: s.mean, color: COLORS[0]!, band: { lo: s.lo, hi: s.hi } }], logX: false, logY: 'auto' as const, kind: 'members', metric: ref };
        const c = charts.get(ref);
        if (c) c.update(spec); else charts.set(ref, chart(box, spec));
      }
    },
  };
}
