/**
 * Trust at every edge, round 3 (issue 20), in-process: paths read from files, generated Slurm
 * scripts, special files, decompression bombs, loose checkpoint headers, user code that calls
 * process.exit, corrupt sweep state, hostile option values. Every case runs in a sandbox holding a
 * `victim` directory and asserts the exit code, the message, that nothing outside the case's own
 * run or sweep directory changed, the final manifest (or that none was written) and whole lines.
 * Cases that need real child processes are in edges.e2e.spec.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { assertCleanError, assertUnchanged, cli, counterGraph, FIXTURES, graphFile, NODES, readRun, snapshot, tmp } from './harness.ts';
import { concat, npyBytes, safetensorsBytes, zipBytes } from '../nodes/io/formatWriters.ts';
import { nodes as fixtureNodes } from './fixtures.ts';
import { getNode, registerNode } from '../../src/registry.ts';
import { runGraph } from '../../src/run/runGraph.ts';

interface Sandbox { root: string; victim: string; work: string }
interface Setup { argv: string[]; /** Directories the command may write (its run or sweep directory). */ own?: string[]; env?: Record<string, string>; /** A run directory that must hold a final manifest with this status. */ run?: { dir: string; status: string } }
interface Case { cls: number; name: string; setup: (sb: Sandbox) => Setup; code: number; err: RegExp; check?: (sb: Sandbox, s: Setup, err: string) => void }

const cases: Case[] = [];
const add = (c: Case): void => { cases.push(c); };

// ------------------------------------------------------------------ fixtures built by hand

/** A finished run directory: final manifest and a few whole metric lines. */
function fakeRun(dir: string, status = 'completed'): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ formatVersion: 2, status, seed: 0, graph: counterGraph(3), error: null, metrics: {} }));
  writeFileSync(join(dir, 'metrics.jsonl'), [1, 2, 3].map((s) => JSON.stringify({ node: 'train', name: 'loss', step: s, value: 1 / s, time: s })).join('\n') + '\n');
}

/** A sweep directory of two completed points, as eigenflow writes it; `edit` changes sweep.json first. */
function fakeSweep(sb: Sandbox, edit: (m: any) => void = () => {}, name = 'sweep'): string {
  const dir = join(sb.work, name);
  mkdirSync(join(dir, 'status'), { recursive: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'graph.json'), JSON.stringify(counterGraph(3)));
  const points = [1, 2].map((v, id) => ({ id, overrides: { steps: v + 2 }, seed: null, dir: `00${id + 1}-steps=${v + 2}`, status: 'completed', attempts: 1, start: '2026-12-07T20:00:00.000Z', end: '2026-12-07T20:00:01.000Z' }));
  for (const p of points) fakeRun(join(dir, p.dir));
  const m = { format: 'eigenflow-sweep/1', graphName: 'faults', graphHash: 'x', created: '2026-12-07T20:00:00.000Z', definitions: [{ grid: [['steps', [3, 4]]], sample: null, seeds: null }], summary: 'last', executor: { kind: 'local', jobs: 1, retries: 0 }, runArgs: ['--nodes', FIXTURES], slurm: [], points };
  edit(m);
  writeFileSync(join(dir, 'sweep.json'), typeof m === 'string' ? m : JSON.stringify(m, null, 2));
  return dir;
}
const sweepWith = (edit: (m: any) => void) => (sb: Sandbox) => fakeSweep(sb, edit);

/** A graph reading one tensor (validation opens the checkpoint: headers only). */
const tensorGraph = (path: string, name = 'w'): Record<string, unknown> => ({ name: 'ck', nodes: { w: { type: 'io.tensor', params: { path, name } } } });
const reportGraph = (path: string): Record<string, unknown> => ({ name: 'report', nodes: { ck: { type: 'io.checkpoint', params: { path } }, report: { type: 'spectral.weightsReport', params: { randomize: false }, inputs: { checkpoint: 'ck.checkpoint' } } } });

function validateArgv(sb: Sandbox, graph: unknown): Setup {
  return { argv: ['validate', graphFile(graph, sb.work)] };
}
function runArgv(sb: Sandbox, graph: unknown, env?: Record<string, string>): Setup {
  const out = join(sb.work, 'out');
  return { argv: ['run', graphFile(graph, sb.work), ...NODES, '--out', out, '--quiet'], own: [out], env };
}

