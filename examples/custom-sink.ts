/**
 * Compose an experiment in TypeScript and pipe its metrics to your own code.
 *
 * A λ-balanced two-layer linear network trained by gradient descent, next to its exact solution;
 * the metrics stream through RxJS operators into a custom sink that prints a small table.
 *
 *   node --import tsx examples/custom-sink.ts
 */
import { bufferCount, filter, map } from 'rxjs';
import { graph, observeRun, runGraph, selectBackend, type MetricEvent } from '../src/index.ts';
import { registerAllNodes } from '../nodes/index.ts';

registerAllNodes();
await selectBackend('wasm');

const spec = graph('example-linear', { lambda: 2, lr: 0.02, steps: 150 })
  .node('task', 'linear.whitenedTask', { ni: 4, no: 4, seed: 1 })
  .node('init', 'linear.balancedInit', { ni: 4, nh: 4, no: 4, lambda: '$lambda', scale: 0.05, aligned: true, seed: 1 }, { task: 'task.task' })
  .node('train', 'linear.train', { lr: '$lr', steps: '$steps' }, { weights: 'init.weights', task: 'task.task' })
  .node('exact', 'linear.alignedExact', { lr: '$lr', steps: '$steps', solution: 'lambda' }, { weights: 'init.weights', task: 'task.task' })
  .node('deviation', 'linear.lossDeviation', {}, { empirical: 'train.losses', analytic: 'exact.losses' })
  .build();

// 1. A sink is any function (or RxJS Observer, or {write, close} object).
const losses = new Map<number, { gd?: number; exact?: number }>();
const tableSink = (e: MetricEvent): void => {
  if (e.name !== 'loss' || e.step === null || e.step % 30 !== 0) return;
  const row = losses.get(e.step) ?? {};
  if (e.node === 'train') row.gd = e.value as number;
  if (e.node === 'exact') row.exact = e.value as number;
  losses.set(e.step, row);
};
const result = await runGraph(spec, { seed: 1, sinks: [tableSink] });
console.log('step   GD loss    exact loss');
for (const [step, { gd, exact }] of [...losses].sort((a, b) => a[0] - b[0])) {
  console.log(`${String(step).padStart(4)}   ${gd?.toFixed(5)}    ${exact?.toFixed(5)}`);
}
console.log(`status: ${result.status}; analytic_deviation = ${(result.last['deviation.analytic_deviation'] as number).toExponential(3)}`);

// 2. The run is also a cold Observable: compose it with RxJS operators; unsubscribing cancels it.
const means: number[] = [];
await new Promise<void>((resolve, reject) => {
  observeRun(spec, { seed: 1 }).pipe(
    filter((e) => e.node === 'train' && e.name === 'loss'),
    map((e) => e.value as number),
    bufferCount(50),
    map((chunk) => chunk.reduce((a, b) => a + b, 0) / chunk.length),
  ).subscribe({ next: (m) => means.push(m), error: reject, complete: resolve });
});
console.log(`mean GD loss per 50 steps: ${means.map((m) => m.toFixed(4)).join(', ')}`);
