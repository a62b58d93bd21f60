/**
 * eigenflow against PyTorch and JAX in the same run: user-written trainers (bench/peers/userNodes.ts, loaded with --nodes) → docs/performance.md.
 *
 * Each round runs every case on every side, one after another, so a busy moment on the shared
 * machine hurts all sides alike; each side keeps its best round. eigenflow runs through its command
 * line (`eigenflow run G --nodes bench/peers/userNodes.ts`), once per matmul path
 * (EIGENFLOW_MATMUL=auto: OpenBLAS for large products when installed; wasm: WebAssembly alone;
 * xnnpack: tfjs's own kernels, as before), and steps/s come from the times of its logged loss events. PyTorch (CPU wheel, default threads) and JAX (jit, and jit+vmap for
 * members) run bench/peers/peerModels.py. A SIMD FLOP probe gives this machine's WebAssembly peak.
 *
 *   node --import tsx bench/peers.ts [--rounds 2] [--seconds 1.5] [--only linear100,cisSmall] [--paths auto,wasm,xnnpack]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name: string, fallback: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1]! : fallback; };
const rounds = Number(arg('rounds', '2'));
const seconds = Number(arg('seconds', '1.5'));
const only = arg('only', '').split(',').filter(Boolean);
/** EIGENFLOW_MATMUL values: auto (the default: OpenBLAS for large products when installed), wasm (WebAssembly alone), xnnpack (tfjs's own kernels, as before eigenflow's). */
const paths = arg('paths', 'auto,wasm,xnnpack').split(',');
/** xnnpack's transposed products are ~10× slower: fewer steps keep its runs to seconds. */
const STEP_SCALE: Record<string, number> = { xnnpack: 0.1 };

interface Case {
  id: string;
  label: string;
  /**
   * FLOPs of one model-step's dense products (forward + backward), for GFLOP/s and % of peak. The
   * built-in CiS graph's hand-written sparse step does a small part of them, so its column says so.
   */
  flops: number;
  /** eigenflow: graph, --set values (steps sized for ≥ ~1 s), and the node whose loss events are timed. */
  graph: string;
  set: Record<string, number | string>;
  members?: number;
  /** the same model for bench/peers/peerModels.py */
  peer: Record<string, number | string>;
}

const linear = (id: string, d: number, P: number, steps: number, members = 1): Case => ({
  id, label: `two-layer linear, d = h = ${d}, P = ${P}${members > 1 ? `, ${members} members` : ''}`, flops: 10 * P * d * d, // 2 forward products, 3 in the backward pass (no gradient for X)
  graph: 'bench/peers/twoLayer.json', set: { d, h: d, P, steps, logEvery: steps / 10 }, members,
  peer: { model: 'linear', d, h: d, P, lr: 0.01, members },
});
/** CiS as a user writes it (bench/peers/cis.json), or the built-in graph (graphs/cis-noise.json: its hand-written sparse step, members). */
const cis = (id: string, label: string, n: number, m: number, p: number, batch: number, steps: number, builtIn = false, members = 1): Case => ({
  id, label: `${label} (n = ${n}, m = ${m}, p = ${p}, batch ${batch})${builtIn ? ', built-in graphs/cis-noise.json' : ', user-written'}${members > 1 ? `, ${members} members` : ''}`,
  flops: 2 * batch * (5 * n * m + n * n),
  graph: builtIn ? 'graphs/cis-noise.json' : 'bench/peers/cis.json',
  set: builtIn ? { n, m, p, batch, steps, evalSamples: 1000 } : { n, m, p, batch, steps, logEvery: steps / 10 }, members,
  peer: { model: 'cis', n, m, p, batch, lr: 3e-3, members },
});

