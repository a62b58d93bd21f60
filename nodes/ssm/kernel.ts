/**
 * The SSM convolution kernel K = [D, CB, CAB, …, CA^{L−1}B] (L + 1 taps), computed by the
 * structure of A: dense (sequential mat-vecs, doubling blocks, or baby-step/giant-step),
 * diagonal (elementwise powers, O(nL)) or DPLR A = c·I + ppᵀ (closed form, O(n + L)).
 *
 * Emits `kernel` (the array, cut to `metricTaps` so a 10⁶-tap run does not flood the sinks). For diagonal and DPLR systems it also rebuilds A as a dense
 * matrix and emits `<kind>_vs_dense`: the max |K_structured − K_dense powers| (a cross-check
 * of the structured formula; skipped above n = 2048, see `crossCheck`).
 *
 * ## Example
 * `{"type": "ssm.kernel", "params": {"L": 64}, "inputs": {"system": "sys.system"}}`
 */
import { argError } from '../../src/check.ts';
import { defineNode } from '../../src/node.ts';
import { denseMatrix, kernelOf, sequentialKernelSteps, type DenseMethod } from './kernelInternals.ts';
import { maxAbsDiff } from './ssmInternals.ts';
import type { SsmSystem } from './types.ts';

/** Why a kernel overflows: the growth factor where the structure gives it in closed form. */
function growthHint(sys: SsmSystem): string {
  if (sys.kind === 'dplr' && !sys.lambda) {
    const alpha = sys.p!.reduce((s, x) => s + x * x, 0), c = sys.shift ?? 1;
    return `A = ${c}·I + ppᵀ has eigenvalue ${c} + ‖p‖² = ${c + alpha} along p, so K_k grows like ${c + alpha}^k (the seed's I + ppᵀ always grows: 1 + ‖p‖² > 1)`;
  }
  if (sys.kind === 'diagonal') return `max |λ_i| = ${Math.max(...sys.lambda!.map(Math.abs))} > 1, so K_k grows geometrically`;
  return 'A has an eigenvalue of modulus > 1, so K_k grows geometrically and overflowed float64';
}

export const kernel = defineNode({
  type: 'ssm.kernel',
  doc: 'Convolution kernel [D, CB, CAB, …, CA^{L−1}B] of an SSM by the structure of A, with a dense-powers cross-check for structured A.',
  params: {
    L: { type: 'int', doc: 'number of Markov parameters CA^{k}B (the kernel has L + 1 taps)', min: 0, max: 1e7, default: 3 },
    method: {
      type: 'string', doc: 'dense schedule: auto (cheapest by flop count), sequential, doubling, bsgs (baby-step/giant-step)',
      oneOf: ['auto', 'sequential', 'doubling', 'bsgs'], default: 'auto',
    },
    metricTaps: { type: 'int', doc: 'the `kernel` metric holds the first min(L + 1, metricTaps) taps (the output port always has all)', min: 1, default: 65536 },
    crossCheck: { type: 'boolean', doc: 'diagonal/dplr: also compute dense powers and emit <kind>_vs_dense', default: true },
  },
  inputs: { system: { type: 'ssm', doc: 'the state-space model' } },
  outputs: { kernel: { type: 'numbers', doc: 'K_0 … K_L' } },
  metrics: {
    kernel: { kind: 'series', doc: 'K_0 … K_L (the first metricTaps taps)' },
    diagonal_vs_dense: { kind: 'scalar', doc: 'diagonal A: max |K_structured − K_dense powers| (crossCheck)' },
    dplr_vs_dense: { kind: 'scalar', doc: 'DPLR A: max |K_structured − K_dense powers| (crossCheck)' },
  },
  // K and its copy on the port; the dense cross-check builds an n×n A, which depends on the input
  cost: (p) => ({ bytes: 16 * (p.L + 1) }),
  // A generator so the dense cross-check (n² work per tap: ~10 s at n = 64, L = 10⁶) yields to the
  // event loop every few ms: Ctrl-C and progress keep working.
  *run({ params, inputs, ctx }) {
    const sys = inputs.system;
    const method = params.method as DenseMethod | 'auto';
    const K = kernelOf(sys, params.L, method);
    const bad = K.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw argError(ctx.type, 'system', `give a finite kernel up to L = ${params.L} (use L < ${bad} or a contracting A)`, `K_${bad} = ${K[bad]}: ${growthHint(sys)}`);
    ctx.metric('kernel', K.length > params.metricTaps ? K.subarray(0, params.metricTaps) : K);
    if (sys.kind !== 'dense' && params.crossCheck) {
      if (sys.n > 2048) ctx.log(`${sys.kind}_vs_dense skipped: n = ${sys.n} > 2048 makes the dense A too large`);
      else {
        const dense = yield* sequentialKernelSteps({ ...sys, A: denseMatrix(sys) }, params.L);
        ctx.metric(`${sys.kind}_vs_dense`, maxAbsDiff(K, dense));
      }
    }
    return { kernel: Array.from(K) };
  },
});
