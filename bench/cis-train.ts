/**
 * CiS training-step benchmark: eigenflow's hand-written sparse step (nodes/optim/residualStep_impl.ts)
 * on tfjs-wasm against the PyTorch CPU reference (bench/cis_train_torch.py), same problem: n=100,
 * m=50, p=0.01, batch 2048, Adam lr 3e-3, Wn = I + 0.03·B, a fresh batch every step.
 *
 *   node --import tsx bench/cis-train.ts [steps]
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
import { createResidualStep } from '../nodes/optim/residualStep_impl.ts';
import { asymmetric_impl } from '../nodes/wn/wnInternals.ts';

const steps = Number(process.argv[2] ?? 2000);
const n = 100, m = 50, p = 0.01, batch = 2048;

function eigenflowStepsPerSecond(): { stepsPerS: number; loss: number } {
  const rng = deriveRng(0, 'bench');
  const std = Math.sqrt(2 / (n + m));
  const W1T = rng.fillNormal(new Float32Array(n * m), 0, std);
  const W2 = rng.fillNormal(new Float32Array(n * m), 0, std);
  const g1 = new Float32Array(n * m), g2 = new Float32Array(n * m);
  const step = createResidualStep(n, m, Float32Array.from(asymmetric_impl(n, 0.03, rng).data));
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
  step.dispose();
  return { stepsPerS: steps / dt, loss };
}

function ensureTorch(): boolean {
  const has = () => spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (has()) return true;
  console.log('installing python3-torch (apt-get)…');
  spawnSync('apt-get', ['install', '-y', 'python3-torch'], { stdio: 'inherit' });
  return has();
}

await tf.setBackend('wasm');
await tf.ready();
const ours = eigenflowStepsPerSecond();
console.log(`eigenflow (tfjs-${tf.getBackend()}, sparse hand-written step): ${ours.stepsPerS.toFixed(0)} steps/s (loss ${ours.loss.toExponential(3)})`);
if (!ensureTorch()) {
  console.log('PyTorch unavailable: no ratio');
} else {
  const script = fileURLToPath(new URL('./cis_train_torch.py', import.meta.url));
  const out = JSON.parse(execFileSync('/usr/bin/python3', [script, String(steps)], { encoding: 'utf8' }).trim().split('\n').pop()!);
  console.log(`pytorch ${out.torch} CPU (${out.threads} threads, dense autograd step): ${out.steps_per_s.toFixed(0)} steps/s (loss ${out.final_loss.toExponential(3)})`);
  console.log(`ratio eigenflow / pytorch: ${(ours.stepsPerS / out.steps_per_s).toFixed(2)}×`);
}
