import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadGraph, runGraph, withOverrides } from '../../../src/index.ts';
import { registerAllNodes } from '../../../nodes/index.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';

const GRAPH = new URL('../../../graphs/purification.json', import.meta.url).pathname;
const SIGMAS = [10, 8, 4, 1, 0.5, 0.36, 0.16, 0.01];

describe('graphs/purification.json end to end', () => {
  before(async () => { await useWasm(); registerAllNodes(); });

  it('should give the seed\'s λ range [1, 4] and the shrinkage σ²/(σ²+λ) at λ = 2', async () => {
    await expectNoLeak(async () => {
      const r = await runGraph(loadGraph(GRAPH), { outDir: null });
      assert.equal(r.status, 'completed', r.error ?? '');
      assert.deepEqual([r.last['range.lambda_min'], r.last['range.lambda_max'], r.last['range.feasible']], [1, 4, 1]);
      expectArraysClose(r.last['encoder.shrinkage'] as number[], SIGMAS.map((s) => (s * s) / (s * s + 2)), 1e-12);
      // objective of the optimum = Σ σ²·λ/(σ²+λ) (closed form of the minimum)
      expectArraysClose([r.last['objective.objective'] as number], [SIGMAS.reduce((a, s) => a + (s * s * 2) / (s * s + 2), 0)], 1e-10);
    });
  });

  it('should narrow to the single λ = 0.25 when keeping four components', async () => {
    const r = await runGraph(withOverrides(loadGraph(GRAPH), { keep: 4 }), { outDir: null });
    assert.deepEqual([r.last['range.lambda_min'], r.last['range.lambda_max']], [0.25, 0.25]);
  });
});
