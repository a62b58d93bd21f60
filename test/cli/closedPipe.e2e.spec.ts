/** A reader that closes stdout early (`eigenflow nodes | head -1`) ends the output, not the command. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const BIN = fileURLToPath(new URL('../../bin/eigenflow.js', import.meta.url));

/** Runs `eigenflow ...args`, destroys its stdout after the first chunk, and returns the exit code and stderr. */
function runClosingStdout(args: string[]): Promise<{ code: number | null; err: string; chunks: number }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let chunks = 0;
    child.stderr.on('data', (d: Buffer) => { err += d; });
    child.stdout.once('data', () => { chunks++; child.stdout.destroy(); });
    child.on('close', (code) => done({ code, err, chunks }));
  });
}

describe('closed stdout', () => {
  for (const command of [['nodes'], ['nodes', '--json'], ['graphs']]) {
    it(`should exit 0 without an EPIPE trace when the reader of 'eigenflow ${command.join(' ')}' goes away`, async () => {
      const r = await runClosingStdout(command);
      assert.equal(r.chunks, 1);
      assert.doesNotMatch(r.err, /EPIPE/);
      assert.equal(r.code, 0, r.err);
    });
  }
});
