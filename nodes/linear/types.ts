/** Types of the `linear` family (types only): the tasks and weights that travel between linear nodes. */
import type { Matrix64 } from '@eigenflow/linalg';

/** A regression data set and its correlations (columns of X and Y are samples). */
export interface LinearTask {
  name: string;
  /** ni × P inputs. */
  X: Matrix64;
  /** no × P targets. */
  Y: Matrix64;
  /** XXᵀ/P (ni × ni). */
  sxx: Matrix64;
  /** YXᵀ/P (no × ni). */
  syx: Matrix64;
  /** Tr(YYᵀ)/P. */
  trSyy: number;
}

/** Network weights. `deep`: Y = W2W1X; `shallow`: Y = W2X (W1 is the identity, untrained); relu/tanh: Y = W2 φ(W1X). */
export type LinearModel = 'deep' | 'shallow' | 'relu' | 'tanh';
export interface LinearWeights {
  model: LinearModel;
  /** nh × ni (ni × ni identity for `shallow`). */
  W1: Matrix64;
  /** no × nh (no × ni for `shallow`). */
  W2: Matrix64;
  /** GD step this snapshot was taken after (0 for an initialisation). */
  step: number;
  /** Time in units of τ (step · lr). */
  t: number;
}

declare module '../../src/node.ts' {
  interface PortTypes {
    linearTask: LinearTask;
    linearTasks: LinearTask[];
    linearWeights: LinearWeights;
  }
}
