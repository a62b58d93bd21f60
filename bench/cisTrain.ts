/**
 * CiS training-step benchmark: eigenflow's hand-written sparse step (nodes/optim/residualStepInternals.ts)
 * on tfjs-wasm against the PyTorch CPU reference (bench/cisTrainTorch.py), same problem: n=100,
 * m=50, p=0.01, batch 2048, Adam lr 3e-3, Wn = I + 0.03·B, a fresh batch every step.
 *
 *   node --import tsx bench/cisTrain.ts [steps]        (ROUNDS=3 alternating rounds, best of each)
 *   TORCH_PYTHON=/path/to/python also measures that interpreter's torch (e.g. a pip wheel).
 *
 * Installs Debian's python3-torch with apt-get when /usr/bin/python3 lacks torch.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { deriveRng } from '../src/rng.ts';
import { sampleCsr } from '../nodes/data/dataInternals.ts';
import { createOptimizer, type OptimizerSpec } from '../nodes/optim/optimInternals.ts';
import { createResidualStep } from '../nodes/optim/residualStepInternals.ts';
import { asymmetricWn } from '../nodes/wn/wnInternals.ts';

const steps = Number(process.argv[2] ?? 2000);
const n = 100, m = 50, p = 0.01, batch = 2048;

function eigenflowStepsPerSecond(): { stepsPerS: number; loss: number } {
  const rng = deriveRng(0, 'bench');
  const std = Math.sqrt(2 / (n + m));
  const W1T = rng.fillNormal(new Float32Array(n * m), 0, std);
  const W2 = rng.fillNormal(new Float32Array(n * m), 0, std);
  const g1 = new Float32Array(n * m), g2 = new Float32Array(n * m);
  const step = createResidualStep(n, m, Float32Array.from(asymmetricWn(n, 0.03, rng).data));
  const spec: OptimizerSpec = { kind: 'adam', lr: 3e-3, schedule: 'constant', warmup: 0, minLrFrac: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, momentum: 0 };
  const opt = createOptimizer(spec, [n * m, n * m]);
  const data = { n, p, lo: -1, hi: 1 };
  let loss = 0;
  const one = (t: number) => {
    loss = step.lossAndGrad(sampleCsr(data, rng, batch), W1T, W2, g1, g2);
    opt.step([W1T, W2], [g1, g2], t, steps + 200);
  };
  for (let t = 1; t <= 200; t++) one(t);
  const t0 = performance.now();
  for (let t = 1; t <= steps; t++) one(200 + t);
  const dt = (performance.now() - t0) / 1000;
  return { stepsPerS: steps / dt, loss };
}

function ensureTorch(): boolean {
  const has = () => spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (has()) return true;
  console.log('installing python3-torch (apt-get)…');
  spawnSync('apt-get', ['install', '-y', 'python3-torch'], { stdio: 'inherit' });
  return has();
}

function torchStepsPerSecond(python: string, steps: number): { steps_per_s: number; final_loss: number; threads: number; torch: string } {
  const script = fileURLToPath(new URL('./cisTrainTorch.py', import.meta.url));
  return JSON.parse(execFileSync(python, [script, String(steps)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop()!);
}

await tf.setBackend('wasm');
await tf.ready();
// Alternate rounds and keep each side's best, so a busy moment on a shared machine hurts both alike.
const rounds = Number(process.env.ROUNDS ?? 3);
const peers = ensureTorch() ? ['/usr/bin/python3'] : [];
if (process.env.TORCH_PYTHON) peers.push(process.env.TORCH_PYTHON);
let best = 0, loss = 0;
const peerBest = new Map<string, { steps_per_s: number; final_loss: number; threads: number; torch: string }>();
for (let r = 0; r < rounds; r++) {
  const ours = eigenflowStepsPerSecond();
  if (ours.stepsPerS > best) { best = ours.stepsPerS; loss = ours.loss; }
  for (const py of peers) {
    const out = torchStepsPerSecond(py, Math.max(100, Math.round(steps / 10)));
    if (!peerBest.has(py) || out.steps_per_s > peerBest.get(py)!.steps_per_s) peerBest.set(py, out);
  }
}
console.log(`eigenflow (tfjs-${tf.getBackend()}, sparse hand-written step): ${best.toFixed(0)} steps/s (loss ${loss.toExponential(3)})`);
if (peers.length === 0) console.log('PyTorch unavailable: no ratio');
for (const [py, out] of peerBest) {
  console.log(`pytorch ${out.torch} CPU via ${py} (${out.threads} threads, dense autograd step): ${out.steps_per_s.toFixed(1)} steps/s (loss ${out.final_loss.toExponential(3)})`);
  console.log(`ratio eigenflow / pytorch ${out.torch}: ${(best / out.steps_per_s).toFixed(2)}×`);
}
