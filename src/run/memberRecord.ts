/**
 * The record of a member run: each member is written as a complete run directory of its own,
 * `<run>/members/NNN/` (manifest.json with `member: {index, overrides, seed}`, metrics.jsonl,
 * metrics.csv — the member's events without the `member` field — and whatever `more(dir)` adds,
 * such as a TensorBoard event file), so `eigenflow view`, sweep summaries and TensorBoard read a
 * member like any run. When the run ends, `<run>/members.json`
 * summarises the members as a sweep's summary.json summarises its points: members that differ
 * only in their seed form one point, each metric (its last value) with mean, sd, se and 95%
 * interval over them (`summarizePoints`, the sweeps' own code).
 *
 * A member whose loss becomes NaN or infinite is `diverged` in its own manifest; the other
 * members go on (a separate run of that member would have stopped there too).
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MetricEvent } from '../record/events.ts';
import { csvSink, jsonlSink } from '../sinks/jsonl.ts';
import type { Sink, SinkClose } from '../sinks/sink.ts';
import { reduceRunMetrics, summarizePoints, type Summary, type SummaryRow } from '../record/summary.ts';
import { writeAtomic } from '../sweep/manifest.ts';
import { writeManifest, type Manifest } from '../record/manifest.ts';
import type { Member } from './members.ts';
import { divergenceCheck } from './divergence.ts';

/** `members/007`: member 7's run directory, relative to the run's. */
export const memberDir = (index: number): string => join('members', String(index).padStart(3, '0'));

/** What the parent manifest says about its members. */
export interface MembersManifest {
  /** Values per axis (for a list of overrides: each name's distinct values in order). */
  axes: Record<string, unknown[]>;
  count: number;
  /** Each member's run directory, relative to the run's, by index. */
  dirs: string[];
}

export function membersManifest(outDir: string, members: readonly Member[], dirs: readonly string[]): MembersManifest {
  const axes: Record<string, unknown[]> = {};
  for (const m of members) {
    for (const [k, v] of Object.entries(m.overrides)) {
      const seen = (axes[k] ??= []);
      if (!seen.some((x) => JSON.stringify(x) === JSON.stringify(v))) seen.push(v);
    }
  }
  return { axes, count: members.length, dirs: dirs.map((d) => relative(outDir, d)) };
}

/**
 * The record sink of a member run into `outDir`: member k's run directory `dirs[k]` (its
 * manifest from the run's, `base()`, with the member's graph, seed and status), and members.json
 * at the end.
 */
export function membersRecordSink(outDir: string, members: readonly Member[], base: () => Manifest, dirs: readonly string[], more: (dir: string) => Sink[] = () => []): Sink {
  const records = members.map((m, k) => {
    const dir = dirs[k]!;
    return { m, dir, sinks: [jsonlSink(join(dir, 'metrics.jsonl')), csvSink(join(dir, 'metrics.csv')), ...more(dir)], events: 0, diverged: null as MetricEvent | null, diverges: divergenceCheck(m.spec) };
  });
  const manifestOf = (r: (typeof records)[number], status: Manifest['status'], error: Manifest['error'], end: string | null): Manifest => ({
    ...withoutMembers(base()), graph: r.m.spec, seed: r.m.seed, status, error, end, events: r.events,
    member: { index: r.m.index, overrides: r.m.overrides, seed: r.m.seed },
  });
  return {
    name: 'members',
    mode: 'sync',
    role: 'record',
    open() {
      for (const r of records) {
        mkdirSync(r.dir, { recursive: true });
        writeManifest(r.dir, manifestOf(r, 'running', null, null));
        for (const s of r.sinks) s.open?.();
      }
    },
    write(e) {
      if (e.member === undefined) return;
      const r = records[e.member]!;
      const { member: _member, ...own } = e;
      for (const s of r.sinks) s.write(own);
      r.events++;
      if (r.diverges(e)) r.diverged ??= e;
    },
    async close(info: SinkClose) {
      const end = new Date().toISOString();
      for (const r of records) {
        const d = r.diverged;
        const status = d ? 'diverged' : info.status;
        const error = d ? { message: `${d.node}.${d.name} became ${d.value} at step ${d.step}`, node: d.node } : info.error ? { message: info.error, node: null } : null;
        for (const s of r.sinks) await s.close?.({ ...info, status, outDir: r.dir });
        writeManifest(r.dir, manifestOf(r, status, error, end));
      }
      writeAtomic(join(outDir, 'members.json'), `${JSON.stringify(membersSummary(outDir, records.map((r) => ({ m: r.m, dir: r.dir, status: r.diverged ? 'diverged' : info.status }))), null, 2)}\n`);
    },
  };
}

/** members.json: the sweep summary of the member directories (members differing only in seed form one point). */
function membersSummary(outDir: string, members: { m: Member; dir: string; status: string }[]): Summary {
  const skippedLines: Record<string, number> = {};
  const rows: SummaryRow[] = members.map(({ m, dir: abs, status }) => {
    const dir = relative(outDir, abs);
    const read = reduceRunMetrics(join(abs, 'metrics.jsonl'), { kind: 'last' });
    if (read.skippedLines) skippedLines[dir] = read.skippedLines;
    const { seed: _seed, ...point } = m.overrides;
    return { id: m.index, point, seed: m.seed, status, dir, attempts: 1, metrics: read.values };
  });
  const paramNames = [...new Set(rows.flatMap((r) => Object.keys(r.point)))];
  return { graph: members[0]!.m.spec.name, reduction: 'last', paramNames, points: summarizePoints(rows), rows, skippedLines };
}

const withoutMembers = ({ members: _members, ...rest }: Manifest): Manifest => rest;
