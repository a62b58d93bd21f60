/**
 * Composing experiments from a project that installed the packed tarballs (eigenflow and
 * @eigenflow/linalg), as a new user would: `tsc` checks builder calls against the shipped
 * `.d.ts` (library types and the project's own, added to `NodeTypes`), `eigenflow run cis-noise`
 * finds the shipped graph by name, and `eigenflow init` writes a project whose `npm install &&
 * npm test` and `npm run demo` pass as written.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'eigenflow-compose-'));
const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'] });
// Without NODE_TEST_CONTEXT, a `node --test` started here reports as TAP on its stdout, not to this test runner.
const { NODE_TEST_CONTEXT: _, ...env } = process.env;
const run = (cmd: string, args: string[], cwd: string) => spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...env, NODE_OPTIONS: '' } });
const eigenflow = (args: string[], cwd = work) => run(process.execPath, [join(work, 'node_modules/.bin/eigenflow'), ...args], cwd);

let tarballs: string[] = [];
before(() => {
  const eigenflowTgz = npm(['pack', '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop()!;
  const linalgTgz = npm(['pack', '-w', '@eigenflow/linalg', '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop()!;
  tarballs = [linalgTgz, eigenflowTgz].map((t) => join(work, t));
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'composer', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], work);
}, { timeout: 900_000 });
after(() => rmSync(work, { recursive: true, force: true }));

/** `tsc` diagnostics for `files`, as `{ line (0-based), message }` per file, with the message's chained lines. */
function tsc(files: Record<string, string>): Map<string, { line: number; message: string }[]> {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(work, name), text);
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true,
      typeRoots: [join(ROOT, 'node_modules/@types')], types: ['node'],
    },
    files: Object.keys(files),
  }));
  const r = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', work, '--pretty', 'false'], work);
  const found = new Map<string, { line: number; message: string }[]>(Object.keys(files).map((f) => [f, []]));
  let last: { line: number; message: string } | null = null;
  for (const l of r.stdout.split('\n')) {
    const m = /^(.+?)\((\d+),\d+\): error (.*)$/.exec(l);
    if (m) { last = { line: Number(m[2]) - 1, message: m[3]! }; found.get(m[1]!)?.push(last); } else if (last && l.startsWith(' ')) last.message += `\n${l.trim()}`;
  }
  return found;
}

/** The in-repository type fixture, importing the installed package instead of the sources, plus a node of this project. */
const TYPED = readFileSync(join(ROOT, 'test/fixtures/types/builder.ts'), 'utf8')
  .replace("type MetricEvent } from '../../../src/index.ts';", "type MetricEvent, type NodeTypesOf } from 'eigenflow';")
  .replace("import '../../../nodes/index.ts';", "import 'eigenflow/nodes';")
  .replace("from '../../../nodes/index.ts';", "from 'eigenflow/nodes';")
  + `
// A node of this project, known to the builder by its type name through NodeTypes.
const decay = defineNode({
  type: 'mine.decay', doc: 'x·e^(−t)', params: { t: { type: 'number', doc: 'time' } },
  inputs: { x: { type: 'matrix', doc: 'x' } }, outputs: { out: { type: 'matrix', doc: 'decayed' } },
  metrics: { factor: { kind: 'scalar', doc: 'e^(−t)' } },
  run: ({ params, inputs, ctx }) => { ctx.metric('factor', Math.exp(-params.t)); return { out: inputs.x }; },
});
export const nodes = [decay];
declare module 'eigenflow' { interface NodeTypes extends NodeTypesOf<typeof nodes> {} }

export const mine = graph('mine').node('x', 'gen.gaussian', { rows: 4, cols: 4 }).node('d', 'mine.decay', { t: 2 }, { x: 'x' }).plot({ y: ['d.factor'] }).build();
// @ts-expect-error -- Type 'boolean' is not assignable to type 'number
graph('mine').node('d', 'mine.decay', { t: true });
`;

describe('composing from a project that installed the tarball', () => {
  it('should have tsc accept the correct builder calls and reject each marked one with its diagnostic', () => {
    const lines = TYPED.split('\n');
    const marks = lines.flatMap((l, i) => { const m = /\/\/ @ts-expect-error -- (.*)$/.exec(l); return m ? [{ line: i + 1, text: m[1]! }] : []; });
    assert.ok(marks.length >= 13, `marked rejections: ${marks.length}`);
    const stripped = lines.map((l) => l.replace(/\/\/ @ts-expect-error -- .*$/, '')).join('\n');
    const found = tsc({ 'typed.ts': TYPED, 'stripped.ts': stripped });
    assert.deepEqual(found.get('typed.ts'), [], 'the file as written type-checks against the shipped .d.ts');
    const errors = found.get('stripped.ts')!;
    for (const { line, text } of marks) {
      const at = errors.filter((d) => d.line === line);
      assert.ok(at.some((d) => d.message.includes(text)), `line ${line + 1} (${lines[line]!.trim()}) fails with "${text}"; got: ${at.map((d) => d.message).join(' | ') || 'no error'}`);
    }
    assert.deepEqual(errors.filter((d) => !marks.some((m) => m.line === d.line)), [], 'no other line fails');
  });

  it('should run a shipped graph by name with the installed command, and list the shipped graphs', () => {
    const r = eigenflow(['run', 'cis-noise', '--set', 'steps=100', '--set', 'n=20', '--set', 'm=10', '--set', 'evalSamples=2000', '--out', 'runs/cis', '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(join(work, 'runs/cis/manifest.json'), 'utf8')).status, 'completed');
    assert.ok(existsSync(join(work, 'runs/cis/plots/loss.svg')));
    const list = eigenflow(['graphs']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^cis-noise\s+Computation in superposition/m);
  });

  it('should write with eigenflow init a project whose npm install && npm test and npm run demo pass as written', () => {
    const init = eigenflow(['init', 'study']);
    assert.equal(init.status, 0, init.stderr);
    const study = join(work, 'study');
    // The only change: the registry's eigenflow (and its @eigenflow/linalg) are the tarballs under test.
    const pkg = JSON.parse(readFileSync(join(study, 'package.json'), 'utf8'));
    assert.match(pkg.dependencies.eigenflow, /^\^\d+\.\d+\.\d+$/);
    pkg.dependencies = { '@eigenflow/linalg': `file:${tarballs[0]}`, eigenflow: `file:${tarballs[1]}` };
    writeFileSync(join(study, 'package.json'), JSON.stringify(pkg, null, 2));
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline'], study);
    const test = run('npm', ['test'], study);
    assert.equal(test.status, 0, `npm test failed:\n${test.stdout}\n${test.stderr}`);
    assert.match(test.stdout, /# pass 3\b/);
    const demo = run('npm', ['run', 'demo', '--', '--out', 'runs/demo', '--quiet'], study);
    assert.equal(demo.status, 0, `npm run demo failed:\n${demo.stdout}\n${demo.stderr}`);
    assert.equal(JSON.parse(readFileSync(join(study, 'runs/demo/manifest.json'), 'utf8')).status, 'completed');
    assert.ok(existsSync(join(study, 'runs/demo/plots/spectrum.svg')));
    const events = readFileSync(join(study, 'runs/demo/metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const normIn = events.find((e) => e.name === 'norm_in').value, normOut = events.find((e) => e.name === 'norm_out').value;
    assert.ok(Math.abs(normOut - normIn / 2) < 1e-4 * normIn, `‖x/(1+λ)‖ = ‖x‖/2 at λ = 1: ${normIn}, ${normOut}`);
  });
});
