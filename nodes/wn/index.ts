import type { AnyNodeDef } from '../../src/node.ts';
import { asymmetric } from './asymmetric.ts';
import { identity } from './identity.ts';
import { lowrank } from './lowrank.ts';
import { residual } from './residual.ts';
import { symmetric } from './symmetric.ts';

export const wnNodes: AnyNodeDef[] = [identity, asymmetric, symmetric, lowrank, residual];
