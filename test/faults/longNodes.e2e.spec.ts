/**
 * Ctrl-C during a long node computation: the nodes that can compute for seconds (the main
 * experiment's final evaluation, the weights report of a many-layer checkpoint) run as generators
 * that yield between chunks, so SIGINT ends the run within a chunk — not after the whole
 * computation (the SSM kernel's dense cross-check likewise). Each test spawns the real CLI, sends SIGINT once the node's progress line shows it
 * is under way, and checks exit 130, a `cancelled` manifest, whole JSONL lines, and how long the
 * process took to exit after the signal.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveRng } from '../../src/rng.ts';
import { safetensorsBytes, type StTensor } from '../nodes/io/formatWriters.ts';
import { BIN, graphFile, readRun, tmp } from './harness.ts';

const CIS = new URL('../../graphs/cis-noise.json', import.meta.url).pathname;
const SSM = new URL('../../graphs/ssm-kernel.json', import.meta.url).pathname;

/**
 * The bound on exit after SIGINT. One chunk of either node takes well under 0.5 s, flushing the
 * run a few ms; the rest is room for a loaded CI machine. Before these nodes yielded, both runs
 * below kept computing for 2–3 s after the signal.
 */
const BOUND_MS = 1500;

interface Spawned { code: number | null; err: string; afterSignal: number | null }

/** Start `eigenflow …args` and send SIGINT once stderr matches `when`. */
function runUntil(args: string[], when: RegExp): Promise<Spawned> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '', sentAt = 0;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (!sentAt && when.test(err)) { sentAt = Date.now(); child.kill('SIGINT'); }
    });
    child.on('close', (code) => resolve({ code, err, afterSignal: sentAt ? Date.now() - sentAt : null }));
  });
}

function assertCancelledPromptly(r: Spawned, out: string, what: string): void {
  assert.notEqual(r.afterSignal, null, `the signal was never sent; stderr:\n${r.err}`);
  assert.equal(r.code, 130, r.err);
  assert.doesNotMatch(r.err, /Fatal|\n\s+at /);
  process.stdout.write(`# SIGINT during ${what}: exit ${r.afterSignal} ms after the signal\n`);
  assert.ok(r.afterSignal! < BOUND_MS, `exit ${r.afterSignal} ms after SIGINT during ${what} (bound ${BOUND_MS} ms)`);
  const { manifest, lines } = readRun(out); // also asserts every JSONL line is whole and parses
  assert.equal(manifest.status, 'cancelled');
  assert.equal(manifest.events, lines.length);
}

/** A safetensors checkpoint of `layers` Gaussian `rows`×`cols` weights (float32). */
function gaussianCheckpoint(file: string, layers: number, rows: number, cols: number): void {
  const rng = deriveRng(1, 'long-nodes-checkpoint');
  const tensors: StTensor[] = Array.from({ length: layers }, (_, i) => ({
    name: `layer${i}.weight`, shape: [rows, cols], dtype: 'f32',
    values: Array.from({ length: rows * cols }, () => rng.normal() / Math.sqrt(cols)),
  }));
  writeFileSync(file, safetensorsBytes(tensors));
}

describe('Ctrl-C during a long node computation', () => {
  it('during the main experiment\'s evaluation (2,000,000 samples): exit 130 within the bound, cancelled, whole lines', async () => {
    const out = join(tmp(), 'out');
    // 50 training steps, then an evaluation of 200 chunks (~3 s on an idle machine) that dominates the run.
    const r = await runUntil(['run', CIS, '--out', out, '--set', 'steps=50', '--set', 'evalSamples=2000000', '--seed', '1'], /eval [1-9]\d*\/200/);
    assertCancelledPromptly(r, out, 'cis.evalLoss');
    const { lines } = readRun(out);
    assert.ok(lines.some((l) => l.node === 'train'), 'training metrics are on disk');
    assert.ok(!lines.some((l) => l.node === 'eval'), 'no eval metric: the evaluation was cut short');
  });

  it('during the weights report of a 12-layer checkpoint: exit 130 within the bound, cancelled, no report files', async () => {
    const dir = tmp(), out = join(dir, 'out'), ckpt = join(dir, 'model.safetensors');
    // 12 layers of 512×1024: ~0.3 s of analysis each on an idle machine, ~4 s in all.
    gaussianCheckpoint(ckpt, 12, 512, 1024);
    const graph = graphFile({
      name: 'weights-report',
      nodes: {
        ckpt: { type: 'io.checkpoint', params: { path: ckpt } },
        report: { type: 'spectral.weightsReport', params: { figures: false }, inputs: { checkpoint: 'ckpt.checkpoint' } },
      },
    }, dir);
    const r = await runUntil(['run', graph, '--out', out], /report [2-9]\/12/);
    assertCancelledPromptly(r, out, 'spectral.weightsReport');
    const { lines, files } = readRun(out);
    assert.ok(lines.some((l) => l.node === 'report' && l.name === 'alpha_layer0.weight'), 'the first layer\'s metrics are on disk');
    assert.ok(!files.includes('layers.csv') && !files.includes('layers.json'), `a cancelled report writes no table: ${files.join(', ')}`);
  });

  it('during the SSM kernel\'s dense cross-check (n = 64, L = 10⁶): exit 130 within the bound, cancelled', async () => {
    const out = join(tmp(), 'out');
    // A diagonal system checked against 10⁶ dense mat-vecs: ~10 s of work on an idle machine.
    const r = await runUntil(['run', SSM, '--out', out, '--set', 'kind=diagonal', '--set', 'n=64', '--set', 'L=1000000',
      '--set', 'A=null', '--set', 'B=null', '--set', 'C=null'], /kernel \d+\/1000000/);
    assertCancelledPromptly(r, out, 'ssm.kernel');
    const { lines } = readRun(out);
    assert.ok(!lines.some((l) => l.node === 'kernel' && l.name === 'diagonal_vs_dense'), 'no cross-check metric: it was cut short');
  });
});
