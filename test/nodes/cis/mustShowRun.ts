/**
 * One run of graphs/cis-noise.json at the small must-show size (n = 40, m = 20, p = 0.025 so that
 * p·n = 1 as at full size, batch 1024, 2000 Adam steps), shared by the unit and e2e must-show specs.
 */
import assert from 'node:assert/strict';
import { loadGraph, runGraph, withOverrides, type MetricEvent } from '../../../src/index.ts';

export const SMALL = { n: 40, m: 20, p: 0.025, batch: 1024, steps: 2000, evalSamples: 100000 };
const graphPath = new URL('../../../graphs/cis-noise.json', import.meta.url).pathname;

/** Runs the graph with `sets` over SMALL; returns the last value of a metric by node and name. */
export async function run(sets: Record<string, unknown>, seed = 1): Promise<(node: string, name: string) => number> {
  const r = await runGraph(withOverrides(loadGraph(graphPath), { ...SMALL, ...sets }), { seed, outDir: null });
  assert.equal(r.status, 'completed', String(r.error));
  return (node, name) => {
    const e = r.events.filter((x: MetricEvent) => x.node === node && x.name === name).at(-1);
    assert.ok(e, `no metric ${node}.${name}`);
    return e.value as number;
  };
}
