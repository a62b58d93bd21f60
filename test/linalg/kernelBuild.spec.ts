/**
 * The committed WebAssembly binary (src/linalg/wasmKernelBinary.ts) is exactly what its readable
 * source kernels/linalg.wat builds to with the pinned wabt: nobody can change the numbers the
 * kernels compute without changing the source a reviewer reads.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('should rebuild kernels/linalg.wat to the committed binary byte for byte', () => {
  const out = execFileSync(process.execPath, ['scripts/build-kernels.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.match(out, /matches kernels\/linalg\.wat/);
});
