import type { AnyNodeDef } from '../../src/node.ts';
import { causalRidge } from './causalRidge.ts';
import { costPerToken } from './costPerToken.ts';
import { gradCheck } from './gradCheck.ts';
import { iclRegression } from './iclRegression.ts';
import { qkv } from './qkv.ts';
import { ridge } from './ridge.ts';

export const attentionNodes = [causalRidge, costPerToken, gradCheck, iclRegression, qkv, ridge] satisfies AnyNodeDef[];
