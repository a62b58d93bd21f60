import type { AnyNodeDef } from '../../src/node.ts';
import { residualMLP } from './residualMLP.ts';

export const modelsNodes = [residualMLP] satisfies AnyNodeDef[];
