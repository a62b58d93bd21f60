import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('../examples/', import.meta.url).pathname;

describe('examples', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
    it(`should run examples/${file} to completion`, () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', `examples/${file}`], { cwd: new URL('..', import.meta.url).pathname, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `exit ${r.status}\n${r.stderr}`);
      assert.match(r.stdout, /status:? completed/);
    });
  }
});
