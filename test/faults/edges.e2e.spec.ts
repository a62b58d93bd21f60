/**
 * Trust at every edge, round 3 (issue 20), with real processes: a sweep killed with -9 while its
 * child runs, and `--resume` against its own bookkeeping (a completed point whose run directory,
 * metrics or manifest went missing or broke). Each asserts the exit code, the message, that
 * nothing outside the sweep directory changed, final manifests and whole lines.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCleanError, assertUnchanged, BIN, counterGraph, graphFile, NODES, readRun, snapshot, tmp } from './harness.ts';

const sweepCli = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, 'sweep', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, err: r.stderr };
};
const sleep = (ms: number) => new Promise((r) => { setTimeout(r, ms); });

/** A sandbox with a victim directory and a finished two-point sweep in `work/sw`. */
function finishedSweep(): { root: string; dir: string; points: any[] } {
  const root = tmp();
  mkdirSync(join(root, 'victim'));
  writeFileSync(join(root, 'victim', 'keep.txt'), 'do not touch\n');
  const dir = join(root, 'work', 'sw');
  mkdirSync(join(root, 'work'));
  const r = sweepCli([graphFile(counterGraph(5), join(root, 'work')), ...NODES, '--grid', 'steps=5,6', '--out', dir]);
  assert.equal(r.code, 0, r.err);
  return { root, dir, points: JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).points };
}

function assertAllCompleted(dir: string, points: any[]): void {
  const m = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'));
  assert.deepEqual(m.points.map((p: any) => p.status), points.map(() => 'completed'));
  for (const p of points) {
    const { manifest, lines } = readRun(join(dir, p.dir));
    assert.equal(manifest.status, 'completed');
    assert.equal(manifest.events, lines.length);
  }
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  assert.equal(summary.rows.filter((r: any) => r.status === 'completed').length, points.length);
}

describe('trust at every edge (real processes)', () => {
  for (const [name, damage] of [
    ['its run directory deleted', (d: string) => rmSync(d, { recursive: true })],
    ['its metrics.jsonl deleted', (d: string) => rmSync(join(d, 'metrics.jsonl'))],
    ['its manifest not JSON', (d: string) => writeFileSync(join(d, 'manifest.json'), '{"status": "compl')],
    ['its manifest still running', (d: string) => writeFileSync(join(d, 'manifest.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')), status: 'running' }))],
  ] as const) {
    it(`class 7: sweep --resume runs again a completed point with ${name}`, () => {
      const { root, dir, points } = finishedSweep();
      damage(join(dir, points[1].dir));
      const before = snapshot(root, [dir]);
      const r = sweepCli(['--resume', dir]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.err, new RegExp(`point 2 \\(${points[1].dir.replace(/[.=]/g, '\\$&')}\\) was completed but its run directory, manifest or metrics are missing or broken; running it again`));
      assert.match(r.err, /sweep: 2 runs, 2 completed, 0 not/);
      assertCleanError(r.err);
      assertUnchanged(before, snapshot(root, [dir]));
      assertAllCompleted(dir, points);
      rmSync(root, { recursive: true, force: true });
    });
  }

  it('class 6: after kill -9 of a sweep, --resume leaves a point whose child still runs alone, and runs it once the child ends', async () => {
    const root = tmp();
    mkdirSync(join(root, 'victim')); writeFileSync(join(root, 'victim', 'keep.txt'), 'x\n');
    mkdirSync(join(root, 'work'));
    const dir = join(root, 'work', 'sw');
    const graph = graphFile(counterGraph(400, { slowMs: 10 }), join(root, 'work'));
    const sweep = spawn(process.execPath, [BIN, 'sweep', graph, ...NODES, '--grid', 'steps=400,401', '--out', dir, '--quiet'], { stdio: 'ignore' });
    const lock = (): string | null => { try { return JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).points[0].dir; } catch { return null; } };
    let pointDir: string | null = null;
    for (let i = 0; i < 600 && !(pointDir && existsSync(join(dir, pointDir, 'eigenflow.lock'))); i++) { await sleep(100); pointDir = lock(); }
    assert.ok(pointDir && existsSync(join(dir, pointDir, 'eigenflow.lock')), 'the first point never started');
    sweep.kill('SIGKILL');
    await new Promise((r) => sweep.on('close', r));
    const child = Number.parseInt(readFileSync(join(dir, pointDir, 'eigenflow.lock'), 'utf8'), 10);
    const before = snapshot(root, [dir]), inside = snapshot(dir);
    const r = sweepCli(['--resume', dir]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, new RegExp(`point 1 of this sweep is still being run by process ${child} \\(the lock in .*\\); wait for it or stop it first — nothing was moved`));
    assertCleanError(r.err);
    assertUnchanged(before, snapshot(root, [dir]));
    // Nothing inside moved either (the child may have written more lines meanwhile: compare names only).
    assert.deepEqual([...snapshot(dir).keys()].filter((k) => !k.startsWith(pointDir!) && !k.startsWith('logs')), [...inside.keys()].filter((k) => !k.startsWith(pointDir!) && !k.startsWith('logs')));
    assert.ok(!existsSync(join(dir, 'attempts')));
    // The child runs to its end untouched; then --resume runs what is left.
    for (let i = 0; i < 1200 && existsSync(join(dir, pointDir, 'eigenflow.lock')); i++) await sleep(100);
    assert.equal(readRun(join(dir, pointDir)).manifest.status, 'completed');
    const again = sweepCli(['--resume', dir]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /point 1 \(.*\) completed after its sweep process ended; keeping its run/);
    assert.ok(!existsSync(join(dir, 'attempts')), 'the finished run was moved aside and run again');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')).points.map((p: any) => p.status), ['completed', 'completed']);
    assertCleanError(again.err);
    assertUnchanged(before, snapshot(root, [dir]));
    rmSync(root, { recursive: true, force: true });
  });
});
