/** Types of the `optim` family (types only): the optimizer description optimizer nodes emit. */

export type OptimizerKind = 'adam' | 'adamw' | 'sgd';
export type Schedule = 'constant' | 'cosine';

/** What an optimizer node emits on its `out` port. */
export interface OptimizerSpec {
  kind: OptimizerKind;
  lr: number;
  schedule: Schedule;
  /** Linear warm-up steps from 0 to lr (0: none). */
  warmup: number;
  /** Final learning rate of the cosine schedule, as a fraction of lr. */
  minLrFrac: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  momentum: number;
}

declare module '../../src/node.ts' {
  interface PortTypes {
    optimizer: OptimizerSpec;
  }
}
