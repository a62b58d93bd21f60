import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSweep, pointDirName } from '../../src/sweep/manifest.ts';
import { loadSweep, type SweepManifest } from '../../src/record/sweepState.ts';
import { tmp } from './helpers.ts';

const MANIFEST = new URL('../../src/sweep/manifest.ts', import.meta.url).href;

function emptySweep(points: number): SweepManifest {
  return {
    format: 'eigenflow-sweep/1', graphName: 'g', graphHash: 'h', created: '', definitions: [], summary: 'last',
    executor: { kind: 'local', jobs: 1, retries: 0 }, runArgs: [], slurm: [],
    points: Array.from({ length: points }, (_, id) => ({ id, overrides: { x: id }, seed: null, dir: pointDirName(id, { x: id }, null), status: 'pending', attempts: 0, start: null, end: null })),
  };
}

describe('sweep manifest', () => {
  it('should lose no update when several processes finish points at once', async () => {
    const dir = tmp();
    createSweep(dir, emptySweep(60), { name: 'g', params: {}, nodes: {} });
    // Four processes, each completing 15 points and rewriting sweep.json after every one, interleaved.
    const writer = (k: number): Promise<number | null> => new Promise((resolve) => {
      const code = `const m = await import(${JSON.stringify(MANIFEST)});
        for (let i = ${k}; i < 60; i += 4) { m.writePointState(${JSON.stringify(dir)}, i, { status: 'completed', attempts: 1, start: null, end: null }); m.saveSweep(${JSON.stringify(dir)}); }`;
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'inherit' }).on('exit', resolve);
    });
    assert.deepEqual(await Promise.all([0, 1, 2, 3].map(writer)), [0, 0, 0, 0]);
    assert.ok(loadSweep(dir).points.every((p) => p.status === 'completed'), 'merged view');
    const file = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepManifest;
    assert.deepEqual(file.points.filter((p) => p.status !== 'completed').map((p) => p.id), [], 'sweep.json as written by the last writer');
  });

  it('should lose no update when a writer reloads between another writer\'s load and write (fails without the lock)', async () => {
    // A loads the state (point 0 completed) and, inside saveSweep's edit, waits for B. Under the
    // lock B cannot save until A has written; without it, B writes point 1 in between and A then
    // writes its older view over it. The wait is bounded (A goes on after 1.5 s), never asserted.
    const dir = tmp();
    createSweep(dir, emptySweep(2), { name: 'g', params: {}, nodes: {} });
    const inEdit = join(dir, 'a-in-edit'), bDone = join(dir, 'b-done');
    const run = (code: string): Promise<number | null> => new Promise((resolve) => {
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const m = await import(${JSON.stringify(MANIFEST)}); const fs = await import('node:fs');
        const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); ${code}`], { stdio: 'inherit' }).on('exit', resolve);
    });
    const d = JSON.stringify(dir);
    const a = run(`m.writePointState(${d}, 0, { status: 'completed', attempts: 1, start: null, end: null });
      m.saveSweep(${d}, () => { fs.writeFileSync(${JSON.stringify(inEdit)}, ''); for (let i = 0; i < 150 && !fs.existsSync(${JSON.stringify(bDone)}); i++) sleep(10); });`);
    const b = run(`while (!fs.existsSync(${JSON.stringify(inEdit)})) sleep(5);
      m.writePointState(${d}, 1, { status: 'completed', attempts: 1, start: null, end: null }); m.saveSweep(${d}); fs.writeFileSync(${JSON.stringify(bDone)}, '');`);
    assert.deepEqual(await Promise.all([a, b]), [0, 0]);
    const file = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepManifest;
    assert.deepEqual(file.points.map((p) => p.status), ['completed', 'completed'], 'sweep.json lost an update');
  });

  it('should name run directories by index, values and seed', () => {
    assert.equal(pointDirName(0, { sigma: 0.03, wn: 'symmetric' }, 2), '001-sigma=0.03_wn=symmetric_seed=2');
    assert.equal(pointDirName(11, { path: 'a/b c' }, null), '012-path=a_b_c');
  });
});
