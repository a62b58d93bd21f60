/**
 * `sweep --pack K`: points run as the members of one `eigenflow run`, each point's run directory
 * where the sweep keeps it. The independent truth is the same sweep without --pack.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arrayScript } from '../../src/sweep/slurmExecutor.ts';
import { packsOf } from '../../src/sweep/runPack.ts';
import { cli, events, readJson, tmp } from './helpers.ts';

const CIS = new URL('../../graphs/cis-noise.json', import.meta.url).pathname;
const SMALL = ['--set', 'n=12', '--set', 'm=6', '--set', 'p=0.15', '--set', 'batch=128', '--set', 'steps=60', '--set', 'evalSamples=3000'];
const GRID = ['--grid', 'sigma=0,0.05', '--grid', 'wn=asymmetric,symmetric', '--seeds', '0,1'];

/** Each point's metrics, by point dir: `node.name@step` → value. */
function pointMetrics(out: string): Map<string, Map<string, number>> {
  const m = readJson(join(out, 'sweep.json'));
  return new Map(m.points.map((p: { dir: string }) => [p.dir, new Map(events(join(out, p.dir)).filter((e) => typeof e.value === 'number').map((e) => [`${e.node}.${e.name}@${e.step}`, e.value]))]));
}

describe('eigenflow sweep --pack', () => {
  it('should give every point the run directory and metrics of the unpacked sweep, and resume per point', () => {
    const root = tmp();
    const packed = join(root, 'packed'), plain = join(root, 'plain');
    const r = cli(['sweep', CIS, ...SMALL, ...GRID, '--pack', '3', '--out', packed, '--quiet']);
    assert.equal(r.code, 0, r.err);
    const p = cli(['sweep', CIS, ...SMALL, ...GRID, '--jobs', '2', '--out', plain, '--quiet']);
    assert.equal(p.code, 0, p.err);
    const sweep = readJson(join(packed, 'sweep.json'));
    assert.equal(sweep.executor.pack, 3);
    assert.ok(existsSync(join(packed, 'packs', 'pack-001', 'manifest.json')) && existsSync(join(packed, 'packs', 'pack-007', 'manifest.json')), '8 points in packs of 3, 3, 2');
    assert.equal(readJson(join(packed, 'packs', 'pack-004', 'manifest.json')).members.count, 3);
    const got = pointMetrics(packed), want = pointMetrics(plain);
    assert.deepEqual([...got.keys()], [...want.keys()]);
    for (const [dir, w] of want) {
      const g = got.get(dir)!;
      assert.deepEqual([...g.keys()].sort(), [...w.keys()].sort(), dir);
      for (const [k, v] of w) assert.ok(Math.abs(g.get(k)! - v) <= 1e-7 + 1e-5 * Math.abs(v), `${dir} ${k}: packed ${g.get(k)}, alone ${v}`);
      const man = readJson(join(packed, dir, 'manifest.json'));
      assert.equal(man.status, 'completed');
      assert.equal(man.graph.params.sigma, readJson(join(plain, dir, 'manifest.json')).graph.params.sigma);
    }
    const sp = readJson(join(packed, 'summary.json')), su = readJson(join(plain, 'summary.json'));
    assert.equal(sp.points.length, 4);
    sp.points.forEach((pt: { metrics: Record<string, { mean: number }> }, i: number) => {
      const m = su.points[i].metrics['eval.eval_loss'].mean;
      assert.ok(Math.abs(pt.metrics['eval.eval_loss']!.mean - m) <= 1e-5 * m);
    });

    // Resume: one point lost its run (say a node crashed there); only it runs again.
    const lost = sweep.points[4];
    rmSync(join(packed, lost.dir), { recursive: true });
    writeFileSync(join(packed, 'status', `${lost.id}.json`), JSON.stringify({ status: 'failed', attempts: 1, start: null, end: null, error: 'lost' }));
    const kept = sweep.points.filter((x: { id: number }) => x.id !== lost.id).map((x: { dir: string }) => statSync(join(packed, x.dir, 'manifest.json')).mtimeMs);
    const again = cli(['sweep', '--resume', packed, '--quiet']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /7 of 8 points already ended; running the other 1/);
    assert.deepEqual(sweep.points.filter((x: { id: number }) => x.id !== lost.id).map((x: { dir: string }) => statSync(join(packed, x.dir, 'manifest.json')).mtimeMs), kept);
    const after = readJson(join(packed, 'sweep.json')).points[4];
    assert.equal(after.status, 'completed');
    assert.equal(after.attempts, 2);
    const redone = pointMetrics(packed).get(lost.dir)!;
    for (const [k, v] of want.get(lost.dir)!) assert.ok(Math.abs(redone.get(k)! - v) <= 1e-7 + 1e-5 * Math.abs(v), `${k} after resume`);
  });

  it('should give each Slurm array task one pack of point ids', () => {
    const m = { graphName: 'g' } as Parameters<typeof arrayScript>[1];
    const script = arrayScript('/tmp/sw', m, packsOf([0, 1, 2, 3, 4, 7, 9], 3), null, []);
    assert.match(script, /#SBATCH --array=0-2\n/);
    assert.match(script, /IDS=\(0,1,2 3,4,7 9\)/);
    assert.match(script, /sweep run-point '\/tmp\/sw' "\$\{IDS\[\$SLURM_ARRAY_TASK_ID\]\}"/);
  });

  it('should refuse a --pack that is not a positive integer with exit 2', () => {
    const r = cli(['sweep', CIS, ...SMALL, '--grid', 'sigma=0,0.05', '--pack', '0', '--out', join(tmp(), 's')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /--pack must be a positive integer but got '0'/);
  });
});
