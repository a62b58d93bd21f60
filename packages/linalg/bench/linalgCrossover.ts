/**
 * Where the LAPACK backend starts to pay: `svd`/`symEig` on n×n matrices with `backend: 'wasm'`
 * against `backend: 'lapack'` (the library opened and closed by each call, as 'auto' does) and
 * against LAPACK through a handle the caller keeps open (no per-call open). Same run, same matrices.
 *
 *   node --import tsx bench/linalgCrossover.ts [--sizes 8,16,32,64,128]
 *
 * Each figure is the median of repeated calls over about 0.3 s. The ratios (wasm ÷ LAPACK: above 1
 * LAPACK is faster) set LAPACK_MIN_ENTRIES in src/backend.ts.
 */
import { loadavg } from 'node:os';
import { matrix64, openLapack, svd, symEig, type LapackLibrary, type Matrix64 } from '../src/index.ts';
import { deriveRng } from '../test/helpers.ts';

const sizesArg = process.argv.indexOf('--sizes');
const sizes = sizesArg >= 0 ? process.argv[sizesArg + 1].split(',').map(Number) : [16, 32, 64, 96, 128, 192, 256, 384];

function median(f: () => void): number {
  const times: number[] = [];
  const end = performance.now() + 300;
  while (performance.now() < end || times.length < 5) { const t = performance.now(); f(); times.push(performance.now() - t); }
  times.sort((p, q) => p - q);
  return times[times.length >> 1];
}

function randomSymmetric(n: number): Matrix64 {
  const a = matrix64(n, n);
  deriveRng(n, 'crossover').fillNormal(a.data);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a.data[i * n + j] = a.data[j * n + i];
  return a;
}

const probe = openLapack();
if (!probe.ok) { console.log(`LAPACK not available: ${probe.reason}`); process.exit(0); }
const path = probe.lib.path;
probe.lib.close();
const ms = (x: number) => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(2)} ms`);
console.log(`library: ${path}; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log('');
console.log('| case | n | wasm | LAPACK, opened per call | wasm ÷ LAPACK | LAPACK, open handle | wasm ÷ LAPACK (handle) |');
console.log('|---|---|---|---|---|---|---|');
for (const [name, vectors] of [['svd', false], ['svd', true], ['symEig', false], ['symEig', true]] as const) {
  for (const n of sizes) {
    const a = randomSymmetric(n);
    const run = (backend: 'wasm' | 'lapack', lapack?: LapackLibrary) => () => {
      const opts = { backend, vectors, lapack };
      if (name === 'svd') svd(a, opts); else symEig(a, opts);
    };
    // per call first, while nothing else holds the library: each call then really loads and unloads it
    const wasm = median(run('wasm')), perCall = median(run('lapack'));
    const handle = openLapack();
    const held = handle.ok ? median(run('lapack', handle.lib)) : NaN;
    if (handle.ok) handle.lib.close();
    console.log(`| ${name}${vectors ? ' + vectors' : ''} | ${n} | ${ms(wasm)} | ${ms(perCall)} | ${(wasm / perCall).toFixed(2)} | ${ms(held)} | ${(wasm / held).toFixed(2)} |`);
  }
}
console.log('');
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
