/**
 * Members benchmark: the batched CiS trainer (optim.trainResidualMLP with `members`, as
 * `eigenflow run graphs/cis-noise.json --members seed=0:M-1` runs it) against JAX jit + vmap over
 * the same number of models (bench/cisMembersJax.py), alternating rounds, best of each.
 * Default: the small setting n = 20, m = 10, p = 0.1, batch 1024, Adam 3e-3, Wn = I.
 *
 *   node --import tsx bench/cisMembers.ts [members=32] [steps=1000]      (ROUNDS=2; N, M, P, B to resize)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select.ts';
import { runNode } from '../src/testing.ts';
import { adam } from '../nodes/optim/adam.ts';
import { residualMLP } from '../nodes/models/residualMLP.ts';
import { trainResidualMLP } from '../nodes/optim/trainResidualMLP.ts';

const members = Number(process.argv[2] ?? 32), steps = Number(process.argv[3] ?? 1000);
const n = Number(process.env.N ?? 20), m = Number(process.env.M ?? 10), p = Number(process.env.P ?? 0.1), batch = Number(process.env.B ?? 1024);

function eigenflowModelStepsPerSecond(): number {
  const each = Array.from({ length: members }, (_, k) => ({ seed: k }));
  const wn = tf.tidy(() => tf.tile(tf.expandDims(tf.eye(n)), [members, 1, 1]));
  const init = runNode(residualMLP, { members: each, params: { m }, inputs: { wn } });
  const optimizer = runNode(adam, { params: { lr: 3e-3 } }).outputs.out;
  const t0 = performance.now();
  const r = runNode(trainResidualMLP, {
    members: each, params: { steps, batch, snapshotEvery: 0 },
    inputs: { model: init.outputs.out, data: each.map(() => ({ n, p, lo: -1, hi: 1 })), optimizer: each.map(() => optimizer) },
  });
  const dt = (performance.now() - t0) / 1000;
  r.dispose(); init.dispose(); wn.dispose();
  return (members * steps) / dt;
}

function jaxModelStepsPerSecond(): number | null {
  const script = fileURLToPath(new URL('./cisMembersJax.py', import.meta.url));
  try {
    const out = execFileSync('python3', [script, String(members), String(steps), String(n), String(m), String(p), String(batch)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return (JSON.parse(out.trim().split('\n').pop()!) as { model_steps_per_s: number }).model_steps_per_s;
  } catch {
    return null;
  }
}

// The backend as `eigenflow run` selects it (with eigenflow's BatchMatMul kernel on wasm).
const backend = await selectBackend(process.env.BACKEND ?? 'wasm');
let ours = 0, jax: number | null = null;
for (let r = 0; r < Number(process.env.ROUNDS ?? 2); r++) {
  ours = Math.max(ours, eigenflowModelStepsPerSecond());
  const j = jaxModelStepsPerSecond();
  if (j !== null) jax = Math.max(jax ?? 0, j);
}
console.log(`CiS n=${n} m=${m} p=${p} batch=${batch}, ${members} members, ${steps} steps`);
console.log(`eigenflow (${JSON.stringify(backend)}, batched trainer): ${ours.toFixed(0)} model-steps/s`);
console.log(jax === null ? 'JAX unavailable (python3 -c "import jax"): no ratio' : `JAX jit+vmap: ${jax.toFixed(0)} model-steps/s; ratio eigenflow / JAX: ${(ours / jax).toFixed(2)}×`);
