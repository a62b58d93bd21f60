import { runNode } from './src/testing.ts';
import { whitenedTask } from './nodes/linear/whitenedTask.ts';
import { balancedInit } from './nodes/linear/balancedInit.ts';
import { train } from './nodes/linear/train.ts';
import { alignedExact } from './nodes/linear/alignedExact.ts';
import { riccatiExact } from './nodes/linear/riccatiExact.ts';
import { lossDeviation } from './nodes/linear/lossDeviation.ts';
const dev = (lr: number, n: number, noise: number, sv: number[], aligned: boolean, lambda = 3, steps = 200) => {
  const tk = runNode(whitenedTask, { params: { ni: n, no: n, samples: noise ? 2 * n : 0, noise, singularValues: sv }, seed: 5 }).outputs.task;
  const init = runNode(balancedInit, { params: { ni: n, nh: n, no: n, lambda, aligned, scale: 0.1 }, inputs: { task: tk }, seed: 5 }).outputs.weights;
  const emp = runNode(train, { params: { lr, steps }, inputs: { weights: init, task: tk } }).outputs.losses;
  const an = runNode(aligned ? alignedExact : riccatiExact, { params: { lr, steps }, inputs: { weights: init, task: tk } }).outputs.losses;
  return (runNode(lossDeviation, { inputs: { empirical: emp, analytic: an } }).values('analytic_deviation')[0] as number).toExponential(2);
};
for (const n of [5, 10]) for (const noise of [0, 1]) for (const aligned of [true, false]) {
  console.log(n, noise, aligned, [1e-4, 1e-3, 1e-2, 3e-2].map((lr) => dev(lr, n, noise, [], aligned)).join(' '));
}
