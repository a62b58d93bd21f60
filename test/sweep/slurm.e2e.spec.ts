/**
 * A real sweep through Slurm (sbatch job arrays). Runs when `sbatch` is on PATH and a cluster
 * answers (CI starts one with scripts/slurm-local.sh up); otherwise says why it is skipped.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../src/sweep/slurmExecutor.ts';
import { cli, GRAPH, NODES, readJson, tmp } from './helpers.ts';

function slurmMissing(): string | null {
  if (!which('sbatch')) return 'sbatch is not on PATH (start a local Slurm with: sudo scripts/slurm-local.sh up)';
  const ping = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 10_000 });
  if (ping.status !== 0 || !/idle|mixed|allocated/.test(ping.stdout)) return `no Slurm node is up (sinfo: ${(ping.stderr || ping.stdout).trim() || 'no answer'}; try scripts/slurm-local.sh up)`;
  return null;
}

const skip = slurmMissing();
if (skip) process.stdout.write(`# SKIPPED the Slurm sweep tests: ${skip}\n`);

describe('eigenflow sweep --executor slurm', { skip: skip ?? false }, () => {
  it('should run a job array, fail a point, complete it on --resume, and match the local executor value for value', () => {
    const dir = tmp(), out = join(dir, 'slurm'), gate = join(dir, 'gate');
    // Every point fails while the gate file is missing, and succeeds once it exists.
    const common = ['--grid', 'x=1', '--seeds', '0,1'];
    const submit = cli(['sweep', GRAPH, ...NODES, '--out', out, ...common, '--set', `gate=${gate}`, '--executor', 'slurm', '--parallel', '2', '--slurm-arg', '--time=00:05:00']);
    assert.equal(submit.code, 0, submit.err);
    assert.match(submit.err, /submitted Slurm array job (\d+) \(2 points, at most 2 at once\) and summary job \d+/);
    const script = readFileSync(join(out, 'slurm', 'array-1.sh'), 'utf8');
    for (const line of ['#SBATCH --array=0-1%2', '#SBATCH --open-mode=append', '#SBATCH --time="00:05:00"', 'IDS=(0 1)']) assert.ok(script.includes(line), line);
    assert.match(script, new RegExp(`exec '${process.execPath}' '/.*/bin/eigenflow\\.js' sweep run-point`));
    const first = cli(['sweep', 'wait', out, '--poll', '0.5']);
    assert.equal(first.code, 1, first.err);
    const status = cli(['sweep', 'status', out]);
    assert.match(status.out, /2 points \(slurm\): 2 failed/);
    writeFileSync(gate, '');
    const resume = cli(['sweep', '--resume', out]);
    assert.equal(resume.code, 0, resume.err);
    assert.match(resume.err, /submitted Slurm array job \d+ \(2 points/);
    const second = cli(['sweep', 'wait', out, '--poll', '0.5']);
    assert.equal(second.code, 0, second.err);
    const m = readJson(join(out, 'sweep.json'));
    assert.ok(m.points.every((p: { status: string; attempts: number; slurmJob: string }) => p.status === 'completed' && p.attempts === 2 && /^\d+_\d$/.test(p.slurmJob)));
    // The summary job (afterany) wrote the summary.
    const summary = readJson(join(out, 'summary.json'));
    assert.equal(summary.points.length, 1);
    assert.deepEqual(summary.points.map((p: { completed: number }) => p.completed), [2]);
    // The same points and seeds run locally give identical per-seed values.
    const local = cli(['sweep', GRAPH, ...NODES, '--out', join(dir, 'local'), ...common, '--set', `gate=${gate}`, '--jobs', '2']);
    assert.equal(local.code, 0, local.err);
    const localSummary = readJson(join(dir, 'local', 'summary.json'));
    const values = (s: { points: { metrics: Record<string, { values: unknown }> }[] }) => s.points.map((p) => Object.fromEntries(Object.entries(p.metrics).map(([k, v]) => [k, v.values])));
    assert.deepEqual(values(summary), values(localSummary));
    assert.equal(readFileSync(join(out, 'summary.csv'), 'utf8'), readFileSync(join(dir, 'local', 'summary.csv'), 'utf8'));
  });

  it('should pass --tensorboard on to the points run by Slurm array tasks', () => {
    const out = join(tmp(), 'slurm-tb');
    const submit = cli(['sweep', GRAPH, ...NODES, '--out', out, '--grid', 'x=1', '--tensorboard', '--executor', 'slurm', '--slurm-arg', '--time=00:05:00']);
    assert.equal(submit.code, 0, submit.err);
    const done = cli(['sweep', 'wait', out, '--poll', '0.5']);
    assert.equal(done.code, 0, done.err);
    const m = readJson(join(out, 'sweep.json'));
    const files = readdirSync(join(out, m.points[0].dir)).filter((f: string) => f.startsWith('events.out.tfevents.'));
    assert.equal(files.length, 1, readdirSync(join(out, m.points[0].dir)).join(', '));
  });
});
