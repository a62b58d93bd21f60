import { defineNode } from '../../src/node.ts';
import { defaultSpectrum, randomSyx, regressionTask, whitenedInputs } from './taskInternals.ts';

/**
 * A sequence of random whitened regression tasks for continual learning: all share the same
 * inputs X and spectrum; each has its own Haar-random singular vectors.
 *
 * ## Example
 * `"tasks": {"type": "linear.taskSequence", "params": {"count": 3, "ni": 5, "no": 5}}`
 */
export const taskSequence = defineNode({
  type: 'linear.taskSequence',
  doc: 'count random whitened regression tasks on shared inputs, for continual learning.',
  params: {
    count: { type: 'int', doc: 'number of tasks', min: 1, default: 2 },
    ni: { type: 'int', doc: 'input dimension', min: 1 },
    no: { type: 'int', doc: 'output dimension', min: 1 },
    samples: { type: 'int', doc: 'number of samples P (0: P = ni, or 2·ni when noise > 0)', default: 0, min: 0 },
    singularValues: { type: 'numbers', doc: 'singular values of each Σyx (empty: geometric 3 → 0.5)', default: [], min: 0 },
    noise: { type: 'number', doc: 'std of target noise orthogonal to the inputs (a loss floor; needs samples > ni)', default: 0, min: 0 },
    seed: { type: 'int', doc: 'extra seed mixed into the node stream', default: 0 },
  },
  inputs: {},
  outputs: {
    tasks: { type: 'linearTasks', doc: 'the tasks, in training order' },
    task: { type: 'linearTask', doc: 'the first task' },
  },
  check: (p) => (p.singularValues.length > Math.min(p.ni, p.no) ? [`singularValues has ${p.singularValues.length} values but min(ni, no) = ${Math.min(p.ni, p.no)}`] : []),
  run({ params, ctx }) {
    const rng = ctx.rng.fork(`seed:${params.seed}`);
    const s = params.singularValues.length ? params.singularValues : defaultSpectrum(Math.min(params.ni, params.no));
    const X = whitenedInputs(params.ni, params.samples || (params.noise > 0 ? 2 * params.ni : params.ni), rng);
    const tasks = Array.from({ length: params.count }, (_, i) => regressionTask(`task${i}`, X, randomSyx(params.ni, params.no, s, rng), params.noise, rng));
    return { tasks, task: tasks[0] };
  },
});
