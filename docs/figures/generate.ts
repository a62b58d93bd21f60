/**
 * The figures of the README's "Figures" section, one of each plot kind, from the graphs' own plot
 * declarations (plus one sweep figure with a 95% band over seeds), as SVG and — when the optional
 * `@resvg/resvg-js` is installed — PNG beside it.
 *
 *   node --import tsx docs/figures/generate.ts [--out docs/figures]
 *
 * About 15 s on 2 cores: three short runs and 20 small SSM runs.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { defaultSinks, linePlot, loadGraph, runGraph, svgToPng, withOverrides, type Series } from '../../src/index.ts';
import { registerAllNodes } from '../../nodes/index.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const out = arg('out', 'docs/figures');
await tf.setBackend('wasm'); await tf.ready();
registerAllNodes();

const tmp = mkdtempSync(join(tmpdir(), 'eigenflow-figures-'));
const save = (name: string, svg: string): void => {
  writeFileSync(join(out, `${name}.svg`), svg);
  const png = svgToPng(svg);
  if (png) writeFileSync(join(out, `${name}.png`), png);
  console.log(`${out}/${name}.svg${png ? ' (+ .png)' : ''}`);
};

/** Run a graph with its declared plots and keep one of them. */
async function declared(graph: string, overrides: Record<string, unknown>, plotFile: string, name: string, seed = 0): Promise<void> {
  const dir = join(tmp, name);
  const spec = withOverrides(loadGraph(graph), overrides);
  const r = await runGraph(spec, { seed, outDir: dir, sinks: defaultSinks(dir, spec), collect: false });
  if (r.status !== 'completed') throw new Error(`${graph}: ${r.status} ${r.error}`);
  save(name, readFileSync(join(dir, 'plots', `${plotFile}.svg`), 'utf8'));
  copyFileSync(join(dir, 'plots', `${plotFile}.svg`), join(tmp, `${name}.svg`));
}

try {
  await declared('graphs/linear-aligned.json', {}, 'task-mode-singular-values-gd-vs-closed-form', 'line-gd-vs-exact-modes');
  await declared('graphs/linear-aligned.json', {}, 'loss-gd-vs-closed-form', 'line-log-loss-gd-vs-exact');
  await declared('graphs/purification.json', {}, 'singular-values-of-x', 'spectrum-purification');
  await declared('graphs/linear-semantic.json', {}, 'input-representation-w1-w1-at-convergence', 'heatmap-semantic-w1');
  await declared('graphs/ssm-kernel.json', { kind: 'dplr', n: 8, L: 64, seed: 2 }, 'kernel', 'series-ssm-kernel-dplr', 2);

  // A sweep figure with an uncertainty band: |FFT convolution − recurrence| against L, over 5 random DPLR systems.
  const Ls = [16, 32, 64, 128], seeds = [0, 1, 2, 3, 4];
  const points: [number, number][] = [], band: [number, number, number][] = [];
  for (const L of Ls) {
    const errs: number[] = [];
    for (const seed of seeds) {
      const r = await runGraph(withOverrides(loadGraph('graphs/ssm-kernel.json'), { kind: 'dplr', n: 8, L, seed }), { seed, outDir: null });
      if (r.status !== 'completed') throw new Error(`ssm-kernel L=${L} seed=${seed}: ${r.status} ${r.error}`);
      const e = r.events.find((ev) => ev.node === 'conv_vs_recurrence' && typeof ev.value === 'number');
      errs.push(e!.value as number);
    }
    const mean = errs.reduce((a, b) => a + b, 0) / errs.length;
    const sd = Math.sqrt(errs.reduce((a, b) => a + (b - mean) ** 2, 0) / (errs.length - 1));
    const half = 2.776 * sd / Math.sqrt(errs.length); // t(0.975, 4 degrees of freedom)
    points.push([L, mean]);
    band.push([L, Math.max(mean - half, Math.min(...errs)), mean + half]);
  }
  const series: Series[] = [{ label: 'mean over 5 systems (95% band)', points, band, dots: true }];
  save('sweep-band-ssm-conv-error', linePlot({ title: 'FFT convolution vs recurrence, DPLR n = 8', series, xLabel: 'L', yLabel: 'max |y_fft − y_rec|', logX: true, logY: true }));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
