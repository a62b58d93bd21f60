/**
 * Figures for docs/cis.md from runs of graphs/cis-noise.json: eval loss / naive loss against the
 * noise σ (asymmetric and symmetric, naive line at 1, best low-rank level) and the effective rank
 * of the residual target against σ.
 *
 *   node --import tsx examples/cis-figures.ts SIGMA_SWEEP_DIR [LOWRANK_SWEEP_DIR...] OUT_DIR
 *
 * reads `eigenflow sweep` outputs (SIGMA_SWEEP_DIR from `--grid sigma=… --grid wn=asymmetric,symmetric`,
 * optionally `--grid seed=…`, averaged; LOWRANK_SWEEP_DIRs from `--set wn=lowRank --grid rank=… --grid alpha=…`).
 * Without arguments it runs a tiny grid itself through `runGraph` (the programmatic form of the
 * sweep) and writes the figures to a temporary directory.
 */
import { readFileSync, writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linePlot, loadGraph, runGraph, withOverrides, type Series } from '../src/index.ts';
import { registerAllNodes } from '../nodes/index.ts';

interface Row { point: Record<string, unknown>; status: string; metrics: Record<string, number> }

const fromSweep = (dir: string): Row[] => (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).rows as Row[]).filter((r) => r.status === 'completed');

/** Run graphs/cis-noise.json at each point (tiny size) and keep the last value of every scalar metric. */
async function runGrid(points: Record<string, unknown>[]): Promise<Row[]> {
  registerAllNodes();
  const base = loadGraph(new URL('../graphs/cis-noise.json', import.meta.url).pathname);
  const rows: Row[] = [];
  for (const point of points) {
    const r = await runGraph(withOverrides(base, { n: 12, m: 6, p: 0.1, batch: 256, steps: 200, evalSamples: 5000, ...point }), { outDir: null });
    const metrics: Record<string, number> = {};
    for (const e of r.events) if (typeof e.value === 'number') metrics[`${e.node}.${e.name}`] = e.value;
    rows.push({ point, status: r.status, metrics });
  }
  return rows;
}

let sigmaRows: Row[], lowRows: Row[], out: string;
const args = process.argv.slice(2);
if (args.length >= 2) {
  out = args.pop()!;
  sigmaRows = fromSweep(args[0]!);
  lowRows = args.slice(1).flatMap(fromSweep);
} else {
  out = mkdtempSync(join(tmpdir(), 'cis-figures-'));
  sigmaRows = await runGrid(['asymmetric', 'symmetric'].flatMap((wn) => [0.05, 0.15].map((sigma) => ({ wn, sigma }))));
  lowRows = await runGrid([{ wn: 'lowRank', rank: 2, alpha: 1 }]);
}
lowRows = lowRows.filter((r) => r.point.wn === undefined || r.point.wn === 'lowRank');

function bySigma(metric: (r: Row) => number): Map<string, [number, number][]> {
  const acc = new Map<string, Map<number, number[]>>();
  for (const r of sigmaRows) {
    const wn = String(r.point.wn), s = Number(r.point.sigma);
    if (!acc.has(wn)) acc.set(wn, new Map());
    const m = acc.get(wn)!;
    m.set(s, [...(m.get(s) ?? []), metric(r)]);
  }
  return new Map([...acc].map(([wn, m]) => [wn, [...m].sort((a, b) => a[0] - b[0]).map(([s, v]) => [s, v.reduce((a, b) => a + b, 0) / v.length] as [number, number])]));
}

mkdirSync(out, { recursive: true });
// Reference levels as two-point lines over the σ range (so the axes include them).
const sigmas = sigmaRows.map((r) => Number(r.point.sigma));
const level = (label: string, y: number): Series => ({ label, points: [[Math.min(...sigmas), y], [Math.max(...sigmas), y]] });
const ratio = (r: Row) => r.metrics['eval.eval_loss']! / r.metrics['naive.naive_loss']!;
const series: Series[] = [...bySigma(ratio)].map(([wn, points]) => ({ label: `${wn} noise`, points, dots: true }));
series.push(level('naive loss', 1));
if (lowRows.length) {
  // Mean over seeds per (rank, alpha); the best group is drawn.
  const groups = new Map<string, number[]>();
  for (const r of lowRows) {
    const tag = r.point.rank !== undefined ? ` r=${r.point.rank} α=${r.point.alpha}` : '';
    groups.set(tag, [...(groups.get(tag) ?? []), ratio(r)]);
  }
  const [tag, mean] = [...groups].map(([t, v]) => [t, v.reduce((a, b) => a + b, 0) / v.length] as const).reduce((a, b) => (a[1] < b[1] ? a : b));
  series.push(level(`best low rank I + αUUᵀ${tag}`, mean));
}
writeFileSync(join(out, 'cis-goldilocks.svg'), linePlot({ title: 'Eval loss / naive loss against noise σ', series, xLabel: 'σ', yLabel: 'eval loss / naive loss' }));

const erank: Series[] = [...bySigma((r) => r.metrics['target.erank_pr']!)].map(([wn, points]) => ({ label: `relu(x) − Wn x, ${wn}`, points, dots: true }));
erank.push(level('relu(x)', sigmaRows[0]!.metrics['target.relu_erank_pr']!));
writeFileSync(join(out, 'cis-erank.svg'), linePlot({ title: 'Effective rank (Σσ)²/Σσ² of the residual target', series: erank, xLabel: 'σ', yLabel: 'participation-ratio rank', logY: false }));
const status = [...sigmaRows, ...lowRows].every((r) => r.status === 'completed') ? 'completed' : 'failed';
console.log(`wrote ${out}/cis-goldilocks.svg, ${out}/cis-erank.svg; status: ${status}`);
