/**
 * Every committed WebAssembly binary (src/NAMEKernelBinary.ts) is exactly what its readable source
 * kernels/NAME.wat builds to with the pinned wabt: nobody can change the numbers the kernels
 * compute without changing the source a reviewer reads.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

it('should rebuild every kernels/*.wat to its committed binary byte for byte', () => {
  const sources = readdirSync(`${root}kernels`).filter((f) => f.endsWith('.wat'));
  assert.ok(sources.includes('linalg.wat') && sources.includes('fft.wat'));
  const out = execFileSync(process.execPath, ['scripts/build-kernels.mjs', '--check'], { cwd: root, encoding: 'utf8' });
  for (const f of sources) {
    const name = f.slice(0, -'.wat'.length);
    assert.match(out, new RegExp(`src/${name}KernelBinary\\.ts matches kernels/${name}\\.wat`));
  }
});