function rawSafetensors(header: string, dataBytes: number): Uint8Array {
  const h = new TextEncoder().encode(header), len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(h.length), true);
  return concat([len, h, new Uint8Array(dataBytes)]);
}
const stFile = (sb: Sandbox, header: string, dataBytes: number): string => { const f = join(sb.work, 'm.safetensors'); writeFileSync(f, rawSafetensors(header, dataBytes)); return f; };
const fifo = (path: string): string => { execFileSync('mkfifo', [path]); return path; };

/** A one-member deflated npz whose member holds `body` but declares `declared` bytes (header: 1000 float64). */
function bombNpz(sb: Sandbox, bodyBytes: number): string {
  const header = npyBytes(new Float64Array(1000), [50, 20], { dtype: 'f64' });
  const body = new Uint8Array(bodyBytes); body.set(header.subarray(0, 128));
  const zip = zipBytes([{ name: 'w.npy', data: header }], true);
  const v = new DataView(zip.buffer), nameLen = v.getUint16(26, true), oldSize = v.getUint32(18, true), start = 30 + nameLen;
  const deflated = deflateRawSync(body);
  const out = concat([zip.subarray(0, start), deflated, zip.subarray(start + oldSize)]);
  const o = new DataView(out.buffer);
  o.setUint32(18, deflated.length, true);
  o.setUint32(start + deflated.length + 20, deflated.length, true);
  o.setUint32(out.length - 22 + 16, start + deflated.length, true);
  const f = join(sb.work, 'bomb.npz');
  writeFileSync(f, out);
  return f;
}

/** A fake `sbatch` (and `squeue`) on PATH: `mode` answers a job id, hangs, or answers nonsense. */
function fakeSlurm(sb: Sandbox, mode: 'ok' | 'hang' | 'nonsense'): Record<string, string> {
  const bin = join(sb.root, 'fakebin');
  mkdirSync(bin, { recursive: true });
  const body = mode === 'ok' ? 'echo 4242' : mode === 'hang' ? 'exec sleep 600' : 'echo "Submitted batch job; rm -rf /"';
  writeFileSync(join(bin, 'sbatch'), `#!/bin/sh\n${body}\n`); chmodSync(join(bin, 'sbatch'), 0o755);
  writeFileSync(join(bin, 'squeue'), '#!/bin/sh\nexit 0\n'); chmodSync(join(bin, 'squeue'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}`, EIGENFLOW_SLURM_TIMEOUT: '1' };
}
const slurmSweep = (sb: Sandbox, extra: string[], out = join(sb.work, 'sw')): Setup => ({
  argv: ['sweep', graphFile(counterGraph(3), sb.work), ...NODES, '--grid', 'steps=3,4', '--out', out, '--executor', 'slurm', ...extra], own: [out], env: fakeSlurm(sb, 'ok'),
});

// ------------------------------------------------------------------ 1. paths read from files

const INSIDE = /must be one directory name inside the sweep directory but is/;
for (const [name, dir] of [['../victim', '../victim'], ['an absolute path', '@victim'], ['a reserved name (status)', 'status'], ['a path through ..', 'a/../../victim'], ['empty', ''], ['a number', 7]] as const) {
  add({ cls: 1, name: `sweep --resume: a point's dir in sweep.json is ${name}`, code: 2, err: new RegExp(`sweep\\.json: points\\[0\\]\\.dir ${INSIDE.source}`), setup: (sb) => {
    const d = fakeSweep(sb, (m) => { m.points[0].dir = dir === '@victim' ? sb.victim : dir; m.points[0].status = 'failed'; });
    return { argv: ['sweep', '--resume', d], own: [d] };
  } });
}
add({ cls: 1, name: "sweep --resume: a point's dir is a symlink to a directory outside", code: 2, err: INSIDE, setup: (sb) => {
  const d = fakeSweep(sb, (m) => { m.points[0].dir = 'link'; m.points[0].status = 'failed'; });
  symlinkSync(sb.victim, join(d, 'link'));
  return { argv: ['sweep', '--resume', d], own: [d] };
} });
add({ cls: 1, name: 'sweep --resume: two points share one dir', code: 2, err: /points\[1\]\.dir must be a directory no other point uses/, setup: (sb) => {
  const d = fakeSweep(sb, (m) => { m.points[1].dir = m.points[0].dir; });
  return { argv: ['sweep', '--resume', d], own: [d] };
} });
add({ cls: 1, name: 'sweep status: a point dir outside the sweep', code: 2, err: INSIDE, setup: (sb) => { const d = fakeSweep(sb, (m) => { m.points[1].dir = '../victim'; }); return { argv: ['sweep', 'status', d], own: [d] }; } });
add({ cls: 1, name: 'sweep summarize: a point dir outside the sweep', code: 2, err: INSIDE, setup: (sb) => { const d = fakeSweep(sb, (m) => { m.points[1].dir = '../victim'; }); return { argv: ['sweep', 'summarize', d], own: [d] }; } });
add({ cls: 1, name: 'sweep --resume: a stored run argument redirects --out', code: 2, err: /runArgs\[2\] must be an eigenflow run argument .* not --out/, setup: (sb) => {
  const d = fakeSweep(sb, (m) => { m.runArgs.push('--out', sb.victim); m.points[0].status = 'failed'; });
  return { argv: ['sweep', '--resume', d], own: [d] };
} });
add({ cls: 1, name: 'a status file cannot move its point (its dir field is ignored)', code: 0, err: /^$/, setup: (sb) => {
  const d = fakeSweep(sb);
  writeFileSync(join(d, 'status', '0.json'), JSON.stringify({ status: 'completed', attempts: 1, start: null, end: null, dir: '../victim', overrides: { steps: 99 } }));
  return { argv: ['sweep', 'status', d], own: [d] };
}, check: (_sb, s) => { assert.ok(existsSync(join(s.own![0]!, '001-steps=3', 'manifest.json'))); } });
for (const [name, rowDir] of [['../victim', '../victim'], ['absolute, outside', '@victim'], ['a number', 5]] as const) {
  add({ cls: 1, name: `view: a summary.json row's dir is ${name}`, code: 2, err: /summary\.json: rows\[0\]\.dir must be a run directory inside the sweep directory/, setup: (sb) => {
    const d = join(sb.work, 'old-sweep');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'summary.json'), JSON.stringify({ grid: { steps: [3] }, rows: [{ point: { steps: 3 }, status: 'completed', dir: rowDir === '@victim' ? sb.victim : rowDir, metrics: { 'train.loss': 0.3 } }] }));
    return { argv: ['view', d], own: [d] };
  } });
}
for (const [name, shard] of [['../victim', '../victim/w.safetensors'], ['absolute', '@victim'], ['a symlink out', 'link.safetensors']] as const) {
  add({ cls: 1, name: `validate: a shard index names a shard ${name}`, code: 2, err: /weight_map\['w'\] must name a shard file inside the index's directory/, setup: (sb) => {
    const st = join(sb.victim, 'w.safetensors');
    const idx = join(sb.work, 'model.safetensors.index.json');
    if (shard === 'link.safetensors') symlinkSync(st, join(sb.work, shard));
    writeFileSync(idx, JSON.stringify({ weight_map: { w: shard === '@victim' ? st : shard } }));
    return validateArgv(sb, tensorGraph(idx));
  } });
}

