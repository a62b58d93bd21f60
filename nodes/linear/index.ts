/** The linear-network family (issue 5): λ-balanced linear networks, empirical and exact. */
import type { AnyNodeDef } from '../../src/node.ts';
import { alignedExact } from './alignedExact.ts';
import { balance } from './balance.ts';
import { balancedInit } from './balancedInit.ts';
import { convergence } from './convergence.ts';
import { gaussianInit } from './gaussianInit.ts';
import { gradientFlow } from './gradientFlow.ts';
import { lossDeviation } from './lossDeviation.ts';
import { ntk } from './ntk.ts';
import { representations } from './representations.ts';
import { riccatiExact } from './riccatiExact.ts';
import { rsm } from './rsm.ts';
import { semanticTask } from './semanticTask.ts';
import { singularValues } from './singularValues.ts';
import { taskScore } from './taskScore.ts';
import { taskSequence } from './taskSequence.ts';
import { train } from './train.ts';
import { trainSequence } from './trainSequence.ts';
import { whitenedTask } from './whitenedTask.ts';

export const linearNodes = [
  alignedExact, balance, balancedInit, convergence, gaussianInit, gradientFlow, lossDeviation, ntk, representations,
  riccatiExact, rsm, semanticTask, singularValues, taskScore, taskSequence, train, trainSequence, whitenedTask,
] satisfies AnyNodeDef[];
