/** The `ssm` family: linear state-space models, their convolution kernels and outputs. */
import type { AnyNodeDef } from '../../src/node.ts';
import { system } from './system.ts';
import { kernel } from './kernel.ts';
import { inputSignal } from './inputSignal.ts';
import { recurrence } from './recurrence.ts';
import { fftConv } from './fftConv.ts';
import { maxAbsDiff } from './maxAbsDiff.ts';

export const ssmNodes = [system, kernel, inputSignal, recurrence, fftConv, maxAbsDiff] satisfies AnyNodeDef[];