// ------------------------------------------------------------------ 2. generated scripts are data

for (const [name, arg] of [['a newline and a shell line', '--partition=x\ntouch PWNED'], ['a carriage return', '--partition=x\rtouch PWNED'], ['an escape sequence', '--comment=\u001b[2J'], ['a line separator', '--comment=a\u2028touch PWNED']] as const) {
  add({ cls: 2, name: `--slurm-arg with ${name}`, code: 2, err: /--slurm-arg "[^]*" contains a control character .*; it cannot go into a batch script/, setup: (sb) => slurmSweep(sb, ['--slurm-arg', arg]) });
}
add({ cls: 2, name: '--slurm-arg whose value cannot be quoted for sbatch', code: 2, err: /a value with " or \\ cannot be quoted for sbatch/, setup: (sb) => slurmSweep(sb, ['--slurm-arg', '--comment=a"b']) });
add({ cls: 2, name: '--out with a newline (slurm)', code: 2, err: /--out ".*" contains a control character/, setup: (sb) => slurmSweep(sb, [], join(sb.work, 'a\ntouch PWNED')) });
add({ cls: 2, name: '--out with a newline (local)', code: 2, err: /--out ".*" contains a control character/, setup: (sb) => {
  const out = join(sb.work, 'b\nx');
  return { argv: ['sweep', graphFile(counterGraph(3), sb.work), ...NODES, '--grid', 'steps=3,4', '--out', out], own: [out] };
} });
add({ cls: 2, name: 'sweep --resume: a stored --slurm-arg with a newline', code: 2, err: /sweep\.json: executor\.slurmArgs\[0\] must be an sbatch option \(--name=value\) without control characters/, setup: (sb) => {
  const d = fakeSweep(sb, (m) => { m.executor = { kind: 'slurm', parallel: null, slurmArgs: ['--partition=x\ntouch PWNED'], retries: 0 }; m.points[0].status = 'failed'; });
  return { argv: ['sweep', '--resume', d], own: [d], env: fakeSlurm(sb, 'ok') };
} });
add({ cls: 2, name: 'hostile but legal values are quoted: $(…), backquotes, quotes and spaces stay data', code: 0, err: /submitted Slurm array job 4242/, setup: (sb) => slurmSweep(sb, ['--slurm-arg', '--comment=$(touch PWNED);`touch PWNED2`'], join(sb.work, "it's a $(dir)")),
  check: (sb, s) => {
    const dir = s.own![0]!, script = readFileSync(join(dir, 'slurm', 'array-1.sh'), 'utf8');
    assert.ok(script.split('\n').includes('#SBATCH --comment="$(touch PWNED);`touch PWNED2`"'), script);
    // Run the script's command line with `exec` replaced by printf: bash must see exactly these words.
    const line = script.split('\n').find((l) => l.startsWith('exec '))!;
    const words = spawnSync('bash', ['-c', `SLURM_ARRAY_TASK_ID=0; IDS=(0 1); printf '%s\\n' ${line.slice(5)}`], { encoding: 'utf8', cwd: sb.root }).stdout.trim().split('\n');
    assert.deepEqual(words.slice(2), ['sweep', 'run-point', dir, '0']);
    assert.equal(readdirSync(sb.root).filter((f) => f.startsWith('PWNED')).length, 0);
    assert.equal(spawnSync('bash', ['-n', join(dir, 'slurm', 'array-1.sh')]).status, 0);
  } });

// ------------------------------------------------------------------ 3. special files, bounded reads

const runDirWith = (sb: Sandbox, make: (metrics: string) => void): Setup => {
  const d = join(sb.work, 'run'); fakeRun(d); rmSync(join(d, 'metrics.jsonl')); make(join(d, 'metrics.jsonl'));
  return { argv: ['view', d], own: [d] };
};
add({ cls: 3, name: 'view: metrics.jsonl is a FIFO', code: 2, err: /metrics\.jsonl: not a regular file \(a FIFO\)/, setup: (sb) => runDirWith(sb, fifo) });
add({ cls: 3, name: 'view: metrics.jsonl links to /dev/zero', code: 2, err: /metrics\.jsonl: not a regular file \(a character device\)/, setup: (sb) => runDirWith(sb, (f) => symlinkSync('/dev/zero', f)) });
add({ cls: 3, name: 'view: metrics.jsonl is a directory', code: 2, err: /metrics\.jsonl: not a regular file \(a directory\)/, setup: (sb) => runDirWith(sb, (f) => mkdirSync(f)) });
add({ cls: 3, name: 'view: summary.json is a FIFO', code: 2, err: /summary\.json: not a regular file \(a FIFO\)/, setup: (sb) => { const d = join(sb.work, 'old'); mkdirSync(d); fifo(join(d, 'summary.json')); return { argv: ['view', d], own: [d] }; } });
add({ cls: 3, name: 'validate: the checkpoint is a FIFO', code: 2, err: /path: not a regular file \(a FIFO\) \(file .*ck\.safetensors\)/, setup: (sb) => validateArgv(sb, tensorGraph(fifo(join(sb.work, 'ck.safetensors')))) });
add({ cls: 3, name: 'validate: the checkpoint links to /dev/zero', code: 2, err: /not a regular file \(a character device\) \(file .*z\.npy\)/, setup: (sb) => { symlinkSync('/dev/zero', join(sb.work, 'z.npy')); return validateArgv(sb, tensorGraph(join(sb.work, 'z.npy'))); } });
add({ cls: 3, name: 'validate: the checkpoint is a directory', code: 2, err: /not a regular file \(a directory\)/, setup: (sb) => { mkdirSync(join(sb.work, 'd.npz')); return validateArgv(sb, tensorGraph(join(sb.work, 'd.npz'))); } });
add({ cls: 3, name: 'validate: the shard index is a FIFO', code: 2, err: /not a regular file \(a FIFO\) \(file .*m\.index\.json\)/, setup: (sb) => validateArgv(sb, tensorGraph(fifo(join(sb.work, 'm.index.json')))) });
add({ cls: 3, name: 'validate: the graph file is a FIFO', code: 2, err: /cannot read graph file: not a regular file \(a FIFO\)/, setup: (sb) => ({ argv: ['validate', fifo(join(sb.work, 'g.json'))] }) });
add({ cls: 3, name: 'sweep status: sweep.json is a FIFO', code: 2, err: /sweep\.json: not a regular file \(a FIFO\)/, setup: (sb) => { const d = fakeSweep(sb); rmSync(join(d, 'sweep.json')); fifo(join(d, 'sweep.json')); return { argv: ['sweep', 'status', d], own: [d] }; } });
add({ cls: 3, name: 'sweep status: a status file is a FIFO', code: 2, err: /status\/0\.json: not a regular file \(a FIFO\)/, setup: (sb) => { const d = fakeSweep(sb); fifo(join(d, 'status', '0.json')); return { argv: ['sweep', 'status', d], own: [d] }; } });

// ------------------------------------------------------------------ 4. decompression bombs

add({ cls: 4, name: 'run: an npz member inflating far past its declared size', code: 1, err: /npz member 'w' inflates to more than the \d+ bytes it declares \(file .*bomb\.npz\)/, setup: (sb) => ({ ...runArgv(sb, tensorGraph(bombNpz(sb, 32 << 20))), run: { dir: join(sb.work, 'out'), status: 'failed' } }) });
add({ cls: 4, name: 'run: weightsReport over the same bomb', code: 1, err: /inflates to more than the \d+ bytes it declares/, setup: (sb) => ({ ...runArgv(sb, reportGraph(bombNpz(sb, 32 << 20))), run: { dir: join(sb.work, 'out'), status: 'failed' } }) });
add({ cls: 4, name: 'run: a member declaring more than the memory limit', code: 1, err: /tensor 'w' \[4194304\] needs 64 MB to read .* more than the limit of 16 MB \(EIGENFLOW_MAX_BYTES\)/, setup: (sb) => {
  const f = join(sb.work, 'big.npz');
  writeFileSync(f, zipBytes([{ name: 'w.npy', data: npyBytes(new Float64Array(4 << 20), [4 << 20], { dtype: 'f64' }) }], true));
  return { ...runArgv(sb, tensorGraph(f), { EIGENFLOW_MAX_BYTES: String(16 << 20) }), run: { dir: join(sb.work, 'out'), status: 'failed' } };
} });
add({ cls: 4, name: 'run: a member that is not deflate data (refused at validation)', code: 2, err: /nodes\.w\.params: path: (npz member 'w\.npy' is not valid deflate data|truncated npz member 'w\.npy': its npy header is incomplete)/, setup: (sb) => {
  const zip = zipBytes([{ name: 'w.npy', data: npyBytes([1, 2, 3], [3], { dtype: 'f64' }) }], true);
  const v = new DataView(zip.buffer), start = 30 + v.getUint16(26, true);
  zip.fill(0xff, start, start + v.getUint32(18, true));
  const f = join(sb.work, 'bad.npz'); writeFileSync(f, zip);
  return runArgv(sb, tensorGraph(f));
} });

// ------------------------------------------------------------------ 5. loose checkpoint headers

const st = (entries: Record<string, unknown>): string => JSON.stringify(entries);
for (const [name, header, bytes, msg] of [
  ['header null', 'null', 0, /the safetensors header must be a JSON object but starts with "null"/],
  ['shape [20.5, 20]', st({ w: { dtype: 'F32', shape: [20.5, 20], data_offsets: [0, 1640] } }), 1640, /tensor 'w' field 'shape' must be a list of non-negative integers but is \[20\.5,20\]/],
  ['shape ["20","20"]', st({ w: { dtype: 'F32', shape: ['20', '20'], data_offsets: [0, 1600] } }), 1600, /tensor 'w' field 'shape' .* but is \["20","20"\]/],
  ['shape [-1,-1,16,15]', st({ w: { dtype: 'F32', shape: [-1, -1, 16, 15], data_offsets: [0, 960] } }), 960, /tensor 'w' field 'shape' .* but is \[-1,-1,16,15\]/],
  ['fractional offsets', st({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0.5, 24.5] } }), 25, /tensor 'w' field 'data_offsets' must be \[begin, end\], integers/],
  ['string offsets', st({ w: { dtype: 'F32', shape: [2, 3], data_offsets: ['0', '24'] } }), 24, /tensor 'w' field 'data_offsets' .* but is \["0","24"\]/],
  ['overlapping offsets', st({ a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] }, w: { dtype: 'F32', shape: [2, 3], data_offsets: [16, 40] } }), 40, /tensor 'w' field 'data_offsets' \[16, 40\] overlaps 'a'/],
  ['trailing bytes', st({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] } }), 64, /40 trailing bytes after the last tensor's data/],
  ['an unknown dtype', st({ w: { dtype: 'Q7', shape: [2, 3], data_offsets: [0, 24] } }), 24, /tensor 'w' field 'dtype' must be one of/],
  ['a tensor entry that is a list', st({ w: [1, 2] }), 0, /tensor 'w' must be an object \{dtype, shape, data_offsets\}/],
] as const) {
  add({ cls: 5, name: `validate: safetensors ${name}`, code: 2, err: new RegExp(`nodes\\.w\\.params: path: .*${msg.source}.* \\(file .*m\\.safetensors\\)`), setup: (sb) => validateArgv(sb, tensorGraph(stFile(sb, header, bytes))) });
}
add({ cls: 5, name: 'run: layers a/b and a_b get distinct metric names and figure files', code: 0, err: /^$/, setup: (sb) => {
  const t = (name: string, k: number) => ({ name, shape: [20, 12], values: Array.from({ length: 240 }, (_, i) => Math.sin(i * k + 1)), dtype: 'f32' as const });
  const f = join(sb.work, 'names.safetensors'); writeFileSync(f, safetensorsBytes([t('a/b', 1.3), t('a_b', 2.1)]));
  return { ...runArgv(sb, reportGraph(f)), run: { dir: join(sb.work, 'out'), status: 'completed' } };
}, check: (sb) => {
  const { lines } = readRun(join(sb.work, 'out'));
  assert.deepEqual(lines.filter((l) => l.name.startsWith('alpha_')).map((l) => l.name).sort(), ['alpha_a_b', 'alpha_a_b_2']);
  assert.deepEqual(readdirSync(join(sb.work, 'out', 'esd')).sort(), ['a_b.svg', 'a_b_2.svg']);
} });

