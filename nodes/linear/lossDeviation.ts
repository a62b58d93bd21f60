import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';

/**
 * Analytic-vs-empirical deviation of two loss histories on the same time axis:
 * `analytic_deviation` = mean over steps of |L_analytic − L_empirical| / L_empirical (the
 * thesis' Average Deviation, Fig. 3.4–3.6), and `max_deviation`.
 *
 * ## Example
 * `"deviation": {"type": "linear.lossDeviation", "inputs": {"empirical": "train.losses", "analytic": "exact.losses"}}`
 */
export const lossDeviation = defineNode({
  type: 'linear.lossDeviation',
  doc: 'Mean relative deviation of an analytic loss curve from an empirical one.',
  params: {},
  inputs: {
    empirical: { type: 'numbers', doc: 'empirical losses (e.g. train.losses)' },
    analytic: { type: 'numbers', doc: 'analytic losses on the same steps' },
  },
  outputs: { value: { type: 'number', doc: 'the mean relative deviation' } },
  metrics: {
    analytic_deviation: { kind: 'scalar', doc: 'mean over steps of |L_analytic − L_empirical|/L_empirical' },
    max_deviation: { kind: 'scalar', doc: 'max over steps of the same' },
  },
  run({ inputs, ctx }) {
    const { empirical: e, analytic: a } = inputs;
    requireArg(e.length === a.length, ctx.type, 'analytic', `have the ${e.length} steps of empirical (run both on the same steps)`, `${a.length}`);
    let sum = 0, max = 0;
    for (let i = 0; i < e.length; i++) {
      const d = Math.abs(a[i] - e[i]) / Math.abs(e[i]);
      sum += d; max = Math.max(max, d);
    }
    const value = sum / Math.max(e.length, 1);
    ctx.metric('analytic_deviation', value, null);
    ctx.metric('max_deviation', max, null);
    return { value };
  },
});
