import type { AnyNodeDef } from '../../src/node.ts';
import { evalLoss } from './evalLoss.ts';
import { featureResponse } from './featureResponse.ts';
import { naiveLoss } from './naiveLoss.ts';
import { residualTarget } from './residualTarget.ts';
import { snapshotLoss } from './snapshotLoss.ts';

export const cisNodes: AnyNodeDef[] = [naiveLoss, evalLoss, snapshotLoss, residualTarget, featureResponse];