// ------------------------------------------------------------------ 6. processes that do not end true

for (const code of [0, 3]) {
  add({ cls: 6, name: `run: a node calls process.exit(${code}) mid-run`, code: 1, err: new RegExp(`process\\.exit\\(${code}\\) was called by user code`), setup: (sb) => ({ ...runArgv(sb, { name: 'ex', nodes: { e: { type: 'ft.exit', params: { at: 2, code } } } }), run: { dir: join(sb.work, 'out'), status: 'failed' } }) });
}
add({ cls: 6, name: 'validate: a --nodes module calls process.exit(0) while it loads', code: 2, err: /--nodes .*exitOnImport\.ts: cannot load it \(process\.exit\(0\) was called by user code/, setup: (sb) => ({ argv: ['validate', graphFile(counterGraph(3), sb.work), '--nodes', new URL('./exitOnImport.ts', import.meta.url).pathname] }) });
add({ cls: 6, name: 'run: a --nodes module calls process.exit(0) while it loads', code: 2, err: /cannot load it \(process\.exit\(0\) was called by user code/, setup: (sb) => {
  const out = join(sb.work, 'out');
  return { argv: ['run', graphFile(counterGraph(3), sb.work), '--nodes', new URL('./exitOnImport.ts', import.meta.url).pathname, '--out', out], own: [out] };
}, check: (sb) => { assert.ok(!existsSync(join(sb.work, 'out'))); } });
for (const mode of ['hang', 'nonsense'] as const) {
  add({ cls: 6, name: `sweep --executor slurm: sbatch ${mode === 'hang' ? 'hangs' : 'answers nonsense'}: the points fail, the sweep ends`, code: 1, err: mode === 'hang' ? /sbatch .* did not answer within 1 s \(EIGENFLOW_SLURM_TIMEOUT\)/ : /sbatch .* answered "Submitted batch job; rm -rf \/", not a job id/, setup: (sb) => ({ ...slurmSweep(sb, []), env: fakeSlurm(sb, mode) }),
    check: (_sb, s) => {
      const m = JSON.parse(readFileSync(join(s.own![0]!, 'sweep.json'), 'utf8'));
      assert.deepEqual(m.points.map((p: any) => p.status), ['failed', 'failed']);
      assert.match(m.points[0].error, mode === 'hang' ? /did not answer/ : /not a job id/);
    } });
}

// ------------------------------------------------------------------ 8. corrupt state, hostile option values

for (const [name, edit, msg] of [
  ['not JSON', (d: string) => writeFileSync(join(d, 'sweep.json'), '{"format": "eigenflow-sweep/1", "points": ['), /sweep\.json: not valid JSON .*the sweep's state is corrupt/],
  ['null', (d: string) => writeFileSync(join(d, 'sweep.json'), 'null'), /sweep\.json: the sweep manifest must be a JSON object but is null/],
  ['points an object', (d: string) => writeFileSync(join(d, 'sweep.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')), points: { a: 1 } })), /sweep\.json: points must be an array but is \{"a":1\}/],
  ['a seed that is text', (d: string) => { const m = JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')); m.points[1].seed = 'x'; writeFileSync(join(d, 'sweep.json'), JSON.stringify(m)); }, /points\[1\]\.seed must be a non-negative integer or null but is "x"/],
  ['negative retries', (d: string) => { const m = JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')); m.executor.retries = -1; writeFileSync(join(d, 'sweep.json'), JSON.stringify(m)); }, /executor\.retries must be a non-negative integer but is -1/],
  ['a Slurm job id with a command', (d: string) => { const m = JSON.parse(readFileSync(join(d, 'sweep.json'), 'utf8')); m.slurm = [{ time: '', arrayJob: '1; rm -rf ~', summaryJob: null, ids: [0] }]; writeFileSync(join(d, 'sweep.json'), JSON.stringify(m)); }, /slurm\[0\]\.arrayJob must be a Slurm job id but is "1; rm -rf ~"/],
  ['a status file not JSON', (d: string) => writeFileSync(join(d, 'status', '1.json'), '{"status": "comp'), /status\/1\.json: not valid JSON/],
  ['a status file with an unknown status', (d: string) => writeFileSync(join(d, 'status', '1.json'), JSON.stringify({ status: 'done', attempts: 1, start: null, end: null })), /status\/1\.json: status must be one of pending, running, completed, failed, cancelled, diverged but is "done"/],
  ['a status file that is an array', (d: string) => writeFileSync(join(d, 'status', '0.json'), '[]'), /status\/0\.json: the point state must be a JSON object but is \[\]/],
] as const) {
  for (const command of ['status', '--resume'] as const) {
    add({ cls: 8, name: `sweep ${command}: sweep state ${name}`, code: 2, err: msg, setup: (sb) => {
      const d = fakeSweep(sb); edit(d);
      return { argv: command === 'status' ? ['sweep', 'status', d] : ['sweep', '--resume', d], own: [d] };
    } });
  }
}
for (const dist of ['sigma=uniform:-1.7e308:1.7e308', 'sigma=uniform:-1e308:1e308']) {
  add({ cls: 8, name: `--dist ${dist}`, code: 2, err: /--dist .*: uniform needs HI − LO to be a finite number/, setup: (sb) => {
    const out = join(sb.work, 'sw');
    return { argv: ['sweep', graphFile(counterGraph(3), sb.work), ...NODES, '--sample', '2', '--dist', dist, '--out', out], own: [out] };
  }, check: (sb) => { assert.ok(!existsSync(join(sb.work, 'sw'))); } });
}
for (const port of ['', '0x2F5B', ' 12124', '1.2125e4', '+80', '65536', '12124 ', '1_000']) {
  add({ cls: 8, name: `view --port ${JSON.stringify(port)}`, code: 2, err: /--port must be an integer 0–65535 in decimal digits but got/, setup: (sb) => { const d = join(sb.work, 'run'); fakeRun(d); return { argv: ['view', d, '--port', port], own: [d] }; } });
}

// ------------------------------------------------------------------ 9. users' own tensors

const TENSOR_NODES = ['--nodes', new URL('./tensorFixtures.ts', import.meta.url).pathname];
const tensorRun = (sb: Sandbox, graph: unknown, status: string, extra: string[] = []): Setup => {
  const out = join(sb.work, 'out');
  return { argv: ['run', graphFile(graph, sb.work), ...TENSOR_NODES, '--out', out, '--quiet', ...extra], own: [out], run: { dir: out, status } };
};
const disposeGraph = (at: number) => ({ name: 'dispose', nodes: { src: { type: 'ft.tensorSource', params: { steps: 4 } }, bad: { type: 'ft.disposeInput', params: { disposeAt: at }, inputs: { x: 'src.x' } }, other: { type: 'ft.readTensor', inputs: { x: 'src.x' } } } });
for (const at of [1, 3]) {
  add({ cls: 9, name: `a node disposes a tensor it was handed (at step ${at}): it is named, with the step`, code: 1, err: new RegExp(`node 'bad' \\(ft\\.disposeInput\\) failed at step ${at}: disposed tensor #\\d+ \\[2×2\\] float32, which the engine owns`), setup: (sb) => tensorRun(sb, disposeGraph(at), 'failed') });
}
add({ cls: 9, name: 'a node that never disposes its inputs runs to the end', code: 0, err: /^$/, setup: (sb) => tensorRun(sb, disposeGraph(0), 'completed') });
for (const [variable, what] of [[false, 'a kept tensor per step'], [true, 'a tf.Variable']] as const) {
  add({ cls: 9, name: `--strict-tensors: a node leaking ${what} fails the run, named`, code: 1, err: new RegExp(`tensor leak: leak \\(ft\\.leak\\) ended holding ${variable ? 1 : 3} tensors? it made`), setup: (sb) => tensorRun(sb, { name: 'leak', nodes: { leak: { type: 'ft.leak', params: { steps: 3, variable } } } }, 'failed', ['--strict-tensors']) });
  add({ cls: 9, name: `without --strict-tensors: a node leaking ${what} is named in a warning`, code: 0, err: new RegExp(`eigenflow: warning: tensor leak: leak \\(ft\\.leak\\) ended holding ${variable ? 1 : 3} tensors? it made`), setup: (sb) => ({ ...tensorRun(sb, { name: 'leak', nodes: { leak: { type: 'ft.leak', params: { steps: 3, variable } } } }, 'completed'), env: { EIGENFLOW_STRICT_TENSORS: '0' } }) });
}
add({ cls: 9, name: '--strict-tensors: a variable disposed in finally is no leak', code: 0, err: /^$/, setup: (sb) => tensorRun(sb, { name: 'tidy', nodes: { t: { type: 'ft.tidyVariable', params: { steps: 3 } } } }, 'completed', ['--strict-tensors']) });

// ------------------------------------------------------------------ the table

describe('trust at every edge (in-process)', () => {
  const saved = { ...process.env };
  let roots: string[] = [];
  before(() => { roots = []; });
  after(() => { for (const r of roots) rmSync(r, { recursive: true, force: true }); });

  it('covers classes 1–6, 8 and 9 with at least 60 cases', () => {
    const per = new Map<number, number>();
    for (const c of cases) per.set(c.cls, (per.get(c.cls) ?? 0) + 1);
    assert.deepEqual([...per.keys()].sort(), [1, 2, 3, 4, 5, 6, 8, 9]);
    assert.ok(cases.length >= 60, `${cases.length} cases`);
  });

  for (const c of cases) {
    it(`class ${c.cls}: ${c.name}`, async () => {
      const root = tmp(); roots.push(root);
      const sb: Sandbox = { root, victim: join(root, 'victim'), work: join(root, 'work') };
      mkdirSync(join(sb.victim, 'run'), { recursive: true }); mkdirSync(sb.work);
      writeFileSync(join(sb.victim, 'keep.txt'), 'do not touch\n');
      writeFileSync(join(sb.victim, 'w.safetensors'), safetensorsBytes([{ name: 'w', shape: [2, 3], values: [1, 2, 3, 4, 5, 6], dtype: 'f32' }]));
      fakeRun(join(sb.victim, 'run'));
      const s = c.setup(sb);
      const own = s.own ?? [];
      const before = snapshot(root, own), beforeAll = snapshot(root);
      Object.assign(process.env, s.env ?? {});
      let r;
      try { r = await cli(s.argv); } finally { for (const k of Object.keys(s.env ?? {})) { if (k in saved) process.env[k] = saved[k]; else delete process.env[k]; } }
      assert.equal(r.code, c.code, `exit ${r.code}\n${r.err}`);
      assert.match(r.err, c.err);
      assertCleanError(r.err);
      assertUnchanged(before, snapshot(root, own));
      if (s.run) {
        const { manifest, lines } = readRun(s.run.dir);
        assert.equal(manifest.status, s.run.status);
        assert.equal(manifest.events, lines.length);
      } else if (c.code === 2) {
        // bad input: nothing at all was written, the own directory included
        assertUnchanged(beforeAll, snapshot(root), 'after a refusal (exit 2)');
      }
      c.check?.(sb, s, r.err);
    });
  }

  it('class 9: a sink that holds the thread in write() is named in a warning, once; one that awaits as long is not', async () => {
    for (const n of fixtureNodes) if (!getNode(n.type)) registerNode(n);
    const lines: string[] = [];
    const blocking = { name: 'slowpoke', write: (): void => { const t0 = performance.now(); while (performance.now() - t0 < 150) { /* synchronous work */ } } };
    const waiting = { name: 'patient', write: (): Promise<void> => new Promise((r) => { setTimeout(r, 150); }) };
    const r = await runGraph(counterGraph(3) as never, { sinks: [blocking, waiting], outDir: null, report: (l) => lines.push(l), seed: 0 });
    assert.equal(r.status, 'completed');
    assert.deepEqual(lines.filter((l) => /sink 'slowpoke' held the thread for \d+ ms in one write\(\)/.test(l)).length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => l.includes("'patient'")).length, 0, lines.join('\n'));
  });
});
