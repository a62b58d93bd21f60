/**
 * Per-task loss, forgetting and rate of loss for continual learning on whitened tasks.
 * With Ŵ the network function: L_i = ½Tr(ŴŴᵀ) − Tr(ŴΣᵢᵀ) + ½Tr(Σyyᵢ) (Σxx = I), the forgetting
 * of task i while training task k after task j is F_i = L_i(t) − L_i(end of task j), and under the
 * flow dL_i/dt = Tr(dŴ/dt·(Ŵ − Σᵢ)ᵀ) with dŴ/dt = (Σ_k − Ŵ)W1ᵀW1 + W2W2ᵀ(Σ_k − Ŵ).
 */
import { matmul, type Matrix64, add, frobDot, sub } from '@eigenflow/linalg';
import type { NodeContext } from '../../src/node.ts';
import { linearLoss, type LinearTask } from './linearInternals.ts';

/** dŴ/dt under the gradient flow of task `syx`, from the representation blocks. */
export function functionVelocity(fn: Matrix64, input: Matrix64, output: Matrix64, syx: Matrix64): Matrix64 {
  const E = sub(syx, fn);
  return add(matmul(E, input), matmul(output, E));
}

/**
 * Emit task{i}_loss, task{i}_loss_rate and (for tasks already trained) task{i}_forgetting.
 * `baseline[i]` is task i's loss when the current task started (null before that).
 */
export function emitTaskMetrics(ctx: NodeContext, step: number, tasks: readonly LinearTask[], fn: Matrix64, velocity: Matrix64, baseline: readonly (number | null)[], current: number): number[] {
  const losses = tasks.map((task) => linearLoss(fn, task));
  tasks.forEach((task, i) => {
    ctx.metric(`task${i}_loss`, losses[i], step);
    ctx.metric(`task${i}_loss_rate`, frobDot(velocity, sub(fn, task.syx)), step);
    if (i < current && baseline[i] !== null) ctx.metric(`task${i}_forgetting`, losses[i] - baseline[i]!, step);
  });
  return losses;
}
