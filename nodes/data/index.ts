import type { AnyNodeDef } from '../../src/node.ts';
import { sparseFeatures } from './sparseFeatures.ts';

export const dataNodes = [sparseFeatures] satisfies AnyNodeDef[];
