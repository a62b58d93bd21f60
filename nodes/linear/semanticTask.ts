import { defineNode } from '../../src/node.ts';
import { identity, scale } from '@eigenflow/linalg';
import { makeTask } from './linearInternals.ts';
import { semanticFeatures } from './taskInternals.ts';

/**
 * The hierarchical semantic task of Saxe et al.: 8 one-hot items mapped to 15 tree-structured
 * features (living thing; animal/plant; bird/fish/tree/flower; the item itself). Inputs are
 * X = √8·I so that Σxx = XXᵀ/8 = I, and Σyx = YXᵀ/8 = features/√8.
 *
 * ## Example
 * `"task": {"type": "linear.semanticTask", "params": {"featureScale": 1}}`
 */
export const semanticTask = defineNode({
  type: 'linear.semanticTask',
  doc: 'Saxe et al. hierarchical semantic task: 8 items → 15 tree features, whitened one-hot inputs.',
  params: { featureScale: { type: 'number', doc: 'multiplies the 0/1 feature targets', default: 1, min: 0 } },
  inputs: {},
  outputs: { task: { type: 'linearTask', doc: 'ni = 8, no = 15, P = 8' } },
  metrics: {},
  run({ params }) {
    const X = scale(identity(8), Math.sqrt(8));
    return { task: makeTask('semantic', X, scale(semanticFeatures(), params.featureScale)) };
  },
});
