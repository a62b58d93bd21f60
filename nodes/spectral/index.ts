/** Spectral probes: spectra, effective ranks, HTSR, α-ReQ, Marchenko–Pastur, seed 004's bound. */
import type { AnyNodeDef } from '../../src/node.ts';
import { singularValues } from './singularValues.ts';
import { eigenvalues } from './eigenvalues.ts';
import { htsr } from './htsr.ts';
import { alphaReq } from './alphaReq.ts';
import { marchenkoPastur } from './marchenkoPastur.ts';
import { productBound } from './productBound.ts';

export const spectralNodes: AnyNodeDef[] = [singularValues, eigenvalues, htsr, alphaReq, marchenkoPastur, productBound];
