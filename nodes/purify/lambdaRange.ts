/**
 * The range of ridge strengths λ for which the purifier keeps the `keep` largest components
 * (shrinkage σ²/(σ²+λ) ≥ keepAbove) and attenuates all others (≤ attenuateBelow):
 * max_{j>k} σ_j²(1−t_att)/t_att ≤ λ ≤ min_{i≤k} σ_i²(1−t_keep)/t_keep. For the seed's
 * σ = {10, 8, 4, 1, 0.5, 0.36, 0.16, 0.01}, keep = 3, 0.8 and 0.5 this is 1 ≤ λ ≤ 4.
 *
 * Emits `lambda_min`, `lambda_max` and `feasible` (1 or 0).
 *
 * ## Example
 * `{"type": "purify.lambdaRange", "params": {"keep": 3, "keepAbove": 0.8, "attenuateBelow": 0.5}, "inputs": {"sigmas": "data.sigmas"}}`
 */
import { requireArg } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { lambdaRange as range } from './purifyInternals.ts';

export const lambdaRange = defineNode({
  type: 'purify.lambdaRange',
  doc: 'λ interval keeping the top `keep` components (shrinkage ≥ keepAbove) and attenuating the rest (≤ attenuateBelow).',
  params: {
    keep: { type: 'int', doc: 'number of leading components to keep', min: 0, default: 3 },
    keepAbove: { type: 'number', doc: 'kept components need shrinkage ≥ this', min: 0, max: 1, exclusiveMin: true, default: 0.8 },
    attenuateBelow: { type: 'number', doc: 'other components need shrinkage ≤ this', min: 0, max: 1, exclusiveMin: true, default: 0.5 },
  },
  inputs: { sigmas: { type: 'numbers', doc: 'singular values of the data' } },
  outputs: { range: { type: 'numbers', doc: '[lambda_min, lambda_max]' } },
  metrics: {
    lambda_min: { kind: 'scalar', doc: 'smallest λ that attenuates every component after the top keep' },
    lambda_max: { kind: 'scalar', doc: 'largest λ that keeps every top-keep component (Infinity when keep = 0)' },
    feasible: { kind: 'scalar', doc: '1 when lambda_min ≤ lambda_max, else 0' },
  },
  run: ({ params, inputs, ctx }) => {
    const s = Array.from(inputs.sigmas as ArrayLike<number>);
    const bad = s.findIndex((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0);
    requireArg(bad < 0, ctx.type, 'sigmas', 'hold finite numbers ≥ 0', () => `sigmas[${bad}] = ${s[bad]}`);
    requireArg(params.keep <= s.length, ctx.type, 'keep', `be at most the number of singular values (${s.length})`, params.keep);
    const r = range(s, params.keep, params.keepAbove, params.attenuateBelow);
    ctx.metric('lambda_min', r.lo);
    ctx.metric('lambda_max', r.hi);
    ctx.metric('feasible', r.feasible ? 1 : 0);
    if (!r.feasible) ctx.log(`no λ works: attenuating needs λ ≥ ${r.lo}, keeping needs λ ≤ ${r.hi}`);
    return { range: [r.lo, r.hi] };
  },
});
