import { defineNode } from '../../src/node.ts';
import { checkpointProblems, openCheckpoint, selectTensors, type Checkpoint } from './tensorFormatsInternals.ts';

declare module '../../src/node.ts' {
  interface PortTypes {
    /** An opened checkpoint: its tensors' names, shapes and dtypes; values are read on demand (`readTensor`). */
    checkpoint: Checkpoint;
  }
}

/**
 * Open a checkpoint — `.npy`, `.npz` (stored or deflated), `.safetensors`, or a sharded
 * safetensors checkpoint through its `*.index.json` — and select tensors by name or glob.
 * Only headers are read here; a consumer reads a tensor's bytes when it needs them, so a
 * checkpoint larger than memory can be analysed one tensor at a time.
 *
 * ## Example
 * `"ckpt": {"type": "io.checkpoint", "params": {"path": "model.safetensors", "include": "*.weight"}}`
 */
export const checkpoint = defineNode({
  type: 'io.checkpoint',
  doc: 'Open a .npy / .npz / .safetensors (or sharded *.index.json) checkpoint lazily and select tensors by name or glob.',
  params: {
    path: { type: 'string', doc: 'checkpoint file: .npy, .npz, .safetensors, or a safetensors *.index.json' },
    include: { type: 'string', doc: 'tensor names or globs, comma-separated (`*` any run of characters, `?` one)', default: '*' },
  },
  inputs: {},
  outputs: { checkpoint: { type: 'checkpoint', doc: 'the selected tensors (headers only; values read on demand)' } },
  metrics: { tensors: { kind: 'scalar', doc: 'number of tensors selected', when: 'once' } },
  check: (p) => checkpointProblems(p.path, p.include, 'include'),
  cost: () => ({ bytes: 1 << 20 }),
  run({ params, ctx }) {
    const ck = openCheckpoint(params.path, `${ctx.type}.params.path`);
    const tensors = selectTensors(ck, params.include, `${ctx.type}.params.include`);
    ctx.metric('tensors', tensors.length);
    ctx.log(`${ck.path}: ${ck.tensors.length} tensors (${ck.format}), ${tensors.length} selected`);
    return { checkpoint: { ...ck, tensors } };
  },
});
