/** The `purify` family: linear self-supervised purification (ridge encoders of a data matrix). */
import type { AnyNodeDef } from '../../src/node.ts';
import { spectrumData } from './spectrumData.ts';
import { ridgeEncoder } from './ridgeEncoder.ts';
import { lambdaRange } from './lambdaRange.ts';
import { objective } from './objective.ts';

export const purifyNodes = [spectrumData, ridgeEncoder, lambdaRange, objective] satisfies AnyNodeDef[];
