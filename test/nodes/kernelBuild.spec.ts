/**
 * The node library's WebAssembly kernels (nodes/<family>/kernels/NAME.wat) are committed as
 * generated modules (nodes/<family>/NAMEKernelBinary.ts); each must be exactly what its readable
 * source builds to, so nobody changes what a kernel computes without changing the source.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

it('should rebuild every nodes/*/kernels/*.wat to its committed module byte for byte', () => {
  const families = readdirSync(`${root}nodes`).filter((f) => existsSync(`${root}nodes/${f}/kernels`));
  assert.ok(families.includes('optim'), 'the CiS step kernel lives in nodes/optim/kernels');
  for (const family of families) {
    const out = execFileSync(process.execPath, ['packages/linalg/scripts/build-kernels.mjs', '--in', `nodes/${family}/kernels`, '--out', `nodes/${family}`, '--check'], { cwd: root, encoding: 'utf8' });
    for (const f of readdirSync(`${root}nodes/${family}/kernels`).filter((w) => w.endsWith('.wat'))) {
      const name = f.slice(0, -'.wat'.length);
      assert.match(out, new RegExp(`nodes/${family}/${name}KernelBinary\\.ts matches nodes/${family}/kernels/${name}\\.wat`));
    }
  }
});
