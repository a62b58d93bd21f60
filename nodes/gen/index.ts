/** Matrix generators: Gaussian, rank-k products, elementwise φ, seed 002/004 samplers, a small trainer. */
import type { AnyNodeDef } from '../../src/node.ts';
import { gaussian } from './gaussian.ts';
import { lowRank } from './lowRank.ts';
import { elementwise } from './elementwise.ts';
import { nonlinearLowRank } from './nonlinearLowRank.ts';
import { linearModel } from './linearModel.ts';
import { reluNetTrainer } from './reluNetTrainer.ts';

export const genNodes = [gaussian, lowRank, elementwise, nonlinearLowRank, linearModel, reluNetTrainer] satisfies AnyNodeDef[];
