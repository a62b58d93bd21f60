/**
 * Does a probe attached to a training stream every k steps cost only its own compute?
 *
 *   node --import tsx bench/probeOverhead.ts [--steps 600] [--every 1,5,25,100]
 *
 * Runs the 2-layer ReLU trainer of graphs/htsr-alphareq.json alone, then with its six probes
 * (HTSR of W1, W2; α-ReQ of hidden and output features; the seed-004 bound of both layers)
 * lifted with `every: k`. The probes' own cost is measured separately (runNode on one snapshot,
 * mean of 20 calls) and the extra wall time is compared with (steps/k) × that cost.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parseGraph, runGraph, getNode } from '../src/index.ts';
import { runNode } from '../src/testing.ts';
import { registerAllNodes } from '../nodes/index.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const steps = Number(arg('steps', '600'));
const everies = arg('every', '1,5,25,100').split(',').map(Number);
await tf.setBackend('wasm'); await tf.ready();
registerAllNodes();

const trainer = { type: 'gen.reluNetTrainer', params: { n: 512, d: 32, m: 128, c: 32, steps } };
const probes: Record<string, { type: string; inputs: Record<string, string>; params?: Record<string, unknown> }> = {
  htsr_w1: { type: 'spectral.htsr', inputs: { w: 'train.w1' } },
  htsr_w2: { type: 'spectral.htsr', inputs: { w: 'train.w2' } },
  req_hidden: { type: 'spectral.alphaReq', inputs: { features: 'train.hidden' } },
  req_out: { type: 'spectral.alphaReq', inputs: { features: 'train.out' }, params: { lo: 1, hi: 100 } },
  layer1: { type: 'spectral.productBound', inputs: { x: 'train.x', w: 'train.w1', y: 'train.pre' } },
  layer2: { type: 'spectral.productBound', inputs: { x: 'train.hidden', w: 'train.w2', y: 'train.out' } },
};

async function timed(every: number | null): Promise<number> {
  const nodes: Record<string, unknown> = { train: trainer };
  if (every !== null) for (const [id, p] of Object.entries(probes)) nodes[id] = { ...p, every };
  const spec = parseGraph({ name: 'overhead', nodes });
  const t = performance.now();
  const r = await runGraph(spec, { seed: 1, outDir: null, collect: false });
  if (r.status !== 'completed') throw new Error(`run ${r.status}: ${r.error}`);
  return (performance.now() - t) / 1000;
}

// The probes' own cost on one snapshot (steps 1 of a short run).
let snapshot: Record<string, tf.Tensor> = {};
runNode(getNode('gen.reluNetTrainer')!, { params: { ...trainer.params, steps: 1 }, seed: 1, onStep: (s) => { snapshot = Object.fromEntries(Object.entries(s.out!).map(([k, v]) => [k, (v as tf.Tensor).clone()])); } });
let perCall = 0;
for (const p of Object.values(probes)) {
  const inputs = Object.fromEntries(Object.entries(p.inputs).map(([port, ref]) => [port, snapshot[ref.split('.')[1]!]]));
  // mean over 20 calls after 2 warm-ups: allocation and GC are part of a probe's own cost
  const call = () => runNode(getNode(p.type)!, { inputs, params: p.params ?? {} }).dispose();
  call(); call();
  const t = performance.now();
  for (let r = 0; r < 20; r++) call();
  perCall += (performance.now() - t) / 20 / 1000;
}
tf.dispose(Object.values(snapshot));

await timed(null); // warm-up
const base = Math.min(await timed(null), await timed(null));
console.log(`trainer alone, ${steps} steps: ${base.toFixed(2)} s (${(steps / base).toFixed(0)} steps/s); six probes on one snapshot: ${(perCall * 1000).toFixed(1)} ms`);
console.log('every  runs  wall(s)  extra(s)  expected=(runs×probe)(s)  extra/expected');
for (const k of everies) {
  const wall = Math.min(await timed(k), await timed(k));
  const runs = Math.floor(steps / k), expected = runs * perCall;
  console.log(`${String(k).padStart(5)}  ${String(runs).padStart(4)}  ${wall.toFixed(2).padStart(7)}  ${(wall - base).toFixed(2).padStart(8)}  ${expected.toFixed(2).padStart(24)}  ${((wall - base) / expected).toFixed(2).padStart(14)}`);
}
