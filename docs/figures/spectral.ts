/**
 * The seed-002 figures of docs/spectral.md, made with the engine's public API: run
 * graphs/lowrank-nonlinearity.json once per φ, collect the events, draw two SVGs.
 *
 *   node --import tsx docs/figures/spectral.ts [--sizes 128,256,512,1024] [--out docs/figures]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadGraph, withOverrides, runGraph, linePlot, type Series } from '../../src/index.ts';
import { registerAllNodes } from '../../nodes/index.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const sizes = arg('sizes', '128,256,512,1024').split(',').map(Number);
const out = arg('out', 'docs/figures');
await tf.setBackend('wasm'); await tf.ready();
registerAllNodes();

const phis = ['tanh', 'relu', 'sin', 'exp', 'square'];
const erank: Series[] = [], spectra: Series[] = [];
let dense: Series | null = null;
for (const phi of phis) {
  const spec = withOverrides(loadGraph('graphs/lowrank-nonlinearity.json'), { n: sizes, phi });
  const r = await runGraph(spec, { seed: 1, outDir: null });
  if (r.status !== 'completed') throw new Error(`${phi}: ${r.status} ${r.error}`);
  const pick = (node: string, name: string) => r.events.filter((e) => e.node === node && e.name === name);
  erank.push({ label: `phi=${phi}`, points: pick('spectrum', 'erank_pr').map((e) => [e.step!, e.value as number] as const), dots: true });
  dense ??= { label: 'dense G/sqrt(n)', points: pick('dense_spectrum', 'erank_pr').map((e) => [e.step!, e.value as number] as const), dots: true };
  for (const e of pick('spectrum', 'singular_values').filter((e) => e.step === sizes[0] || e.step === sizes[sizes.length - 1])) {
    const s = (e.value as number[]).slice(0, 12).filter((v) => v > 1e-12);
    spectra.push({ label: `${phi}, n=${e.step}`, points: s.map((v, i) => [i + 1, v] as const), dots: true });
  }
  console.log(phi, pick('spectrum', 'erank_pr').map((e) => `${e.step}:${(e.value as number).toFixed(2)}`).join(' '));
}
mkdirSync(out, { recursive: true });
writeFileSync(`${out}/seed002-erank.svg`, linePlot({ title: 'erank_pr of (1/n) phi(x y^T) vs a dense Gaussian matrix', series: [...erank, dense!], xLabel: 'n', yLabel: 'erank_pr', logX: true, logY: true }));
writeFileSync(`${out}/seed002-spectra.svg`, linePlot({ title: 'top singular values of (1/n) phi(x y^T), smallest and largest n', series: spectra, xLabel: 'index', yLabel: 'singular value', logY: true }));
console.log(`wrote ${out}/seed002-erank.svg and ${out}/seed002-spectra.svg`);
