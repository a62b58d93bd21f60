/** Checkpoint loaders: .npy, .npz, .safetensors (single or sharded), read lazily. */
import type { AnyNodeDef } from '../../src/node.ts';
import { checkpoint } from './checkpoint.ts';
import { tensor } from './tensor.ts';

export const ioNodes = [checkpoint, tensor] satisfies AnyNodeDef[];
