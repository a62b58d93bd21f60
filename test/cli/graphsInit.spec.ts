/** `eigenflow graphs`, graphs by name on the command line, and `eigenflow init`, in process. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cli } from '../faults/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'ef-compose-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('eigenflow graphs', () => {
  it('should list every shipped graph by name, with its file and description', async () => {
    const r = await cli(['graphs', '--json']);
    assert.equal(r.code, 0, r.err);
    const graphs = JSON.parse(r.out) as { name: string; file: string; description: string }[];
    const shipped = readdirSync(new URL('../../graphs', import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort((a, b) => a.localeCompare(b));
    assert.deepEqual(graphs.map((g) => g.name), shipped);
    for (const g of graphs) assert.ok(existsSync(g.file) && g.description.length > 20, g.name);
    const text = await cli(['graphs']);
    assert.match(text.out, /^cis-noise\s+Computation in superposition/m);
  });

  it('should accept a shipped graph by name where a file is expected, and suggest a name for a typo', async () => {
    const ok = await cli(['validate', 'cis-noise', '--set', 'n=20']);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /^cis-noise: valid/);
    const typo = await cli(['validate', 'cis-nosie']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /cannot read graph file: no such file, nor the name of a graph shipped with eigenflow \(cis-noise, .*\); did you mean 'cis-noise'\?/);
  });
});

describe('eigenflow init', () => {
  it('should write the starter project, with this version of eigenflow as its dependency', async () => {
    const target = join(dir, 'My Study');
    const r = await cli(['init', target]);
    assert.equal(r.code, 0, r.err);
    for (const f of ['package.json', 'tsconfig.json', '.gitignore', 'src/nodes.ts', 'graphs/demo.json', 'test/shrink.test.ts']) assert.ok(existsSync(join(target, f)), f);
    const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8'));
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    assert.equal(pkg.name, 'my-study');
    assert.equal(pkg.dependencies.eigenflow, `^${version}`);
    assert.match(r.out, /npm install\n\s+npm test/);
  });

  it('should refuse a directory that is not empty, writing nothing', async () => {
    const target = join(dir, 'taken');
    const r0 = await cli(['init', target]);
    assert.equal(r0.code, 0);
    writeFileSync(join(dir, 'file'), 'x');
    for (const t of [target, join(dir, 'file')]) {
      const before = existsSync(t) && readdirSync(dir).length;
      const r = await cli(['init', t]);
      assert.equal(r.code, 2);
      assert.match(r.err, /eigenflow init: .* (is not empty|is a file); give a new or empty directory \(nothing was written\)/);
      assert.equal(existsSync(t) && readdirSync(dir).length, before);
    }
    assert.equal((await cli(['init'])).code, 2);
  });
});