const CASES: Case[] = [
  linear('linear16', 16, 64, 20000),
  linear('linear16x64', 16, 64, 2000, 64),
  linear('linear100', 100, 1000, 2000),
  linear('linear400', 400, 1000, 200),
  { id: 'mlp', label: 'ReLU MLP 32→128→8, P = 512, Adam', flops: 2 * 512 * (32 * 128 + 128 * 8) * 3,
    graph: 'bench/peers/twoLayer.json', set: { d: 32, h: 128, c: 8, P: 512, activation: 'relu', optimizer: 'adam', lr: 3e-3, steps: 5000, logEvery: 500 },
    peer: { model: 'mlp', d: 32, h: 128, c: 8, P: 512, lr: 3e-3 } },
  cis('cisDefault', 'CiS default', 100, 50, 0.01, 2048, 2000),
  cis('cisDefaultBuiltin', 'CiS default', 100, 50, 0.01, 2048, 2000, true),
  cis('cisSmall', 'CiS small', 20, 10, 0.1, 1024, 5000),
  cis('cisSmallBuiltin', 'CiS small', 20, 10, 0.1, 1024, 5000, true),
  ...[8, 32, 128].map((k) => cis(`cisSmall${k}`, 'CiS small', 20, 10, 0.1, 1024, 1000, true, k)),
].filter((c) => only.length === 0 || only.includes(c.id));

/** Whether this checkout's `eigenflow run` takes --members (built by the members branch). */
function cliHasMembers(): boolean {
  const r = spawnSync(process.execPath, [join(root, 'bin/eigenflow.js'), 'help'], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.includes('--members');
}

/**
 * Model-steps/s of one eigenflow run, from the logged `train.loss` events (per member when the run
 * has members: the steps all members made between the first and the last event, over that time),
 * and the manifest's compute field.
 */
function eigenflowRate(c: Case, path: string): { rate: number; compute: unknown } | { error: string } {
  const out = mkdtempSync(join(os.tmpdir(), 'eigenflow-peers-'));
  try {
    const steps = Math.max(20, Math.round(Number(c.set.steps) * (STEP_SCALE[path] ?? 1)));
    const set = { ...c.set, steps, ...('logEvery' in c.set ? { logEvery: Math.max(1, Math.round(steps / 10)) } : {}) };
    const args = [join(root, 'bin/eigenflow.js'), 'run', join(root, c.graph), '--nodes', join(root, 'bench/peers/userNodes.ts'),
      ...Object.entries(set).flatMap(([k, v]) => ['--set', `${k}=${v}`]), '--out', out, '--quiet', '--backend', 'wasm',
      ...(c.members && c.members > 1 ? ['--members', `seed=0:${c.members - 1}`] : [])];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, EIGENFLOW_MATMUL: path } });
    if (r.status !== 0) return { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') };
    const losses = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { node: string; name: string; step: number; time: number; member?: number })
      .filter((e) => e.node === 'train' && e.name === 'loss');
    const byMember = new Map<number, { first: (typeof losses)[0]; last: (typeof losses)[0] }>();
    for (const e of losses) {
      const m = byMember.get(e.member ?? 0);
      if (!m) byMember.set(e.member ?? 0, { first: e, last: e }); else m.last = e;
    }
    const spans = [...byMember.values()];
    const modelSteps = spans.reduce((n, s) => n + s.last.step - s.first.step, 0);
    const ms = Math.max(...spans.map((s) => s.last.time)) - Math.min(...spans.map((s) => s.first.time));
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { compute?: unknown };
    return { rate: (modelSteps / ms) * 1000, compute: manifest.compute };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** torch: the CPU wheel at its default threads; torch1: one thread; jax: jit (jit+vmap for members). */
const PEERS = ['torch', 'torch1', 'jax'] as const;
type Peer = (typeof PEERS)[number];
interface PeerResult { id: string; steps_per_s: number; model_steps_per_s: number; threads: number | null; version: string }

function peerRates(framework: Peer, cases: Case[]): PeerResult[] {
  const list = cases.map((c) => ({ id: c.id, ...c.peer }));
  const r = spawnSync('python3', [join(root, 'bench/peers/peerModels.py'), framework, JSON.stringify(list), String(seconds)], { encoding: 'utf8' });
  if (r.status !== 0) { console.error(`${framework}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`); return []; }
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as PeerResult);
}

