/**
 * The few faults that need a real process: signals from the OS, SIGKILL, two processes racing for
 * one --out, and Ctrl-C/SIGTERM on the main experiment (graphs/cis-noise.json, shortened with
 * --set). Each checks the exit code and what is on disk.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, counterGraph, graphFile, NODES, readRun, tmp } from './harness.ts';

const CIS = new URL('../../graphs/cis-noise.json', import.meta.url).pathname;

interface Spawned { code: number | null; signal: string | null; err: string; ms: number; /** ms from sending the signal to exit */ afterSignal: number | null }

/** Start `eigenflow …args`; `when(stderrSoFar)` returning a signal name sends it (once). */
function run(args: string[], when?: (err: string) => NodeJS.Signals | null): Promise<Spawned> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let sent = false, sentAt = 0;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const sig = !sent && when ? when(err) : null;
      if (sig) { sent = true; sentAt = Date.now(); child.kill(sig); }
    });
    child.on('close', (code, signal) => resolve({ code, signal, err, ms: Date.now() - t0, afterSignal: sent ? Date.now() - sentAt : null }));
  });
}

describe('faults in real processes', () => {
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${sig} from the OS: exit ${code}, manifest cancelled, whole lines`, async () => {
      const dir = tmp(), out = join(dir, 'out');
      const r = await run(['run', graphFile(counterGraph(3000, { slowMs: 1 }), dir), ...NODES, '--out', out], (err) => (/train \d+\/3000/.test(err) ? sig : null));
      assert.equal(r.code, code, r.err);
      const { manifest, lines } = readRun(out);
      assert.equal(manifest.status, 'cancelled');
      assert.equal(manifest.events, lines.length);
    });
  }

  it('kill -9 leaves the manifest running, whole lines, and a stale lock the next run reports', async () => {
    const dir = tmp(), out = join(dir, 'out');
    const f = graphFile(counterGraph(3000, { slowMs: 1 }), dir);
    let reports = 0;
    const r = await run(['run', f, ...NODES, '--out', out], (err) => ((err.match(/train \d+\/3000/g)?.length ?? 0) >= 5 && reports++ === 0 ? 'SIGKILL' : null));
    assert.equal(r.signal, 'SIGKILL');
    const { manifest, lines } = readRun(out, true);
    assert.equal(manifest.status, 'running');
    assert.ok(lines.length > 0);
    const again = await run(['run', f, ...NODES, '--out', out]);
    assert.equal(again.code, 2);
    assert.match(again.err, /stale lock from process \d+, which is no longer running.*rm "/s);
  });

  it('two processes on one --out at the same moment: one runs, the other exits 2', async () => {
    const dir = tmp(), out = join(dir, 'out');
    const f = graphFile(counterGraph(200), dir);
    const [a, b] = await Promise.all([run(['run', f, ...NODES, '--out', out, '--quiet']), run(['run', f, ...NODES, '--out', out, '--quiet'])]);
    assert.deepEqual([a.code, b.code].sort(), [0, 2], `${a.err}\n${b.err}`);
    assert.match((a.code === 2 ? a : b).err, /in use by another eigenflow run|already holds a run/);
    assert.equal(readRun(out).manifest.status, 'completed');
  });

  describe('the main experiment survives Ctrl-C and SIGTERM', () => {
    // Moments: while validating/starting (before any progress), during training, after the first eval metric line.
    const moments: [string, NodeJS.Signals, (err: string) => boolean][] = [
      ['at start-up', 'SIGTERM', () => true],
      ['mid-training', 'SIGINT', (err) => /train \d+\/\d+ [1-9]\d?%/.test(err)],
      ['late in training', 'SIGTERM', (err) => /train \d+\/\d+ [5-9]\d%/.test(err)],
    ];
    for (const [name, sig, when] of moments) {
      it(`${sig} ${name}: cancelled manifest, whole files`, async () => {
        const out = join(tmp(), 'out');
        const r = await run(['run', CIS, '--out', out, '--set', 'steps=1500', '--set', 'evalSamples=2000', '--seed', '1'], (err) => (when(err) ? sig : null));
        if (r.code === 0) return; // finished before the signal landed: nothing to check but success
        assert.equal(r.code, sig === 'SIGINT' ? 130 : 143, r.err);
        assert.doesNotMatch(r.err, /Fatal|\n\s+at /);
        // Honoured promptly: the trainer yields every few ms; the bound leaves room for a loaded machine.
        assert.ok(r.afterSignal! < 4000, `exit ${r.afterSignal} ms after ${sig}`);
        process.stdout.write(`# ${sig} ${name}: exit ${r.afterSignal} ms after the signal\n`);
        if (!existsSync(join(out, 'manifest.json'))) { assert.match(r.err, /cancelling/); return; } // before the run claimed --out
        const { manifest } = readRun(out);
        assert.equal(manifest.status, 'cancelled');
        const csv = readFileSync(join(out, 'metrics.csv'), 'utf8');
        assert.ok(csv.endsWith('\n'));
      });
    }
  });
});
