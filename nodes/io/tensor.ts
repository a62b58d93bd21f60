import { defineNode } from '../../src/node.ts';
import type { Matrix64 } from '@eigenflow/linalg';
import { checkpointProblems, openCheckpoint, readTensor, selectTensors } from './tensorFormatsInternals.ts';

/**
 * Load one tensor from a checkpoint file as a float64 matrix (the engine converts to float32 for
 * a consumer that asks for it). Only that tensor's bytes are read. A 1-D tensor becomes a 1×n
 * row; a conv kernel (rank 4) or any higher rank is refused — analyse those with
 * `spectral.weightsReport`, which splits kernels per spatial position.
 *
 * ## Example
 * `"w": {"type": "io.tensor", "params": {"path": "model.safetensors", "name": "fc1.weight"}}`
 */
export const tensor = defineNode({
  type: 'io.tensor',
  doc: 'Load one tensor (by exact name, or a glob matching exactly one) from .npy / .npz / .safetensors as a float64 matrix.',
  params: {
    path: { type: 'string', doc: 'checkpoint file: .npy, .npz, .safetensors, or a safetensors *.index.json' },
    name: { type: 'string', doc: 'tensor name, or a glob that matches exactly one tensor (ignored for .npy)', default: '*' },
  },
  inputs: {},
  outputs: { w: { type: 'matrix', precision: 'float64', doc: 'the tensor as a rows×cols matrix (1-D: 1×n)' } },
  metrics: {
    rows: { kind: 'scalar', doc: 'rows of the loaded matrix', when: 'once' },
    cols: { kind: 'scalar', doc: 'columns of the loaded matrix', when: 'once' },
  },
  check: (p) => checkpointProblems(p.path, p.name, 'name'),
  cost: () => ({ bytes: 1 << 20 }),
  run({ params, ctx }) {
    const ck = openCheckpoint(params.path, `${ctx.type}.params.path`);
    const hit = selectTensors(ck, params.name, `${ctx.type}.params.name`);
    if (hit.length > 1) {
      throw new Error(`Error in ${ctx.type}.params.name: '${params.name}' matches ${hit.length} tensors in ${ck.path} (${hit.slice(0, 5).map((t) => t.name).join(', ')}${hit.length > 5 ? ', …' : ''}); name one`);
    }
    const t = hit[0];
    if (t.shape.length > 2) throw new Error(`Error in ${ctx.type}.params.name: '${t.name}' has shape [${t.shape.join(', ')}] (rank ${t.shape.length}); io.tensor loads matrices — use spectral.weightsReport for conv kernels`);
    const { data } = readTensor(t, `${ctx.type}.params.path`);
    const rows = t.shape.length === 2 ? t.shape[0] : 1, cols = t.shape.length === 2 ? t.shape[1] : (t.shape[0] ?? 1);
    ctx.metric('rows', rows);
    ctx.metric('cols', cols);
    const w: Matrix64 = { rows, cols, data };
    return { w };
  },
});
