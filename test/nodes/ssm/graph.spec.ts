import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadGraph, runGraph, withOverrides, GraphValidationError } from '../../../src/index.ts';
import { registerAllNodes } from '../../../nodes/index.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';
import { naiveKernel } from './naive.ts';

const GRAPH = new URL('../../../graphs/ssm-kernel.json', import.meta.url).pathname;

async function run(sets: Record<string, unknown>) {
  const r = await runGraph(withOverrides(loadGraph(GRAPH), sets), { outDir: null });
  assert.equal(r.status, 'completed', r.error ?? '');
  return r;
}

describe('graphs/ssm-kernel.json end to end', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should reproduce the seed\'s 2×2 kernel [0, 1, 0.7, 0.51] with its defaults', async () => {
    await expectNoLeak(async () => {
      const r = await run({});
      expectArraysClose(r.last['kernel.kernel'] as number[], [0, 1, 0.7, 0.51], 1e-14);
      assert.ok((r.last['conv_vs_recurrence.conv_vs_recurrence'] as number) < 1e-14);
    });
  });

  it('should reproduce the seed\'s scalar kernel with --set n=1 A=[[0.8]] B=[1] C=[1.5] L=4', async () => {
    const r = await run({ n: 1, A: [[0.8]], B: [1], C: [1.5], L: 4 });
    expectArraysClose(r.last['kernel.kernel'] as number[], naiveKernel([[0.8]], [1], [1.5], 0, 4), 1e-14);
  });

  for (const kind of ['dense', 'diagonal', 'dplr']) {
    it(`should run kind=${kind} n=12 L=200 with conv == recurrence${kind === 'dplr' ? ' and dplr_vs_dense ≈ 0' : ''}`, async () => {
      const r = await run({ kind, n: 12, L: 200, seed: 3 });
      const K = r.last['kernel.kernel'] as number[];
      assert.equal(K.length, 201);
      const scale = Math.max(1, ...K.map(Math.abs));
      assert.ok((r.last['conv_vs_recurrence.conv_vs_recurrence_rel'] as number) < 1e-11, `rel ${r.last['conv_vs_recurrence.conv_vs_recurrence_rel']}`);
      if (kind === 'dplr') assert.ok((r.last['kernel.dplr_vs_dense'] as number) < 1e-12 * scale, `dplr_vs_dense ${r.last['kernel.dplr_vs_dense']}`);
      if (kind === 'diagonal') assert.ok((r.last['kernel.diagonal_vs_dense'] as number) < 1e-13 * scale);
      if (kind === 'dense') assert.equal(r.last['kernel.dplr_vs_dense'], undefined);
    });
  }

  it('should run the general DPLR diag(λ) + ppᵀ through the graph', async () => {
    const r = await run({ kind: 'dplr', n: 10, L: 300, 'system.dplrDiagonal': 'random' });
    assert.ok((r.last['kernel.dplr_vs_dense'] as number) < 1e-12);
    assert.ok((r.last['conv_vs_recurrence.conv_vs_recurrence_rel'] as number) < 1e-12);
  });

  it('should refuse an unknown kind before running, naming the node and parameter', async () => {
    await assert.rejects(async () => runGraph(withOverrides(loadGraph(GRAPH), { kind: 'toeplitz' }), { outDir: null }),
      (e: Error) => e instanceof GraphValidationError && /system.*kind must be one of "dense", "diagonal", "dplr" but got "toeplitz"/.test(e.message));
  });
});
