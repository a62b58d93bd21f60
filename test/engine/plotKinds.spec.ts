import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { GraphValidationError, validateGraph, type GraphSpec } from '../../src/index.ts';
import { registerAllNodes } from '../../nodes/index.ts';
import { cli, graphFile, tmp } from '../faults/harness.ts';

const spectrum = (plots: unknown[]): GraphSpec => ({
  name: 'kinds', params: {},
  nodes: {
    x: { type: 'gen.gaussian', params: { rows: 8, cols: 8 } },
    sv: { type: 'spectral.singularValues', inputs: { x: 'x' } },
  },
  plots,
} as GraphSpec);

describe('plot kinds', () => {
  before(() => registerAllNodes());

  it('should refuse an array metric in a line plot and a scalar in a spectrum, saying which field draws it', () => {
    assert.throws(() => validateGraph(spectrum([{ y: ['sv.singular_values', 'sv.sigma_max'] }, { spectrum: 'sv.sigma_max' }, { heatmap: 'sv.sigma_max' }])), (e: unknown) => {
      assert.ok(e instanceof GraphValidationError);
      assert.deepEqual(e.problems, [
        'plots[0].y: sv.singular_values is an array metric, which a line plot cannot draw; draw it with {"spectrum": ...} (against rank, log-log)',
        'plots[1].spectrum: sv.sigma_max is a scalar metric, which "spectrum" does not draw (it draws arrays); draw it with {"y": [...]} (a line against step)',
        'plots[2].heatmap: sv.sigma_max is a scalar metric, which "heatmap" does not draw (it draws arrays); draw it with {"y": [...]} (a line against step)',
      ]);
      return true;
    });
  });

  it('should accept each kind where it is drawn', () => {
    assert.doesNotThrow(() => validateGraph(spectrum([{ y: ['sv.sigma_max'] }, { spectrum: 'sv.singular_values' }, { series: 'sv.singular_values' }])));
  });

  it('should make `eigenflow run` exit 2 on an array metric in a line plot, writing nothing', async () => {
    const dir = tmp();
    const out = join(dir, 'run');
    const r = await cli(['run', graphFile(spectrum([{ y: ['sv.singular_values'] }]), dir), '--out', out, '--quiet']);
    assert.equal(r.code, 2);
    assert.match(r.err, /plots\[0\]\.y: sv\.singular_values is an array metric, which a line plot cannot draw/);
    assert.ok(!existsSync(out), 'no run directory');
  });
});
