/**
 * The committed WebAssembly binaries (src/linalg/wasmKernelBinary.ts, src/linalg/fftKernelBinary.ts)
 * are exactly what their readable sources kernels/linalg.wat and kernels/fft.wat build to with
 * the pinned wabt: nobody can change the numbers the kernels compute without changing the source
 * a reviewer reads.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('should rebuild kernels/linalg.wat and kernels/fft.wat to the committed binaries byte for byte', () => {
  const out = execFileSync(process.execPath, ['scripts/build-kernels.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  assert.match(out, /wasmKernelBinary\.ts matches kernels\/linalg\.wat/);
  assert.match(out, /fftKernelBinary\.ts matches kernels\/fft\.wat/);
});
