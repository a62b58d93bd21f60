/**
 * Single-threaded vs multi-threaded tfjs-backend-wasm (src/backend/wasmThreads.ts).
 *
 *   node --import tsx bench/wasmThreads.ts [--rounds 5] [--threads 2]
 *
 * One backend per process, so every measurement is a child process; rounds alternate the order
 * (A B B A …) so a change in machine load hits both sides alike. Modes: `single` (the default
 * SIMD build), `threaded-1` (the threaded build with one thread: its own overhead), `threaded-N`.
 * Each child reports the median time per op; the table shows the median over rounds and the
 * ratio single / mode (> 1: faster than single-threaded). The load average is printed, because
 * on a shared 2-core machine other processes take the cores a thread pool needs.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initWasmThreads } from '../src/backend/wasmThreads.ts';

type Timings = Record<string, number>;

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2; };

function timeOp(fn: () => void, minMs: number, minReps: number): number {
  fn(); fn(); // warm-up (operator creation, caches)
  const times: number[] = [];
  const end = performance.now() + minMs;
  while (times.length < minReps || performance.now() < end) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

function matmulCase(m: number, k: number, n: number, transposeA = false): () => void {
  const a = tf.randomNormal(transposeA ? [k, m] : [m, k], 0, 1, 'float32', 1), b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  return () => { const c = tf.matMul(a, b, transposeA); c.dataSync(); c.dispose(); };
}

/**
 * matMul whose gradient avoids transposed matMuls: the wasm kernel sends any transposeA/B
 * product to a scalar triple loop (slow_batch_matmul, never threaded); tf.transpose + a plain
 * matMul stays on XNNPACK.
 */
const mmNoTransposeGrad = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: (ts: tf.Tensor[]) => void) => {
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.matMul(dy as tf.Tensor2D, tf.transpose(saved[1]!) as tf.Tensor2D), tf.matMul(tf.transpose(saved[0]!) as tf.Tensor2D, dy as tf.Tensor2D)],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** One SGD step of a 2-hidden-layer ReLU MLP (batch 256, 100 → 256 → 256 → 10, squared loss). */
function mlpCase(mm: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor = (a, b) => tf.matMul(a, b)): () => void {
  const x = tf.randomNormal([256, 100], 0, 1, 'float32', 3), y = tf.randomNormal([256, 10], 0, 1, 'float32', 4);
  const w = [tf.variable(tf.randomNormal([100, 256], 0, 0.1, 'float32', 5)), tf.variable(tf.randomNormal([256, 256], 0, 0.06, 'float32', 6)),
    tf.variable(tf.randomNormal([256, 10], 0, 0.06, 'float32', 7))];
  const opt = tf.train.sgd(1e-3);
  return () => {
    const loss = opt.minimize(() => {
      const h1 = tf.relu(mm(x, w[0]!)), h2 = tf.relu(mm(h1, w[1]!));
      return tf.mean(tf.square(tf.sub(mm(h2, w[2]!), y))) as tf.Scalar;
    }, true);
    loss!.dataSync();
    loss!.dispose();
  };
}

async function child(mode: string): Promise<void> {
  const threads = mode === 'single' ? 1 : Number(mode.split('-')[1]);
  const info = await initWasmThreads(threads, { threadedBuild: mode !== 'single' });
  if (info.fallback) throw new Error(`${mode}: threads did not start: ${info.fallback}`);
  const out: Timings = {
    'matMul 2048×100·100×50': timeOp(matmulCase(2048, 100, 50), 1500, 20),
    'matMul 1024²·1024²': timeOp(matmulCase(1024, 1024, 1024), 3000, 8),
    'matMul 512ᵀ·512 (transposeA: scalar path)': timeOp(matmulCase(512, 512, 512, true), 1500, 3),
    'MLP SGD step (256×100→256→256→10)': timeOp(mlpCase(), 2000, 20),
    'same, transpose-free matMul gradient': timeOp(mlpCase(mmNoTransposeGrad), 2000, 20),
  };
  process.stdout.write(JSON.stringify({ threads: info.threads, out }) + '\n');
}

function parent(): void {
  const arg = (name: string, dflt: number) => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : dflt; };
  const rounds = arg('--rounds', 5), threads = arg('--threads', 2);
  const modes = ['single', 'threaded-1', `threaded-${threads}`];
  const self = fileURLToPath(import.meta.url);
  const results: Record<string, Timings[]> = Object.fromEntries(modes.map((m) => [m, []]));
  console.log(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 ? [...modes].reverse() : modes) {
      const text = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', mode], { encoding: 'utf8' });
      const { threads: used, out } = JSON.parse(text.trim().split('\n').pop()!);
      if (mode !== 'single' && used !== Number(mode.split('-')[1])) throw new Error(`${mode} ran with ${used} threads`);
      results[mode]!.push(out);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  console.log(`load average after:  ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const cases = Object.keys(results.single![0]!);
  const rows = cases.map((c) => {
    const med = Object.fromEntries(modes.map((m) => [m, median(results[m]!.map((o) => o[c]!))]));
    const cells = modes.map((m) => `${med[m]!.toFixed(2)} ms${m === 'single' ? '' : ` (×${(med.single! / med[m]!).toFixed(2)})`}`);
    return `| ${c} | ${cells.join(' | ')} |`;
  });
  console.log(`\nmedian over ${rounds} rounds of each child's median time per op; (×r) = single / mode\n`);
  console.log(`| case | ${modes.join(' | ')} |\n| --- |${modes.map(() => ' --- |').join('')}`);
  console.log(rows.join('\n'));
}

const i = process.argv.indexOf('--child');
if (i > 0) await child(process.argv[i + 1]!);
else parent();
