/**
 * tf.matMul on the wasm backend, per path (eigenflow's SIMD kernel, OpenBLAS, tfjs's XNNPACK): where BLAS starts to pay (BLAS_MIN_MACS).
 *
 * Every shape is timed on every path in the same process, alternating, best of several rounds;
 * `tᵀ` rows use transposeB (the shape of every matMul gradient). Prints GFLOP/s and the ratios.
 *
 *   node --import tsx bench/matMulPaths.ts [--rounds 5]
 */
import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { selectBackend } from '../src/backend/select.ts';
import { BLAS_MIN_MACS, registerWasmMatMul, type MatMulMode } from '../src/backend/matMulWasm.ts';
import { openSgemm } from '@eigenflow/linalg';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 5);
await selectBackend('wasm');
const probe = openSgemm();
const modes: MatMulMode[] = ['wasm', ...(probe.ok ? ['blas' as const] : []), 'xnnpack'];
if (probe.ok) probe.sgemm.close();

/** [batch, m, k, n, transposeB] */
const SHAPES: [number, number, number, number, boolean][] = [
  ...[16, 32, 48, 64, 96, 128, 192, 256, 512].flatMap((s) => [[1, s, s, s, false], [1, s, s, s, true]] as [number, number, number, number, boolean][]),
  [1, 1000, 100, 100, false], [1, 1000, 100, 100, true], [1, 100, 1000, 100, false], [1, 2048, 100, 50, false],
  [64, 64, 16, 16, false], [64, 64, 16, 16, true], [128, 16, 16, 16, false], [32, 1024, 20, 10, false], [32, 1024, 10, 20, true],
];

function msPerCall(a: tf.Tensor, b: tf.Tensor, tb: boolean): number {
  const reps = Math.max(3, Math.min(2000, Math.round(2e8 / (a.size * b.shape.at(-1)!))));
  tf.matMul(a, b, false, tb).dispose();
  const t = performance.now();
  for (let i = 0; i < reps; i++) tf.matMul(a, b, false, tb).dispose();
  return (performance.now() - t) / reps;
}

console.log(`best of ${rounds} rounds; load ${os.loadavg()[0]!.toFixed(2)}; BLAS_MIN_MACS = ${BLAS_MIN_MACS}`);
console.log(`| batch × m×k·k×n | MACs/product | ${modes.map((m) => `${m} GFLOP/s`).join(' | ')} | wasm ÷ xnnpack time |${probe.ok ? ' blas ÷ wasm time |' : ''}`);
console.log(`| --- | ---: | ${modes.map(() => '---:').join(' | ')} | ---: |${probe.ok ? ' ---: |' : ''}`);
for (const [batch, m, k, n, tb] of SHAPES) {
  const a = tf.randomNormal(batch > 1 ? [batch, m, k] : [m, k]);
  const b = tf.randomNormal(batch > 1 ? (tb ? [batch, n, k] : [batch, k, n]) : (tb ? [n, k] : [k, n]));
  const best = new Map<MatMulMode, number>();
  for (let r = 0; r < rounds; r++) for (const mode of modes) {
    registerWasmMatMul(mode);
    best.set(mode, Math.min(best.get(mode) ?? Infinity, msPerCall(a, b, tb)));
  }
  const gf = (mode: MatMulMode) => ((2 * batch * m * n * k) / best.get(mode)! / 1e6).toFixed(1);
  const ratio = (x: MatMulMode, y: MatMulMode) => (best.get(x)! / best.get(y)!).toFixed(2);
  console.log(`| ${batch > 1 ? `${batch} × ` : ''}${m}×${k}·${k}×${n}${tb ? 'ᵀ' : ''} | ${m * n * k} | ${modes.map(gf).join(' | ')} | ${ratio('wasm', 'xnnpack')} |${probe.ok ? ` ${ratio('blas', 'wasm')} |` : ''}`);
  tf.dispose([a, b]);
}
registerWasmMatMul('auto');
