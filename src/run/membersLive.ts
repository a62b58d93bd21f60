/**
 * The live summary of a member run: for every stepped scalar metric, per group of members that
 * differ only in their seed, the mean, sample sd and 95% interval over the members at each step —
 * what a dashboard draws as mean ± band while the run trains. One-off scalars get the same
 * statistics once. Statistics are the sweep summaries' (`seedStats`).
 *
 * The shape (`MembersLiveState`) is what the dashboard state and SSE feed carry as `members`:
 *
 * ```json
 * { "count": 32, "axes": { "seed": [0, 1, 2] },
 *   "groups": [{ "point": {}, "members": [0, 1, 2],
 *                "metrics": { "train.loss": { "step": [10, 20], "n": [3, 3], "mean": [0.1, 0.09],
 *                                             "sd": [0.01, 0.01], "lo": [0.08, 0.07], "hi": [0.12, 0.11] } } }] }
 * ```
 *
 * `step` is null for one-off metrics (one entry). `lo`/`hi` (and `sd`) are null where fewer than
 * two members have reported. Each series keeps at most `maxSteps` steps (thinned by halving).
 */
import type { MetricEvent } from '../record/events.ts';
import { studentTQuantile } from '../record/stats.ts';
import type { MemberOverrides } from './members.ts';

export interface MemberSeries {
  step: (number | null)[];
  n: number[];
  mean: (number | null)[];
  sd: (number | null)[];
  lo: (number | null)[];
  hi: (number | null)[];
}

export interface MembersLiveState {
  count: number;
  axes: Record<string, unknown[]>;
  groups: { point: MemberOverrides; members: number[]; metrics: Record<string, MemberSeries> }[];
}

export interface MembersLive {
  /** Take one event (events without `member` and non-scalar values are ignored). */
  add(e: MetricEvent): void;
  snapshot(): MembersLiveState;
}

/** `overrides` of each member (seed included when set); members whose overrides differ only in `seed` form one group. */
export function membersLive(overrides: readonly MemberOverrides[], axes: Record<string, unknown[]>, maxSteps = 2000): MembersLive {
  const groupOf: number[] = [];
  // The t quantile by sample size: a snapshot asks for it at every step of every series.
  const tq = new Map<number, number>();
  const t975 = (n: number): number => tq.get(n) ?? tq.set(n, studentTQuantile(0.975, n - 1)).get(n)!;
  const groups: { point: MemberOverrides; members: number[]; values: Map<string, Map<number | null, number[]>> }[] = [];
  overrides.forEach(({ seed: _seed, ...point }, k) => {
    const key = JSON.stringify(Object.entries(point));
    let g = groups.findIndex((x) => JSON.stringify(Object.entries(x.point)) === key);
    if (g < 0) g = groups.push({ point, members: [], values: new Map() }) - 1;
    groups[g]!.members.push(k);
    groupOf[k] = g;
  });
  return {
    add(e) {
      if (e.member === undefined || typeof e.value !== 'number' || groupOf[e.member] === undefined) return;
      const byStep = groups[groupOf[e.member]!]!.values;
      const ref = `${e.node}.${e.name}`;
      let steps = byStep.get(ref);
      if (!steps) byStep.set(ref, (steps = new Map()));
      const at = steps.get(e.step);
      if (at) at.push(e.value);
      else {
        steps.set(e.step, [e.value]);
        // Bounded memory: past maxSteps, drop every other step (the newest is kept).
        if (steps.size > maxSteps) [...steps.keys()].slice(0, -1).forEach((s, i) => { if (i % 2 === 1) steps!.delete(s); });
      }
    },
    snapshot() {
      return {
        count: overrides.length,
        axes,
        groups: groups.map((g) => ({
          point: g.point,
          members: g.members,
          metrics: Object.fromEntries([...g.values].map(([ref, steps]) => {
            const s: MemberSeries = { step: [], n: [], mean: [], sd: [], lo: [], hi: [] };
            for (const [step, all] of steps) {
              // As the sweep summaries (seedStats): finite values only, sample sd, mean ± t·sd/√n.
              const xs = all.filter(Number.isFinite), n = xs.length;
              const mean = n ? xs.reduce((a, x) => a + x, 0) / n : null;
              const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean!) ** 2, 0) / (n - 1)) : null;
              const half = sd === null ? null : t975(n) * sd / Math.sqrt(n);
              s.step.push(step); s.n.push(n); s.mean.push(mean); s.sd.push(sd);
              s.lo.push(half === null ? null : mean! - half); s.hi.push(half === null ? null : mean! + half);
            }
            return [ref, s];
          })),
        })),
      };
    },
  };
}
