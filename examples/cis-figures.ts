/**
 * Figures for docs/cis.md from `eigenflow sweep` outputs of graphs/cis-noise.json:
 *
 *   node --import tsx examples/cis-figures.ts SIGMA_SWEEP_DIR [LOWRANK_SWEEP_DIR...] OUT_DIR
 *
 * SIGMA_SWEEP_DIR comes from `--grid sigma=… --grid wn=asymmetric,symmetric` (optionally `--grid seed=…`,
 * averaged); LOWRANK_SWEEP_DIRs from `--set wn=lowrank --grid rank=… --grid alpha=…`. Writes
 * cis-goldilocks.svg (eval loss / naive loss against σ, naive line at 1, best low-rank point as a
 * reference line) and cis-erank.svg (effective rank of the residual target against σ).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { linePlot, type Series } from '../src/index.ts';

interface Row { point: Record<string, unknown>; status: string; metrics: Record<string, number> }
const args = process.argv.slice(2);
const out = args.pop()!;
const [sigmaDir, ...lowDirs] = args;
const rows = (dir: string): Row[] => (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).rows as Row[]).filter((r) => r.status === 'completed');

function bySigma(metric: (r: Row) => number): Map<string, [number, number][]> {
  const acc = new Map<string, Map<number, number[]>>();
  for (const r of rows(sigmaDir!)) {
    const wn = String(r.point.wn), s = Number(r.point.sigma);
    if (!acc.has(wn)) acc.set(wn, new Map());
    const m = acc.get(wn)!;
    m.set(s, [...(m.get(s) ?? []), metric(r)]);
  }
  return new Map([...acc].map(([wn, m]) => [wn, [...m].sort((a, b) => a[0] - b[0]).map(([s, v]) => [s, v.reduce((a, b) => a + b, 0) / v.length] as [number, number])]));
}

mkdirSync(out, { recursive: true });
// Reference levels as two-point lines over the σ range (so the axes include them).
const sigmas = rows(sigmaDir!).map((r) => Number(r.point.sigma));
const level = (label: string, y: number): Series => ({ label, points: [[Math.min(...sigmas), y], [Math.max(...sigmas), y]] });
const ratio = (r: Row) => r.metrics['eval.eval_loss']! / r.metrics['naive.naive_loss']!;
const series: Series[] = [...bySigma(ratio)].map(([wn, points]) => ({ label: `${wn} noise`, points, dots: true }));
series.push(level('naive loss', 1));
const low = lowDirs.flatMap(rows).filter((r) => r.point.wn === undefined || r.point.wn === 'lowrank');
if (low.length) {
  // Mean over seeds per (rank, alpha); the best group is drawn.
  const groups = new Map<string, number[]>();
  for (const r of low) {
    const tag = r.point.rank !== undefined ? ` r=${r.point.rank} α=${r.point.alpha}` : '';
    groups.set(tag, [...(groups.get(tag) ?? []), ratio(r)]);
  }
  const [tag, vals] = [...groups].map(([t, v]) => [t, v.reduce((a, b) => a + b, 0) / v.length] as const).reduce((a, b) => (a[1] < b[1] ? a : b));
  series.push(level(`best low rank I + αUUᵀ${tag}`, vals));
}
writeFileSync(join(out, 'cis-goldilocks.svg'), linePlot({ title: 'Eval loss / naive loss against noise σ', series, xLabel: 'σ', yLabel: 'eval loss / naive loss' }));

const erank: Series[] = [...bySigma((r) => r.metrics['target.erank_pr']!)].map(([wn, points]) => ({ label: `relu(x) − Wn x, ${wn}`, points, dots: true }));
const reluRank = rows(sigmaDir!)[0]!.metrics['target.relu_erank_pr']!;
erank.push(level('relu(x)', reluRank));
writeFileSync(join(out, 'cis-erank.svg'), linePlot({ title: 'Effective rank (Σσ)²/Σσ² of the residual target', series: erank, xLabel: 'σ', yLabel: 'participation-ratio rank', logY: false }));
console.log(`wrote ${out}/cis-goldilocks.svg, ${out}/cis-erank.svg`);
