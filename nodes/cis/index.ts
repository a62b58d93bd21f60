import type { AnyNodeDef } from '../../src/node.ts';
import { evalLoss } from './evalLoss.ts';
import { featureResponse } from './featureResponse.ts';
import { naiveLoss } from './naiveLoss.ts';
import { residualTarget } from './residualTarget.ts';

export const cisNodes = [naiveLoss, evalLoss, residualTarget, featureResponse] satisfies AnyNodeDef[];
