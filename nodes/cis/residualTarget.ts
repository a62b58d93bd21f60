/**
 * The residual target r(x) = relu(x) − Wn x over a batch (rows of x): what the MLP part W2·relu(W1 x)
 * has to produce. Emits its singular values, participation-ratio effective rank
 * (Σσ)²/Σσ², entropy effective rank and condition number, and the same for relu(x) alone
 * (`relu_*`), the target without a residual stream. Spectra come from `svd` of @eigenflow/linalg.
 *
 * ## Example
 * `"target": { "type": "cis.residualTarget", "inputs": { "x": "data.x", "wn": "wn.out" } }`
 */
import * as tf from '@tensorflow/tfjs';
import { requireArg } from '../../src/check.ts';
import { svd } from '@eigenflow/linalg';
import { fromTensor } from '../../src/run/precision.ts';
import { defineNode, type MetricSpec, type NodeContext } from '../../src/node.ts';
import { FLOAT32_EPS, rankStats } from '../spectral/spectralInternals.ts';

/** The metrics `report` emits under a prefix (typed name by name, so the graph builder knows them). */
function spectrumMetrics<P extends string>(prefix: P, of: string): Record<`${P}singular_values`, MetricSpec & { kind: 'array' }>
  & Record<`${P}${'erank_pr' | 'erank_entropy' | 'cond'}`, MetricSpec & { kind: 'scalar' }> {
  return {
    [`${prefix}singular_values`]: { kind: 'array', doc: `singular values of ${of}, descending` },
    [`${prefix}erank_pr`]: { kind: 'scalar', doc: `participation-ratio effective rank (Σσ)²/Σσ² of ${of}` },
    [`${prefix}erank_entropy`]: { kind: 'scalar', doc: `entropy effective rank exp(H(σ/Σσ)) of ${of}` },
    [`${prefix}cond`]: { kind: 'scalar', doc: `condition number σ_max/σ_min of ${of} (omitted when singular)` },
  } as ReturnType<typeof spectrumMetrics<P>>;
}

/**
 * Spectrum statistics of a float32 batch matrix, as metrics `<prefix>singular_values` etc. The
 * matrix is computed on tfjs and read into float64 here for the SVD (a conversion inside the node,
 * not at a port).
 */
function report(ctx: NodeContext, prefix: string, t: tf.Tensor2D): number {
  const s = svd(fromTensor(t)).s;
  const st = rankStats(s, Math.max(...t.shape), FLOAT32_EPS);
  ctx.metric(`${prefix}singular_values`, s);
  ctx.metric(`${prefix}erank_pr`, st.erank_pr);
  ctx.metric(`${prefix}erank_entropy`, st.erank_entropy);
  if (Number.isFinite(st.condition)) ctx.metric(`${prefix}cond`, st.condition);
  return st.erank_pr;
}

export const residualTarget = defineNode({
  type: 'cis.residualTarget',
  doc: 'Spectrum of the residual target relu(x) − Wn x over a batch vs relu(x) alone: singular values, effective ranks, condition number.',
  params: {},
  inputs: {
    x: { type: 'matrix', precision: 'float32', doc: 'a batch of inputs (batch × n)' },
    wn: { type: 'matrix', precision: 'float32', doc: 'the residual matrix Wn (n × n)' },
  },
  outputs: {
    out: { type: 'matrix', precision: 'float32', doc: 'the residual target relu(X) − X Wnᵀ (batch × n)' },
    erank: { type: 'number', doc: 'participation-ratio effective rank of the residual target' },
  },
  metrics: { ...spectrumMetrics('', 'the residual target relu(x) − Wn x'), ...spectrumMetrics('relu_', 'relu(x)') },
  run({ inputs, ctx }) {
    const { x, wn } = inputs;
    const n = x.shape[1];
    requireArg(wn.shape[0] === n && wn.shape[1] === n, ctx.type, 'wn', `be ${n} × ${n} (x has n = ${n} columns)`, `${wn.shape[0]} × ${wn.shape[1]}`);
    const relu = tf.relu(x) as tf.Tensor2D;
    const r = tf.sub(relu, tf.matMul(x, tf.transpose(wn))) as tf.Tensor2D;
    const erank = report(ctx, '', r);
    report(ctx, 'relu_', relu);
    return { out: r, erank };
  },
});
