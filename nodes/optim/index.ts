import type { AnyNodeDef } from '../../src/node.ts';
import { adam } from './adam.ts';
import { adamw } from './adamw.ts';
import { optimizer } from './optimizer.ts';
import { sgd } from './sgd.ts';
import { trainResidualMLP } from './trainResidualMLP.ts';

export const optimNodes = [adam, adamw, optimizer, sgd, trainResidualMLP] satisfies AnyNodeDef[];
