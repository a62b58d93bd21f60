import type { AnyNodeDef } from '../../src/node.ts';
import { asymmetric } from './asymmetric.ts';
import { identity } from './identity.ts';
import { lowRank } from './lowRank.ts';
import { residual } from './residual.ts';
import { symmetric } from './symmetric.ts';

export const wnNodes = [identity, asymmetric, symmetric, lowRank, residual] satisfies AnyNodeDef[];
