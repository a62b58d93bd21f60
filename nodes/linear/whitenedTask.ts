import { defineNode } from '../../src/node.ts';
import { defaultSpectrum, randomSyx, regressionTask, whitenedInputs } from './taskInternals.ts';

/**
 * A random regression task with whitened inputs (XXᵀ/P = I exactly), optional target noise
 * orthogonal to the inputs (a loss floor that leaves Σyx exact) and an
 * input–output correlation Σyx = ŨS̃Ṽᵀ with chosen singular values and Haar-random Ũ, Ṽ.
 *
 * ## Example
 * `"task": {"type": "linear.whitenedTask", "params": {"ni": 5, "no": 5, "singularValues": [3, 2, 1, 0.5, 0.25]}}`
 */
export const whitenedTask = defineNode({
  type: 'linear.whitenedTask',
  doc: 'Random whitened regression task Y = ΣyxX with chosen singular values of Σyx.',
  params: {
    ni: { type: 'int', doc: 'input dimension', min: 1 },
    no: { type: 'int', doc: 'output dimension', min: 1 },
    samples: { type: 'int', doc: 'number of samples P (0: P = ni, or 2·ni when noise > 0)', default: 0, min: 0 },
    singularValues: { type: 'numbers', doc: 'singular values of Σyx, at most min(ni, no) (empty: geometric 3 → 0.5)', default: [], min: 0 },
    noise: { type: 'number', doc: 'std of target noise orthogonal to the inputs (a loss floor; needs samples > ni)', default: 0, min: 0 },
    seed: { type: 'int', doc: 'extra seed mixed into the node stream', default: 0 },
  },
  inputs: {},
  outputs: { task: { type: 'linearTask', doc: 'the task (X, Y, Σxx = I, Σyx)' } },
  metrics: {},
  check: (p) => {
    const errs: string[] = [];
    if (p.singularValues.length > Math.min(p.ni, p.no)) errs.push(`singularValues has ${p.singularValues.length} values but min(ni, no) = ${Math.min(p.ni, p.no)}`);
    if (p.samples !== 0 && p.samples < p.ni) errs.push(`samples must be ≥ ni to whiten the inputs (got samples=${p.samples}, ni=${p.ni})`);
    if (p.noise > 0 && p.samples !== 0 && p.samples <= p.ni) errs.push(`noise > 0 needs samples > ni (noise is kept orthogonal to the inputs), got samples=${p.samples}, ni=${p.ni}`);
    return errs;
  },
  run({ params, ctx }) {
    const rng = ctx.rng.fork(`seed:${params.seed}`);
    const k = Math.min(params.ni, params.no);
    const s = params.singularValues.length ? params.singularValues : defaultSpectrum(k);
    const X = whitenedInputs(params.ni, params.samples || (params.noise > 0 ? 2 * params.ni : params.ni), rng);
    return { task: regressionTask('random', X, randomSyx(params.ni, params.no, s, rng), params.noise, rng) };
  },
});
