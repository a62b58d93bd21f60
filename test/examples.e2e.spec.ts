import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('../examples/', import.meta.url).pathname;
/** Every example, and the figure script that runs a tiny grid itself when given no sweep directories. */
const scripts = [...readdirSync(dir).filter((f) => f.endsWith('.ts')).sort().map((f) => `examples/${f}`), 'docs/figures/cis.ts'];

describe('examples', () => {
  for (const file of scripts) {
    it(`should run ${file} to completion`, () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `exit ${r.status}\n${r.stderr}`);
      assert.match(r.stdout, /status:? completed/);
    });
  }
});
