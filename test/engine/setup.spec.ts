/**
 * The package straight after import, in a fresh process: `await ready()` makes `tf` usable, and an
 * uncaught error after the wasm backend started prints as Node prints it (no emscripten source).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'eigenflow-setup-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(code: string): { status: number | null; stdout: string; stderr: string } {
  const file = join(dir, `script-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(file, `import { ready, runGraph, graph, registerNodes, defineNode, tf } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};\n${code}`);
  return spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

describe('the package right after import', () => {
  it('should make tf usable after await ready(), on the wasm backend', () => {
    const r = run(`const info = await ready();\nconsole.log(JSON.stringify({ tensors: tf.memory().numTensors, backend: tf.getBackend(), info: info.name }));`);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { tensors: 0, backend: 'wasm', info: 'wasm' });
  });

  for (const [what, code] of [
    ['an uncaught exception', `await ready();\nsetTimeout(() => { throw new Error('boom'); }, 1);`],
    ['an unhandled rejection', `await ready();\nPromise.reject(new Error('boom'));`],
    ['an error after a run', `const n = defineNode({ type: 'x.one', doc: 'd', params: {}, inputs: {}, outputs: {}, metrics: {}, run: () => ({}) });\nregisterNodes([n]);\nawait runGraph(graph('g').node('a', n).build());\nthrow new Error('boom');`],
  ] as const) {
    it(`should print ${what} after the wasm backend started without emscripten source, exit 1`, () => {
      const r = run(code);
      assert.equal(r.status, 1, r.stderr.slice(0, 500));
      assert.match(r.stderr, /Error: boom/);
      assert.ok(r.stderr.length < 2000, `stderr is ${r.stderr.length} characters: ${r.stderr.slice(0, 300)}`);
      assert.doesNotMatch(r.stderr, /WasmBackendModule|readyPromiseResolve/);
    });
  }
});
