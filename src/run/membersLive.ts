/**
 * The live summary of a member run for the dashboard: for every stepped scalar metric, the mean
 * over the members and its 95% interval at each step, so the page draws mean ± band while the
 * run trains. The statistics are the sweep summaries' (finite values only, sample sd,
 * mean ± t(0.975, n−1)·sd/√n; see src/record/stats.ts). Members that differ in more than their
 * seed are summarised per group, the group's parameters in the metric's key.
 *
 * The shape is the dashboard protocol's `MembersSummary` (src/serve/protocol.ts):
 *
 * ```json
 * { "members": 32,
 *   "metrics": { "train.loss": { "steps": [10, 20], "mean": [0.1, 0.09], "lo": [0.08, 0.07], "hi": [0.12, 0.11] },
 *                "train.loss [wn=symmetric]": { … } } }
 * ```
 *
 * `lo`/`hi` are null at a step fewer than two members have reached. Each series keeps at most
 * `maxSteps` steps (thinned by halving, the newest kept).
 */
import type { MetricEvent } from '../record/events.ts';
import { studentTQuantile } from '../record/stats.ts';
import type { Sink } from '../sinks/sink.ts';
import type { MemberOverrides } from './members.ts';

export interface MembersLiveSummary {
  members: number;
  metrics: Record<string, { steps: number[]; mean: (number | null)[]; lo: (number | null)[]; hi: (number | null)[] }>;
}

export interface MembersLive {
  /** Take one event (events without `member`, one-off and non-scalar values are ignored). */
  add(e: MetricEvent): void;
  summary(): MembersLiveSummary;
}

/** Live statistics over members with these `overrides` (members differing only in `seed` form one group). */
export function membersLive(overrides: readonly MemberOverrides[], maxSteps = 2000): MembersLive {
  const label = overrides.map(({ seed: _seed, ...point }) => Object.entries(point).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' '));
  const grouped = new Set(label).size > 1;
  /** Series key → step → the members' values at that step. */
  const values = new Map<string, Map<number, number[]>>();
  const tq = new Map<number, number>();
  const t975 = (n: number): number => tq.get(n) ?? tq.set(n, studentTQuantile(0.975, n - 1)).get(n)!;
  return {
    add(e) {
      if (e.member === undefined || e.step === null || typeof e.value !== 'number' || label[e.member] === undefined) return;
      const key = `${e.node}.${e.name}${grouped ? ` [${label[e.member]}]` : ''}`;
      let steps = values.get(key);
      if (!steps) values.set(key, (steps = new Map()));
      const at = steps.get(e.step);
      if (at) { at.push(e.value); return; }
      steps.set(e.step, [e.value]);
      if (steps.size > maxSteps) [...steps.keys()].slice(0, -1).forEach((s, i) => { if (i % 2 === 1) steps!.delete(s); });
    },
    summary() {
      const metrics: MembersLiveSummary['metrics'] = {};
      for (const [key, steps] of values) {
        const s: MembersLiveSummary['metrics'][string] = { steps: [], mean: [], lo: [], hi: [] };
        for (const [step, all] of steps) {
          const xs = all.filter(Number.isFinite), n = xs.length;
          const mean = n ? xs.reduce((a, x) => a + x, 0) / n : null;
          const half = n > 1 ? (t975(n) * Math.sqrt(xs.reduce((a, x) => a + (x - mean!) ** 2, 0) / (n - 1))) / Math.sqrt(n) : null;
          s.steps.push(step); s.mean.push(mean);
          s.lo.push(half === null ? null : mean! - half); s.hi.push(half === null ? null : mean! + half);
        }
        metrics[key] = s;
      }
      return { members: overrides.length, metrics };
    },
  };
}

/**
 * A view sink that keeps the live summary of a member run and hands it to `push` (a dashboard's
 * `members`) at most every `everyMs`, and once more when the run ends.
 */
export function membersLiveSink(overrides: readonly MemberOverrides[], push: (s: MembersLiveSummary) => void, everyMs = 500): Sink {
  const live = membersLive(overrides);
  let last = 0;
  return {
    name: 'members-live',
    mode: 'sync',
    write(e) {
      live.add(e);
      if (Date.now() - last >= everyMs) { last = Date.now(); push(live.summary()); }
    },
    close() { push(live.summary()); },
  };
}