/** GFLOP/s of one WebAssembly thread running independent f32x4 mul+add chains (bench/peers/flopProbe.wat). */
async function simdPeak(): Promise<number> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('flopProbe.wat', readFileSync(join(root, 'bench/peers/flopProbe.wat'), 'utf8'), { simd: true });
  mod.validate();
  const peak = (new WebAssembly.Instance(new WebAssembly.Module(mod.toBinary({}).buffer as Uint8Array<ArrayBuffer>)).exports as { peak(n: number): number }).peak;
  let best = 0;
  for (let r = 0; r < 6; r++) {
    const iters = 2e7, t = performance.now();
    peak(iters);
    best = Math.max(best, (iters * 12 * 8) / (performance.now() - t) / 1e6);
  }
  return best;
}

const best = new Map<string, number>();
const keep = (key: string, v: number) => { if (!(v <= (best.get(key) ?? 0))) best.set(key, v); };
const computes = new Map<string, unknown>();
const versions = new Map<string, string>();
const members = cliHasMembers();
const eigenflowCases = CASES.filter((c) => members || !c.members || c.members === 1);
const peak = await simdPeak();
for (let round = 0; round < rounds; round++) {
  for (const c of eigenflowCases) for (const path of paths) {
    const r = eigenflowRate(c, path);
    if ('error' in r) { console.error(`${c.id} ${path}: ${r.error}`); continue; }
    keep(`${c.id}/eigenflow-${path}`, r.rate);
    computes.set(`${c.id}/${path}`, r.compute);
  }
  for (const fw of PEERS) {
    for (const r of peerRates(fw, CASES)) { keep(`${r.id}/${fw}`, r.model_steps_per_s); versions.set(fw, `${r.version}${r.threads ? `, ${r.threads} threads` : ''}`); }
  }
  process.stderr.write(`round ${round + 1}/${rounds} done (load ${os.loadavg()[0]!.toFixed(2)})\n`);
}

const fmt = (v: number | undefined) => (v === undefined ? '—' : v >= 100 ? v.toFixed(0) : v.toPrecision(3));
const sides = [...paths.map((p) => `eigenflow-${p}`), ...PEERS];
console.log(`\nmodel-steps/s, best of ${rounds} rounds; WebAssembly SIMD peak ${peak.toFixed(1)} GFLOP/s per core (flopProbe.wat); load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`PyTorch ${versions.get('torch') ?? '—'}; JAX ${versions.get('jax') ?? '—'}; node ${process.version}; ${os.cpus()[0]?.model} × ${os.cpus().length}`);
if (!members) console.log('(eigenflow members cases skipped: this checkout has no `run --members`)');
console.log(`\n| case | ${sides.join(' | ')} | ${paths.map((p) => `${p} ÷ torch`).join(' | ')} | wasm GFLOP/s (% of 1-core SIMD peak) | torch GFLOP/s |`);
console.log(`| --- | ${sides.map(() => '---:').join(' | ')} | ${paths.map(() => '---:').join(' | ')} | ---: | ---: |`);
for (const c of CASES) {
  const v = (s: string) => best.get(`${c.id}/${s}`);
  const ratios = paths.map((p) => { const a = v(`eigenflow-${p}`), t = v('torch'); return a && t ? `${(a / t).toFixed(2)}×` : '—'; });
  const wasm = v('eigenflow-wasm'), torch = v('torch');
  const gf = (rate: number) => (rate * c.flops) / 1e9;
  console.log(`| ${c.label} | ${sides.map((s) => fmt(v(s))).join(' | ')} | ${ratios.join(' | ')} | ${c.graph === 'graphs/cis-noise.json' ? 'sparse step' : wasm ? `${gf(wasm).toPrecision(3)} (${((100 * gf(wasm)) / peak).toFixed(0)} %)` : '—'} | ${torch ? gf(torch).toPrecision(3) : '—'} |`);
}
console.log('\nmatmul path per run (manifest `compute`):');
for (const [k, v] of computes) console.log(`  ${k}: ${JSON.stringify(v)}`);
