/**
 * Define your own node and attach it to a library trainer's stream.
 *
 * `my.productNorm` reads each snapshot of a linear network and reports ‖W2W1‖_F; it runs every
 * 25 steps (`every`) while `linear.train` trains. Files go to runs/example-custom-node/.
 *
 *   node --import tsx examples/custom-node.ts
 */
import { rmSync } from 'node:fs';
import { consoleSink, defaultSinks, defineNode, graph, registerNodes, runGraph, selectBackend } from '../src/index.ts';
import { matmul } from '@eigenflow/linalg';
import { registerAllNodes } from '../nodes/index.ts';

const productNorm = defineNode({
  type: 'my.productNorm',
  doc: 'Frobenius norm of the network map W2W1.',
  params: {},
  inputs: { weights: { type: 'linearWeights', doc: 'a linear-network snapshot' } },
  outputs: {},
  metrics: { product_norm: { kind: 'scalar', doc: '‖W2·W1‖_F' } },
  run: ({ inputs, ctx }) => {
    const p = matmul(inputs.weights.W2, inputs.weights.W1);
    ctx.metric('product_norm', Math.hypot(...p.data));
    return {};
  },
});

registerAllNodes();
registerNodes([productNorm]);
await selectBackend('wasm');

const spec = graph('example-custom-node', { steps: 100 })
  .node('task', 'linear.whitenedTask', { ni: 3, no: 3, seed: 2 })
  .node('init', 'linear.balancedInit', { ni: 3, nh: 3, no: 3, lambda: 0, scale: 0.1, aligned: false, seed: 2 }, { task: 'task.task' })
  .node('train', 'linear.train', { lr: 0.05, steps: '$steps' }, { weights: 'init.weights', task: 'task.task' })
  .node('norm', productNorm, {}, { weights: 'train.snapshot' }, { every: 25 })
  .plot({ title: 'Norm of W2W1', y: ['norm.product_norm'] })
  .build();

const outDir = 'runs/example-custom-node';
rmSync(outDir, { recursive: true, force: true });
const result = await runGraph(spec, { seed: 2, outDir, sinks: [...defaultSinks(outDir, spec), consoleSink()] });
const norms = result.events.filter((e) => e.name === 'product_norm').map((e) => `${e.step}: ${(e.value as number).toFixed(4)}`);
console.log(`‖W2W1‖_F every 25 steps → ${norms.join(', ')}`);
console.log(`status ${result.status}; files in ${outDir}`);
