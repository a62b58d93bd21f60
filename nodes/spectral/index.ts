/** Spectral probes: spectra, effective ranks, HTSR, α-ReQ, Marchenko–Pastur, seed 004's bound, per-layer weight reports. */
import type { AnyNodeDef } from '../../src/node.ts';
import { singularValues } from './singularValues.ts';
import { eigenvalues } from './eigenvalues.ts';
import { htsr } from './htsr.ts';
import { alphaReq } from './alphaReq.ts';
import { marchenkoPastur } from './marchenkoPastur.ts';
import { productBound } from './productBound.ts';
import { weightsReport } from './weightsReport.ts';
import { layerReport } from './layerReport.ts';

export const spectralNodes = [singularValues, eigenvalues, htsr, alphaReq, marchenkoPastur, productBound, weightsReport, layerReport] satisfies AnyNodeDef[];
