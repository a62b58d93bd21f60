/**
 * Figures for docs/cis.md from runs of graphs/cis-noise.json: eval loss / naive loss against the
 * noise σ (asymmetric and symmetric, naive line at 1, best low-rank level) and the effective rank
 * of the residual target against σ.
 *
 *   node --import tsx docs/figures/cis.ts SIGMA_SWEEP_DIR [LOWRANK_SWEEP_DIR...] OUT_DIR
 *
 * reads `eigenflow sweep` outputs (SIGMA_SWEEP_DIR from `--grid sigma=… --grid wn=asymmetric,symmetric`,
 * optionally `--grid seed=…`, averaged; LOWRANK_SWEEP_DIRs from `--set wn=lowRank --grid rank=… --grid alpha=…`).
 * Without arguments it runs a tiny grid itself through `runGraph` (the programmatic form of the
 * sweep) and writes the figures to a temporary directory.
 */
import { writeFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linePlot, loadGraph, runGraph, withOverrides, type Series } from '../../src/index.ts';
import { summarizePoints, summarizeSweep } from '../../src/record/summary.ts';
import { loadSweep } from '../../src/record/sweepState.ts';
import { registerAllNodes } from '../../nodes/index.ts';

interface Row { point: Record<string, unknown>; status: string; metrics: Record<string, number> }

const fromSweep = (dir: string): Row[] => summarizeSweep(dir, loadSweep(dir)).rows.filter((r) => r.status === 'completed');

/** Run graphs/cis-noise.json at each point (tiny size) and keep the last value of every scalar metric. */
async function runGrid(points: Record<string, unknown>[]): Promise<Row[]> {
  registerAllNodes();
  const base = loadGraph(new URL('../../graphs/cis-noise.json', import.meta.url).pathname);
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

/** The mean of `metric` over the runs (seeds) of each (wn, σ), as σ → mean per wn (eigenflow's summarize). */
function bySigma(metric: (r: Row) => number): Map<string, [number, number][]> {
  const points = summarizePoints(sigmaRows.map((r) => ({ point: { wn: r.point.wn, sigma: Number(r.point.sigma) }, seed: null, status: r.status, metrics: { y: metric(r) } })));
  const out = new Map<string, [number, number][]>();
  for (const p of points) out.set(String(p.point.wn), [...(out.get(String(p.point.wn)) ?? []), [p.point.sigma as number, p.metrics.y!.mean!]]);
  for (const line of out.values()) line.sort((a, b) => a[0] - b[0]);
  return out;
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
  const groups = summarizePoints(lowRows.map((r) => ({ point: { rank: r.point.rank, alpha: r.point.alpha }, seed: null, status: r.status, metrics: { ratio: ratio(r) } })));
  const best = groups.reduce((a, b) => (a.metrics.ratio!.mean! < b.metrics.ratio!.mean! ? a : b));
  const tag = best.point.rank !== undefined ? ` r=${best.point.rank} α=${best.point.alpha}` : '';
  series.push(level(`best low rank I + αUUᵀ${tag}`, best.metrics.ratio!.mean!));
}
writeFileSync(join(out, 'cis-goldilocks.svg'), linePlot({ title: 'Eval loss / naive loss against noise σ', series, xLabel: 'σ', yLabel: 'eval loss / naive loss' }));

const erank: Series[] = [...bySigma((r) => r.metrics['target.erank_pr']!)].map(([wn, points]) => ({ label: `relu(x) − Wn x, ${wn}`, points, dots: true }));
erank.push(level('relu(x)', sigmaRows[0]!.metrics['target.relu_erank_pr']!));
writeFileSync(join(out, 'cis-erank.svg'), linePlot({ title: 'Effective rank (Σσ)²/Σσ² of the residual target', series: erank, xLabel: 'σ', yLabel: 'participation-ratio rank', logY: false }));
const status = [...sigmaRows, ...lowRows].every((r) => r.status === 'completed') ? 'completed' : 'failed';
console.log(`wrote ${out}/cis-goldilocks.svg, ${out}/cis-erank.svg; status: ${status}`);
