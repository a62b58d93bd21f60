/**
 * eigenflow as another project installs it: `npm pack` of eigenflow and of its workspace package
 * @eigenflow/linalg (published separately: eigenflow depends on it by exact version), both
 * installed into a fresh project outside the repository, then plain `node` (no tsx, no second tfjs) imports
 * `eigenflow` and `eigenflow/nodes`, composes a graph with the builder, adds a node defined in
 * that project with the re-exported `tf`, pipes metrics through RxJS into its own sink, and the
 * README's snippets run as written. `tsc --noEmit` type-checks a typed consumer against the
 * shipped `.d.ts`, and the installed `eigenflow` command runs a graph with a `--nodes` module.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'eigenflow-consumer-'));
const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });

/** Runs a file with plain node in the consumer project. */
function node(file: string, args: string[] = []): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [file, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The fenced ```js blocks of one README section. */
function readmeSnippets(section: string): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`## ${section}\n`);
  assert.ok(start >= 0, `README has a "## ${section}" section`);
  const end = readme.indexOf('\n## ', start + 4);
  const body = readme.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

let tarball = '';
let linalgTarball = '';
before(() => {
  tarball = npm(['pack', '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop()!;
  linalgTarball = npm(['pack', '-w', '@eigenflow/linalg', '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop()!;
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', `./${linalgTarball}`, `./${tarball}`, 'rxjs@^7.8.0'], work);
}, { timeout: 600_000 });
after(() => rmSync(work, { recursive: true, force: true }));

test('the tarball ships compiled JavaScript, types, graphs and docs — not tests, benchmarks or sources', () => {
  const files = execFileSync('tar', ['-tzf', join(work, tarball)], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of ['package/dist/src/index.js', 'package/dist/src/index.d.ts', 'package/dist/ui/app.js', 'package/dist/nodes/index.js', 'package/dist/src/testing.js', 'package/bin/eigenflow.js', 'package/graphs/cis-noise.json', 'package/README.md']) {
    assert.ok(files.includes(f), `${f} is packed`);
  }
  for (const prefix of ['package/test/', 'package/bench/', 'package/src/', 'package/examples/']) {
    assert.deepEqual(files.filter((f) => f.startsWith(prefix)), [], `nothing under ${prefix} is packed`);
  }
  const installed = readdirSync(join(work, 'node_modules'));
  assert.ok(!installed.includes('tsx'), 'tsx is not installed with eigenflow (a dev dependency only)');
  assert.ok(!files.some((f) => f.startsWith('package/node_modules/')), 'nothing is bundled: @eigenflow/linalg is a dependency');
  const tfjsCopies = execFileSync('find', [join(work, 'node_modules'), '-name', 'package.json', '-path', '*/@tensorflow/tfjs-core/package.json'], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(tfjsCopies.length, 1, `one @tensorflow/tfjs-core in the project: ${tfjsCopies.join(', ')}`);
});

test('the @eigenflow/linalg tarball ships compiled JavaScript, types, kernel sources and README, and nothing of the engine', () => {
  const files = execFileSync('tar', ['-tzf', join(work, linalgTarball)], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const f of ['package/dist/index.js', 'package/dist/index.d.ts', 'package/kernels/linalg.wat', 'package/README.md']) {
    assert.ok(files.includes(f), `${f} is packed`);
  }
  for (const prefix of ['package/test/', 'package/bench/', 'package/src/', 'package/scripts/']) {
    assert.deepEqual(files.filter((f) => f.startsWith(prefix)), [], `nothing under ${prefix} is packed`);
  }
  const linalg = JSON.parse(readFileSync(join(work, 'node_modules/@eigenflow/linalg/package.json'), 'utf8'));
  const engine = JSON.parse(readFileSync(join(work, 'node_modules/eigenflow/package.json'), 'utf8'));
  assert.equal(engine.dependencies['@eigenflow/linalg'], linalg.version, 'eigenflow depends on the exact version packed beside it');
  assert.deepEqual(Object.keys(linalg.dependencies ?? {}), [], 'the package needs nothing at run time (koffi is optional)');
  const copies = execFileSync('find', [join(work, 'node_modules'), '-path', '*/@eigenflow/linalg/package.json'], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(copies.length, 1, `one @eigenflow/linalg in the project: ${copies.join(', ')}`);
});

const SPECTRAL = `
import { defineNode, graph, matrix64, registerNodes, runGraph } from 'eigenflow';
import { registerAllNodes } from 'eigenflow/nodes';
import { openLapack, svd } from '@eigenflow/linalg';

// A 400×400 float64 matrix (large enough for the worker threads) from a fixed LCG.
const n = 400, a = matrix64(n, n);
let x = 12345;
for (let i = 0; i < a.data.length; i++) { x = (x * 1103515245 + 12345) % 2147483648; a.data[i] = x / 2147483648 - 0.5; }
const source = defineNode({
  type: 'consumer.fixedMatrix', doc: 'Emits the fixed float64 matrix.', params: {}, inputs: {},
  outputs: { m: { type: 'matrix', precision: 'float64', doc: 'the matrix' } },
  run: () => ({ m: a }),
});
registerAllNodes();
registerNodes([source]);
const spec = graph('spectral-consumer', {})
  .node('src', 'consumer.fixedMatrix', {})
  .node('sv', 'spectral.singularValues', {}, { x: 'src.m' })
  .build();
const result = await runGraph(spec, { seed: 1, sinks: [] });
const s = Array.from(result.last['sv.singular_values']);
const alone = Array.from(svd(a, { backend: 'wasm', threads: 1 }).s);
const probe = openLapack({});
const lapack = probe.ok ? Array.from(svd(a, { backend: 'lapack', lapack: probe.lib }).s) : null;
if (probe.ok) probe.lib.close();
let frob2 = 0;
for (const v of a.data) frob2 += v * v;
console.log(JSON.stringify({ status: result.status, s, alone, lapack, frob2 }));
`;

test('a float64 spectral node runs from the tarballs on the WebAssembly path with worker threads, and LAPACK agrees', () => {
  writeFileSync(join(work, 'spectral.mjs'), SPECTRAL);
  const r = spawnSync(process.execPath, ['spectral.mjs'], {
    cwd: work, encoding: 'utf8', timeout: 120_000,
    env: { ...process.env, NODE_OPTIONS: '', EIGENFLOW_LINALG_BACKEND: 'wasm', EIGENFLOW_LINALG_THREADS: '2' },
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(out.status, 'completed');
  assert.equal(out.s.length, 400);
  const sum2 = out.s.reduce((t: number, v: number) => t + v * v, 0);
  assert.ok(Math.abs(sum2 - out.frob2) < 1e-10 * out.frob2, `Σσ² = ‖A‖²_F: ${sum2} vs ${out.frob2}`);
  out.s.forEach((v: number, i: number) => assert.ok(Math.abs(v - out.alone[i]) <= 1e-12 * out.s[0], `σ_${i}: two threads ${v}, one thread ${out.alone[i]}`));
  if (out.lapack) out.s.forEach((v: number, i: number) => assert.ok(Math.abs(v - out.lapack[i]) <= 1e-12 * out.s[0], `σ_${i}: wasm ${v}, LAPACK ${out.lapack[i]}`));
});

const CONSUMER = `
import { defineNode, graph, registerNodes, runGraph, tf } from 'eigenflow';
import { registerAllNodes } from 'eigenflow/nodes';
import { filter, map, scan } from 'rxjs';
import { Subject } from 'rxjs';

// A node defined in this project, on eigenflow's own tfjs.
const trace = defineNode({
  type: 'consumer.gramTrace',
  doc: 'Trace of xᵀx, i.e. the squared Frobenius norm of x.',
  params: {},
  inputs: { x: { type: 'matrix', doc: 'a matrix', precision: 'float32' } },
  outputs: { value: { type: 'number', doc: 'tr(xᵀx)' } },
  metrics: { trace: { kind: 'scalar', doc: 'tr(xᵀx)' } },
  run: ({ inputs, ctx }) => {
    const t = tf.sum(tf.square(inputs.x)).dataSync()[0];
    ctx.metric('trace', t);
    return { value: t };
  },
});

registerAllNodes();
registerNodes([trace]);
const spec = graph('consumer', { steps: 60 })
  .node('task', 'linear.whitenedTask', { ni: 3, no: 3, seed: 1 })
  .node('init', 'linear.balancedInit', { ni: 3, nh: 3, no: 3, lambda: 0, scale: 0.1, aligned: false, seed: 1 }, { task: 'task.task' })
  .node('train', 'linear.train', { lr: 0.05, steps: '$steps' }, { weights: 'init.weights', task: 'task.task' })
  .node('x', 'gen.gaussian', { rows: 20, cols: 5 })
  .node('tr', trace, {}, { x: 'x' })
  .build();

// Metrics through an RxJS operator chain into this project's own sink.
const events = new Subject();
const seen = [];
events.pipe(
  filter((e) => e.node === 'train' && e.name === 'loss'),
  map((e) => e.value),
  scan((acc, v) => ({ n: acc.n + 1, min: Math.min(acc.min, v) }), { n: 0, min: Infinity }),
).subscribe((s) => seen.push(s));
let counted = 0;
const result = await runGraph(spec, { seed: 3, sinks: [events, (e) => { if (e.node === 'train' && e.name === 'loss') counted++; }] });
const last = seen[seen.length - 1];
console.log(JSON.stringify({ status: result.status, losses: last.n, counted, minLoss: last.min, trace: result.last['tr.trace'], numTensors: tf.memory().numTensors, backend: tf.getBackend() }));
`;

test('plain node imports eigenflow and eigenflow/nodes, runs a custom node and an RxJS sink, with one tfjs', () => {
  writeFileSync(join(work, 'consumer.mjs'), CONSUMER);
  const r = node('consumer.mjs');
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /already registered/i, 'no second tfjs registering its kernels again');
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(out.status, 'completed');
  assert.ok(out.counted >= 60, `a loss per training step reached a plain function sink: ${out.counted}`);
  assert.equal(out.losses, out.counted, 'every loss event reached the RxJS chain');
  assert.ok(out.minLoss > 0 && out.minLoss < 1, `a plausible minimum loss: ${out.minLoss}`);
  // E[tr(xᵀx)] = rows·cols for standard normal entries; 100 entries → sd ≈ √200 ≈ 14.
  assert.ok(Math.abs(out.trace - 100) < 80, `tr(xᵀx) ≈ 100 for a 20×5 standard normal matrix: ${out.trace}`);
  assert.equal(out.backend, 'wasm');
});

test("README's Programmatic use and Writing a node snippets run as written", () => {
  const snippets = [...readmeSnippets('Programmatic use'), ...readmeSnippets('Writing a node')];
  assert.ok(snippets.length >= 2, 'both sections have a runnable js snippet');
  snippets.forEach((code, i) => {
    writeFileSync(join(work, `readme-${i}.mjs`), code);
    const r = node(`readme-${i}.mjs`);
    assert.equal(r.status, 0, `README snippet ${i} failed:\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /already registered|Error/);
  });
  const manifest = JSON.parse(readFileSync(join(work, 'runs/linear-balanced/manifest.json'), 'utf8'));
  assert.equal(manifest.status, 'completed');
  assert.ok(existsSync(join(work, 'runs/linear-balanced/metrics.jsonl')));
});

test('tsc --noEmit type-checks a typed consumer and the README snippets against the shipped .d.ts', () => {
  const typed = CONSUMER
    .replace("import { Subject } from 'rxjs';", "import { Subject } from 'rxjs';\nimport type { MetricEvent, RunResult } from 'eigenflow';")
    .replace('const events = new Subject();', 'const events = new Subject<MetricEvent>();')
    .replace('const seen = [];', 'const seen: { n: number; min: number }[] = [];')
    .replace('(e) => { if', '(e: MetricEvent) => { if')
    .replace('map((e) => e.value),', 'map((e) => e.value as number),')
    .replace('const result = await', 'const result: RunResult = await');
  writeFileSync(join(work, 'consumer.ts'), typed);
  const snippets = [...readmeSnippets('Programmatic use'), ...readmeSnippets('Writing a node')];
  snippets.forEach((code, i) => writeFileSync(join(work, `readme-${i}.ts`), code));
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true,
      typeRoots: [join(ROOT, 'node_modules/@types')], types: ['node'],
    },
    files: ['consumer.ts', ...snippets.map((_, i) => `readme-${i}.ts`)],
  }));
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', work], { cwd: work, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});

test('the installed eigenflow command runs a JSON graph with a --nodes module under plain node', () => {
  writeFileSync(join(work, 'my-nodes.mjs'), `
import { defineNode } from 'eigenflow';
export const nodes = [defineNode({
  type: 'consumer.constant',
  doc: 'Emits a constant.',
  params: { value: { type: 'number', doc: 'the constant', default: 1 } },
  inputs: {}, outputs: {},
  metrics: { value: { kind: 'scalar', doc: 'the constant' } },
  run: ({ params, ctx }) => { ctx.metric('value', params.value); return {}; },
})];
`);
  writeFileSync(join(work, 'g.json'), JSON.stringify({ name: 'cli-consumer', params: { v: 7 }, nodes: { c: { type: 'consumer.constant', params: { value: '$v' } } } }));
  const r = node(join(work, 'node_modules/.bin/eigenflow'), ['run', 'g.json', '--nodes', './my-nodes.mjs', '--set', 'v=42', '--out', 'runs/cli', '--quiet']);
  assert.equal(r.status, 0, r.stderr);
  const lines = readFileSync(join(work, 'runs/cli/metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.node, l.name, l.value]), [['c', 'value', 42]]);
  assert.equal(JSON.parse(readFileSync(join(work, 'runs/cli/manifest.json'), 'utf8')).status, 'completed');
});

test('the installed eigenflow trains CiS members on worker threads (the compiled worker module) as on one thread', () => {
  const run = (threads: string, out: string) => {
    const r = spawnSync(process.execPath, [join(work, 'node_modules/.bin/eigenflow'), 'run', join(work, 'node_modules/eigenflow/graphs/cis-noise.json'),
      '--set', 'n=12', '--set', 'm=5', '--set', 'p=0.2', '--set', 'batch=64', '--set', 'steps=60', '--set', 'evalSamples=500',
      '--members', 'seed=0:2', '--out', out, '--quiet'], { cwd: work, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_OPTIONS: '', EIGENFLOW_MEMBER_THREADS: threads } });
    assert.equal(r.status, 0, r.stderr);
    return readFileSync(join(work, out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { node: string; name: string; step: number; member: number; value: unknown })
      .filter((e) => e.node === 'train').map((e) => [e.member, e.name, e.step, e.value]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  };
  const threaded = run('3', 'runs/members3'), single = run('1', 'runs/members1');
  assert.equal(threaded.length, 3 * 2 * 6);
  assert.deepEqual(threaded, single);
});

test('an installed eigenflow serves its bundled browser app: `eigenflow view` of the run above', async () => {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [join(work, 'node_modules/.bin/eigenflow'), 'view', 'runs/cli'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (d: Buffer) => { text += d; const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(text); if (m) resolve(m[0]); });
      child.on('exit', (code) => reject(new Error(`exited ${code} before printing a URL`)));
    });
    assert.equal(await (await fetch(`${url}app.js`)).text(), readFileSync(join(work, 'node_modules/eigenflow/dist/ui/app.js'), 'utf8'));
    assert.equal(((await (await fetch(`${url}state`)).json()) as { runs: { name: string }[] }).runs[0]!.name, 'cli');
  } finally {
    child.kill('SIGTERM');
  }
});
