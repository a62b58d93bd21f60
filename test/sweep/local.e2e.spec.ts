import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { samplePoints } from '../../src/sweep/sampling.ts';
import { parseDists } from '../../src/cli/sweepOptions.ts';
import { BIN, cli, events, GRAPH, NODES, readJson, tmp } from './helpers.ts';

const T975_2 = 4.302652729749464; // scipy.stats.t.ppf(0.975, 2)

describe('eigenflow sweep (local executor)', () => {
  it('should summarise seeds as mean, sd, standard error and 95% interval recomputed from the runs, and not rerun on the same command', () => {
    const out = join(tmp(), 's');
    const args = ['sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1,2', '--seeds', '0,1,2', '--summary', 'mean-of-last-3', '--jobs', '2'];
    const r = cli(args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /6\/6 done · 0 running · 0 failed/);
    const summary = readJson(join(out, 'summary.json'));
    assert.equal(summary.reduction, 'mean-of-last-3');
    assert.equal(summary.points.length, 2);
    for (const p of summary.points) {
      const runs = summary.rows.filter((row: { point: { x: number } }) => row.point.x === p.point.x);
      // Independent truth: each run's own metrics.jsonl, reduced here.
      const finals = runs.map((row: { dir: string }) => events(join(out, row.dir)).find((e) => e.name === 'final')!.value);
      const losses = runs.map((row: { dir: string }) => events(join(out, row.dir)).filter((e) => e.name === 'loss').slice(-3).reduce((a, e) => a + e.value / 3, 0));
      assert.deepEqual(Object.values(p.metrics['noisy.final'].values), finals);
      assert.deepEqual(Object.keys(p.metrics['noisy.final'].values), ['0', '1', '2']);
      for (const [ref, xs] of [['noisy.final', finals], ['noisy.loss', losses]] as const) {
        const m = p.metrics[ref];
        const mean = xs.reduce((a: number, b: number) => a + b, 0) / 3;
        const sd = Math.sqrt(xs.reduce((a: number, b: number) => a + (b - mean) ** 2, 0) / 2);
        assert.ok(Math.abs(m.mean - mean) < 1e-12 && Math.abs(m.sd - sd) < 1e-12, ref);
        assert.ok(Math.abs(m.se - sd / Math.sqrt(3)) < 1e-12);
        assert.ok(Math.abs(m.ci95[1] - (mean + T975_2 * sd / Math.sqrt(3))) < 1e-9);
        assert.ok(Math.abs(m.ci95[0] - (mean - T975_2 * sd / Math.sqrt(3))) < 1e-9);
      }
      assert.ok(p.metrics['noisy.final'].sd > 0, 'seeds give different values');
    }
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 3);
    assert.match(csv[0]!, /^x,status,n,noisy\.final,noisy\.final\.sd,noisy\.final\.se,noisy\.final\.lo95,noisy\.final\.hi95,/);
    assert.match(csv[1]!, /^1,completed,3,/);
    const svg = readFileSync(join(out, 'plots', 'loss-vs-x.svg'), 'utf8');
    assert.match(svg, /fill-opacity="0\.18"/, 'a 95% band is drawn');
    assert.match(svg, /mean, 95% band over seeds/);
    const mtimes = summary.rows.map((row: { dir: string }) => statSync(join(out, row.dir, 'manifest.json')).mtimeMs);
    const again = cli(args);
    assert.equal(again.code, 0, again.err);
    assert.match(again.err, /all 6 points already ended/);
    assert.deepEqual(summary.rows.map((row: { dir: string }) => statSync(join(out, row.dir, 'manifest.json')).mtimeMs), mtimes);
    assert.ok(readJson(join(out, 'sweep.json')).points.every((p: { attempts: number }) => p.attempts === 1));
  });

  it('should pass --tensorboard on to every point\'s run: each run directory gets a TensorBoard event file', () => {
    const out = join(tmp(), 's');
    const r = cli(['sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1,2', '--tensorboard', '--jobs', '2']);
    assert.equal(r.code, 0, r.err);
    const m = readJson(join(out, 'sweep.json'));
    assert.ok(m.runArgs.includes('--tensorboard'), 'kept in sweep.json, so --resume and Slurm tasks pass it too');
    for (const p of m.points) {
      const files = readdirSync(join(out, p.dir)).filter((f: string) => f.startsWith('events.out.tfevents.'));
      assert.equal(files.length, 1, `${p.dir}: ${readdirSync(join(out, p.dir)).join(', ')}`);
      assert.ok(statSync(join(out, p.dir, files[0]!)).size > 0);
    }
    // Without the flag, no event files.
    const plain = join(tmp(), 's');
    assert.equal(cli(['sweep', GRAPH, ...NODES, '--out', plain, '--grid', 'x=1']).code, 0);
    const pm = readJson(join(plain, 'sweep.json'));
    assert.deepEqual(readdirSync(join(plain, pm.points[0].dir)).filter((f: string) => f.startsWith('events.out.')), []);
  });

  it('should retry a failing point, report it, and complete it on --resume', () => {
    const dir = tmp(), out = join(dir, 's'), gate = join(dir, 'gate');
    const r = cli(['sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1', '--set', `gate=${gate}`, '--retries', '1']);
    assert.equal(r.code, 1);
    assert.match(r.err, /x=1: failed — node 'noisy' \(sweepfx\.noisy\) failed: gate file .* is missing/);
    const status = cli(['sweep', 'status', out]);
    assert.equal(status.code, 0);
    assert.match(status.out, /1 +failed +2 /);
    assert.match(status.out, /1 points \(local\): 1 failed/);
    assert.equal(cli(['sweep', 'wait', out]).code, 1);
    assert.match(r.err, /x=1: failed \(attempt 1, retrying\)/);
    assert.equal(readdirSync(join(out, 'attempts')).length, 1, 'the first attempt is kept');
    writeFileSync(gate, '');
    const resumed = cli(['sweep', '--resume', out]);
    assert.equal(resumed.code, 0, resumed.err);
    const m = readJson(join(out, 'sweep.json'));
    assert.deepEqual(m.points.map((p: { status: string; attempts: number }) => [p.status, p.attempts]), [['completed', 3]]);
    assert.equal(cli(['sweep', 'wait', out]).code, 0);
  });

  it('should stop on SIGTERM with every started run final, and resume without rerunning finished points', async () => {
    const out = join(tmp(), 's');
    const child = spawn(process.execPath, [BIN, 'sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1:5:1', '--set', 'steps=20', '--set', 'slowMs=60'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const started = Date.now();
    const completed = (): number => (existsSync(join(out, 'status')) ? readdirSync(join(out, 'status')).filter((f) => readFileSync(join(out, 'status', f), 'utf8').includes('"completed"')).length : 0);
    while (completed() < 2 && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 143, err);
    const before = readJson(join(out, 'sweep.json')).points as { dir: string; status: string; attempts: number }[];
    const done = before.filter((p) => p.status === 'completed');
    assert.ok(done.length >= 2 && done.length < 5, JSON.stringify(before.map((p) => p.status)));
    for (const p of before) {
      assert.notEqual(p.status, 'running');
      // A run stopped before it started has no manifest; any manifest that exists is final.
      const manifest = join(out, p.dir, 'manifest.json');
      if (existsSync(manifest)) assert.notEqual(readJson(manifest).status, 'running', `${p.dir} has a final manifest`);
    }
    const mtimes = done.map((p) => statSync(join(out, p.dir, 'manifest.json')).mtimeMs);
    const resumed = cli(['sweep', '--resume', out]);
    assert.equal(resumed.code, 0, resumed.err);
    assert.match(resumed.err, new RegExp(`${done.length} of 5 points already ended`));
    const after = readJson(join(out, 'sweep.json')).points as { dir: string; status: string; attempts: number }[];
    assert.ok(after.every((p) => p.status === 'completed'));
    assert.deepEqual(done.map((p) => statSync(join(out, p.dir, 'manifest.json')).mtimeMs), mtimes, 'finished points were not rerun');
    assert.deepEqual(after.filter((p) => done.some((d) => d.dir === p.dir)).map((p) => p.attempts), done.map(() => 1));
    assert.equal(readJson(join(out, 'summary.json')).points.length, 5);
  });

  it('should refuse bad input with exit 2, a clear message, and nothing written or submitted', () => {
    const dir = tmp();
    const out = join(dir, 'bad');
    const base = ['sweep', GRAPH, ...NODES, '--out', out];
    const cases: [string[], RegExp][] = [
      [['--grid', 'x=1', '--executor', 'kubernetes'], /--executor must be local or slurm but got 'kubernetes'/],
      [['--grid', 'x=1', '--seeds', '1,a'], /--seeds 1,a: expected non-negative integer seeds/],
      [['--sample', '3', '--dist', 'x=gauss:0:1'], /--dist x=gauss:0:1: unknown distribution 'gauss'/],
      [['--sample', '3'], /--sample N needs at least one --dist/],
      [['--grid', 'x=1,2', '--grid', 'x=3'], /'x' is given by more than one --grid/],
      [['--grid', 'x=0:1:1e-9'], /--grid x=0:1:1e-9: the range gives 10+ values, more than the cap of 10000 points/],
      [['--grid', 'x=1:100:1', '--seeds', '0:199:1'], /this sweep has 20000 runs \(100 x × 200 seeds\), more than the cap of 10000/],
      [['--grid', 'x=1', '--jobs', '0'], /--jobs must be a positive integer/],
      [['--grid', 'steps=0,1'], /at steps=0: .*steps/],
      [['--grid', 'x=1', '--slurm-arg', '--time=1'], /--slurm-arg is for --executor slurm/],
    ];
    for (const [args, message] of cases) {
      const r = cli([...base, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
      assert.equal(existsSync(out), false, `${args.join(' ')} wrote nothing`);
    }
    // No sbatch on PATH: refused before anything is written.
    const noSlurm = cli([...base, '--grid', 'x=1', '--executor', 'slurm'], { ...process.env, PATH: tmp() });
    assert.equal(noSlurm.code, 2);
    assert.match(noSlurm.err, /--executor slurm: sbatch is not on PATH.*Nothing was submitted/);
    assert.equal(existsSync(out), false);
  });

  it('should refuse a sweep directory of another graph or grid, and add points with --extend', () => {
    const dir = tmp(), out = join(dir, 's');
    assert.equal(cli(['sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1']).code, 0);
    const snapshot = readFileSync(join(out, 'sweep.json'), 'utf8');
    const other = join(dir, 'other.json');
    writeFileSync(other, readFileSync(GRAPH, 'utf8').replace('"name": "noisy"', '"name": "other"'));
    const r1 = cli(['sweep', other, ...NODES, '--out', out, '--grid', 'x=1']);
    assert.equal(r1.code, 2);
    assert.match(r1.err, /holds a sweep of another graph, 'noisy'/);
    const r2 = cli(['sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1', '--set', 'steps=3']);
    assert.equal(r2.code, 2);
    assert.match(r2.err, /a different version of graph 'noisy' \(other file contents or --set values\)/);
    const r3 = cli(['sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1,2']);
    assert.equal(r3.code, 2);
    assert.match(r3.err, /different points \(this command gives 1 new and leaves out 0 of its 1\); add --extend/);
    assert.equal(readFileSync(join(out, 'sweep.json'), 'utf8'), snapshot, 'refusals change nothing');
    assert.match(cli(['sweep', '--resume', join(dir, 'nope')]).err, /not a sweep directory/);
    const r4 = cli(['sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1,2', '--extend']);
    assert.equal(r4.code, 0, r4.err);
    assert.match(r4.err, /added 1 points/);
    const m = readJson(join(out, 'sweep.json'));
    assert.deepEqual(m.points.map((p: { overrides: unknown; attempts: number }) => [p.overrides, p.attempts]), [[{ x: 1 }, 1], [{ x: 2 }, 1]]);
    assert.equal(m.definitions.length, 2);
  });

  it('should draw sampled points reproducibly from the sweep seed', () => {
    const out = join(tmp(), 's');
    const dists = ['x=loguniform:0.1:10', 'steps=choice:2,3'];
    const r = cli(['sweep', GRAPH, ...NODES, '--out', out, '--sample', '2', ...dists.flatMap((d) => ['--dist', d]), '--seed', '5', '--jobs', '2']);
    assert.equal(r.code, 0, r.err);
    const points = readJson(join(out, 'sweep.json')).points.map((p: { overrides: unknown }) => p.overrides);
    assert.deepEqual(points, samplePoints(2, parseDists(dists), 5));
    assert.notDeepEqual(points, samplePoints(2, parseDists(dists), 6));
    for (const row of readJson(join(out, 'summary.json')).rows) assert.equal(events(join(out, row.dir)).filter((e) => e.name === 'loss').length, row.point.steps, 'each run got its drawn values');
  });
});
