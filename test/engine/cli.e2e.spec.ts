import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/eigenflow.js', import.meta.url).pathname;
const GRAPH = new URL('../fixtures/counter.json', import.meta.url).pathname;
const NODES = ['--nodes', new URL('../fixtures/nodes.ts', import.meta.url).pathname];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = (): string => mkdtempSync(join(tmpdir(), 'ef-cli-'));

describe('eigenflow CLI', () => {
  it('should run a graph and write metrics, manifest and plots', () => {
    const out = join(tmp(), 'run');
    const r = cli('run', GRAPH, ...NODES, '--out', out, '--set', 'steps=50', '--set', 'probe.scale=2', '--seed', '4');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /final\.mean = 50\.5/); // one-off metric line
    assert.match(r.err, /run completed/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.equal(manifest.status, 'completed');
    assert.equal(manifest.graph.params.steps, 50);
    assert.equal(manifest.graph.nodes.probe.params.scale, 2);
    assert.equal(manifest.seed, 4);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.node === 'probe').length, 5);
    assert.deepEqual(readdirSync(join(out, 'plots')).sort(), ['loss.svg', 'probe-vs-final.svg']);
  });

  it('should exit 2 for a plot of an undeclared metric and for a generator waiting on itself', () => {
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({
      name: 'bad', params: {},
      nodes: { train: { type: 'fx.trainer' }, probe: { type: 'fx.probe', inputs: { x: 'train.snapshot', offset: 'train.final' } } },
      plots: [{ y: ['train.los'] }],
    }));
    const out = join(dir, 'out');
    const r = cli('run', bad, ...NODES, '--out', out);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /plots\[0\] refers to train\.los, but fx\.trainer \(node train\) declares no metric 'los' \(did you mean 'train\.loss'\?\)/);
    assert.match(r.err, /so train would wait on itself/);
    assert.equal(existsSync(out), false);
  });

  it('should exit 2 on an invalid graph with one line per problem, no stack trace and no output directory', () => {
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', params: {}, nodes: { a: { type: 'fx.trainer', params: { steps: 0 } }, b: { type: 'fx.nope' } } }));
    const out = join(dir, 'out');
    const r = cli('run', bad, ...NODES, '--out', out);
    assert.equal(r.code, 2);
    assert.match(r.err, /2 problems in graph 'bad':\n {2}Error: nodes\.a\.params\.steps must be ≥ 1 but got 0\n {2}Error: nodes\.b\.type: unknown node type 'fx\.nope'/);
    assert.doesNotMatch(r.err, /\n\s+at /);
    assert.equal(existsSync(out), false);
  });

  it('should exit 2 on bad usage: unknown --set name, unknown option, missing file, bad JSON', () => {
    assert.match(cli('run', GRAPH, ...NODES, '--set', 'sigma=1').err, /'sigma' is not a graph parameter of counter/);
    assert.equal(cli('run', GRAPH, '--frobnicate').code, 2);
    const missing = cli('validate', '/nonexistent.json');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read graph file: no such file/);
    const f = join(tmp(), 'x.json');
    writeFileSync(f, '{"name": ');
    assert.match(cli('validate', f).err, /not valid JSON/);
    assert.match(cli('run', GRAPH, ...NODES, '--seed', '-3').err, /--seed must be a non-negative integer/);
  });

  it('should force a backend with --backend, record it, and refuse unknown ones before writing', () => {
    const out = join(tmp(), 'run');
    const r = cli('run', GRAPH, ...NODES, '--out', out, '--set', 'steps=5', '--backend', 'cpu', '--quiet');
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).backend.name, 'cpu');
    const bad = cli('run', GRAPH, ...NODES, '--out', join(tmp(), 'x'), '--backend', 'webgpu');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--backend must be one of auto, wasm, cpu, tensorflow, tensorflow-gpu but got 'webgpu'/);
  });

  it('should validate, list nodes and draw the graph', () => {
    assert.match(cli('validate', GRAPH, ...NODES).out, /counter: valid \(4 nodes\)/);
    const nodes = JSON.parse(cli('nodes', '--json', ...NODES).out);
    assert.ok(nodes.some((n: { type: string }) => n.type === 'fx.trainer'));
    const sum64 = nodes.find((n: { type: string }) => n.type === 'fx.sum64');
    assert.deepEqual(sum64.metrics, { sum: { kind: 'scalar', when: 'call', doc: 'sum of the entries' }, 'row_*': { kind: 'series', when: 'call', doc: 'row i of x' } });
    assert.deepEqual(sum64.inputs.x, { type: 'matrix', doc: 'matrix', precision: 'float64' });
    assert.deepEqual(nodes.find((n: { type: string }) => n.type === 'fx.undeclared').artifacts, { 'tables/*.csv': { doc: 'a table' } });
    const svg = join(tmp(), 'g.svg');
    assert.equal(cli('graph', GRAPH, ...NODES, '--svg', svg).code, 0);
    const text = readFileSync(svg, 'utf8');
    for (const id of ['init', 'train', 'probe', 'final']) assert.match(text, new RegExp(`>${id}<`));
  });

  it('should sweep a grid and write a summary and plots', () => {
    const out = join(tmp(), 'sweep');
    const r = cli('sweep', GRAPH, ...NODES, '--out', out, '--grid', 'steps=20:40:20', '--grid', 'noise=0,0.1', '--quiet');
    assert.equal(r.code, 0, r.err);
    const csv = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 5);
    assert.match(csv[0]!, /^steps,noise,status,/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const final = summary.rows.map((row: { point: { steps: number }; metrics: Record<string, number> }) => [row.point.steps, row.metrics['final.mean']]);
    assert.deepEqual(final, [[20, 20.5], [20, 20.5], [40, 40.5], [40, 40.5]]);
    assert.ok(readdirSync(join(out, 'plots')).length >= 1);
  });

  it('should give the same summary when points run in parallel processes', () => {
    const out = join(tmp(), 'sweep');
    const r = cli('sweep', GRAPH, ...NODES, '--out', out, '--grid', 'steps=10,30,50', '--jobs', '2');
    assert.equal(r.code, 0, r.err);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.rows.map((row: { status: string; metrics: Record<string, number> }) => [row.status, row.metrics['final.mean']]), [['completed', 10.5], ['completed', 30.5], ['completed', 50.5]]);
    assert.match(cli('sweep', GRAPH, ...NODES, '--grid', 'steps=1', '--jobs', '0').err, /--jobs must be a positive integer/);
  });

  it('should cancel on Ctrl-C with metrics so far on disk and a cancelled manifest', async () => {
    const out = join(tmp(), 'run');
    const child = spawn(process.execPath, [BIN, 'run', GRAPH, ...NODES, '--out', out, '--set', 'steps=1000000', '--set', 'slowMs=1'], { stdio: 'ignore' });
    const started = Date.now();
    while (!existsSync(join(out, 'manifest.json')) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 130);
    assert.equal(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).status, 'cancelled');
    assert.ok(readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').length > 10);
  });
});
