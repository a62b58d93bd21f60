import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { system } from '../../../nodes/ssm/system.ts';
import { kernel } from '../../../nodes/ssm/kernel.ts';
import { inputSignal } from '../../../nodes/ssm/inputSignal.ts';
import { recurrence } from '../../../nodes/ssm/recurrence.ts';
import { fftConv } from '../../../nodes/ssm/fftConv.ts';
import { maxAbsDiff } from '../../../nodes/ssm/maxAbsDiff.ts';
import type { SsmSystem } from '../../../nodes/ssm/types.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';
import { naiveCausalConv } from './naive.ts';

/** system → kernel(L = T − 1) → conv and recurrence on the same u → max abs difference. */
function pipeline(sysParams: Record<string, unknown>, T: number, seed = 0) {
  const s = runNode(system, { params: sysParams, seed }).outputs.system as SsmSystem;
  const K = runNode(kernel, { params: { L: T - 1 }, inputs: { system: s } }).outputs.kernel as number[];
  const u = runNode(inputSignal, { params: { T }, seed }).outputs.u as number[];
  const yConv = runNode(fftConv, { inputs: { kernel: K, u } }).outputs.y as number[];
  const yRec = runNode(recurrence, { inputs: { system: s, u } }).outputs.y as number[];
  const d = runNode(maxAbsDiff, { params: { name: 'conv_vs_recurrence' }, inputs: { a: yConv, b: yRec } });
  return { s, K, u, yConv, yRec, diff: d.values('conv_vs_recurrence')[0] as number, rel: d.values('conv_vs_recurrence_rel')[0] as number };
}

describe('ssm outputs: FFT convolution vs recurrence', () => {
  before(useWasm);

  for (const [kind, extra] of [['dense', {}], ['diagonal', {}], ['dplr', {}], ['dplr', { dplrDiagonal: 'random' }]] as const) {
    it(`should agree to float64 tolerance for kind = ${kind} ${JSON.stringify(extra)}`, async () => {
      await expectNoLeak(() => {
        for (const [n, T] of [[1, 5], [4, 64], [12, 257], [30, 1000]]) {
          const r = pipeline({ kind, n, alpha: 0.002, ...extra }, T, n);
          const scale = Math.max(...r.yRec.map(Math.abs));
          assert.ok(r.diff <= 1e-12 * Math.max(1, scale) * Math.log2(T + 1), `${kind} n=${n} T=${T}: diff ${r.diff} (scale ${scale})`);
          assert.ok(r.rel < 1e-12);
          // and both equal the definition Σ K_j u_{k−j}
          expectArraysClose(r.yConv, naiveCausalConv(r.K, r.u), 1e-10 * Math.max(1, scale));
        }
      });
    });
  }

  it('should take T from the like input when T = 0', () => {
    assert.equal(runNode(inputSignal, { inputs: { like: [1, 2, 3, 4, 5] } }).outputs.u.length, 5);
    assert.equal(runNode(inputSignal, { params: { T: 2 }, inputs: { like: [1, 2, 3] } }).outputs.u.length, 2);
  });

  it('should output the kernel itself for an impulse input (D included)', () => {
    const s = runNode(system, { params: { n: 2, A: [[0.7, 0.1], [0.2, 0.6]], B: [1, 0], C: [1, 0], D: 0.3 } }).outputs.system;
    const u = runNode(inputSignal, { params: { T: 6, shape: 'impulse' } }).outputs.u;
    expectArraysClose(runNode(recurrence, { inputs: { system: s, u } }).outputs.y, [0.3, 1, 0.7, 0.51, 0.383, 0.2939], 1e-13);
  });

  it('should give the step response Σ_{j≤k} K_j for a step input', () => {
    const s = runNode(system, { params: { n: 1, A: [[0.8]], B: [1], C: [1.5] } }).outputs.system;
    const u = runNode(inputSignal, { params: { T: 5, shape: 'step' } }).outputs.u;
    expectArraysClose(runNode(recurrence, { inputs: { system: s, u } }).outputs.y, [0, 1.5, 2.7, 3.66, 4.428], 1e-13);
  });

  it('should convolve with a kernel shorter than u (finite memory) by FFT and direct alike, and say so in the log', () => {
    const K = [1, 0.5], u = [1, 2, 3, 4];
    for (const method of ['fft', 'direct', 'auto']) {
      expectArraysClose(runNode(fftConv, { params: { method }, inputs: { kernel: K, u } }).outputs.y, [1, 2.5, 4, 5.5], 1e-13);
    }
  });

  it('should reject non-numeric, empty and mismatched sequences, naming the node and port', () => {
    assert.throws(() => runNode(fftConv, { inputs: { kernel: [1, NaN], u: [1] } }), /ssm\.fftConv: kernel must be an array of finite numbers but got kernel\[1\] = NaN/);
    assert.throws(() => runNode(fftConv, { inputs: { kernel: [], u: [1] } }), /ssm\.fftConv: kernel must be a non-empty array but got an empty one/);
    assert.throws(() => runNode(maxAbsDiff, { inputs: { a: [1, 2], b: [1] } }), /ssm\.maxAbsDiff: b must have the length of a \(2\) but got length 1/);
    assert.throws(() => runNode(maxAbsDiff, { params: { name: 'conv vs rec' }, inputs: { a: [1], b: [1] } }), /name must be a metric name .* but got "conv vs rec"/);
    assert.throws(() => runNode(inputSignal, { params: { T: 3, shape: 'chirp' } }), /params\.shape must be one of "normal", "impulse", "step" but got "chirp"/);
    assert.throws(() => runNode(inputSignal, {}), /ssm\.inputSignal: T must be ≥ 1 when input like is not wired \(T = 0 means "the length of input like"; set T ≥ 1 or wire like, e\.g\. to kernel\.kernel\) but got 0/);
  });
});
