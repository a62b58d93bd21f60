/**
 * Float64 spectra and FFT convolution: eigenflow against numpy (LAPACK/OpenBLAS, pocketfft)
 * measured in the same run, numpy at its default thread count AND at one thread.
 *
 *   node --import tsx bench/linalg.ts [--quick] [--big] [--fft] [--reps 3] [--only eigh,gemm]
 *
 * Cases: the matrix product 1024³ (gemm, with GF/s), singular values 1024² and 4096² (--big adds
 * 4096×11008), singular values + vectors 1024², symmetric eigenvalues 1024² and 4096², eigenvalues
 * + vectors 1024² (--big adds 4096²), FFT convolution (causal, T outputs) at T = 2¹⁶ and 2²⁰ (also against fft.js and
 * eigenflow's TypeScript transforms; the WebAssembly kernels run by default). --quick: the 1024²
 * and 2¹⁶ cases only; --fft: the two FFT rows only; --only KIND,…: the cases of those kinds (gemm,
 * svdvals, svd, eigvalsh, eigh, fftconv).
 * Each figure is the best of `reps` runs (one run for 4096 rows and more). eigenflow uses
 * EIGENFLOW_LINALG_THREADS or every core. The
 * "eigenflow" column is the WebAssembly path (`backend: 'wasm'`); when a LAPACK library loads, the
 * spectra are also timed on eigenflow's LAPACK backend (`backend: 'lapack'`: dgesdd/dsyevd through
 * koffi, opened per call), else those columns say why not. The load (`uptime`) is printed before and after:
 * other work on the machine moves every figure, so read the ratios.
 *
 * numpy runs as `python3 bench/linalg_numpy.py` with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset
 * for that command only (they slow a current numpy; see the environment notes).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import FFT from 'fft.js';
import { matrix64, openLapack, svd, symEig, linalgThreads, type Matrix64 } from '../src/index.ts';
import { convolve, convolveByTypeScriptFft, convolvePlan } from '../src/fft.ts';
import { gemm, gemmArrays } from '../src/gemm.ts';
import { deriveRng } from '../test/helpers.ts';

const has = (flag: string) => process.argv.includes(`--${flag}`);
const repsArg = process.argv.indexOf('--reps');
const reps = repsArg >= 0 ? Number(process.argv[repsArg + 1]) : 3;

type Case = [kind: 'svdvals' | 'svd' | 'eigvalsh' | 'eigh' | 'fftconv' | 'gemm', a: number, b: number];
const onlyArg = process.argv.indexOf('--only');
const only = has('fft') ? ['fftconv'] : onlyArg >= 0 ? process.argv[onlyArg + 1].split(',') : null;
const allCases: Case[] = has('quick')
  ? [['gemm', 1024, 0], ['svdvals', 1024, 1024], ['svd', 1024, 1024], ['eigvalsh', 1024, 0], ['eigh', 1024, 0], ['fftconv', 1 << 16, 0]]
  : [
    ['gemm', 1024, 0], ['svdvals', 1024, 1024], ['svd', 1024, 1024], ['eigvalsh', 1024, 0], ['eigh', 1024, 0],
    ['fftconv', 1 << 16, 0], ['fftconv', 1 << 20, 0],
    ['svdvals', 4096, 4096], ['eigvalsh', 4096, 0],
    ...(has('big') ? [['eigh', 4096, 0] as Case, ['svdvals', 4096, 11008] as Case] : []),
  ];
const cases = only ? allCases.filter(([kind]) => only.includes(kind)) : allCases;

function best(f: () => void, r: number): number {
  let b = Infinity;
  for (let i = 0; i < r; i++) { const t = performance.now(); f(); b = Math.min(b, performance.now() - t); }
  return b / 1000;
}

function numpy(threads?: number): Record<string, unknown> | null {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; delete env.OPENBLAS_L2_SIZE;
  if (threads) for (const k of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']) env[k] = String(threads);
  const script = fileURLToPath(new URL('./linalg_numpy.py', import.meta.url));
  try {
    return JSON.parse(execFileSync('python3', [script, JSON.stringify(cases), String(reps)], { env, encoding: 'utf8' }));
  } catch (err) {
    console.log(`numpy peer unavailable: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
}

/** Causal convolution by fft.js (real transforms, complex product, inverse), the npm peer. */
function fftjsConv(u: Float64Array, k: Float64Array): Float64Array {
  const T = u.length, n = 2 * T;
  const f = new FFT(n);
  const A = f.createComplexArray() as number[], B = f.createComplexArray() as number[], out = f.createComplexArray() as number[];
  const pu = new Float64Array(n), pk = new Float64Array(n);
  pu.set(u); pk.set(k);
  f.realTransform(A, pu); f.completeSpectrum(A);
  f.realTransform(B, pk); f.completeSpectrum(B);
  for (let i = 0; i < n; i++) {
    const ar = A[2 * i], ai = A[2 * i + 1], br = B[2 * i], bi = B[2 * i + 1];
    A[2 * i] = ar * br - ai * bi; A[2 * i + 1] = ar * bi + ai * br;
  }
  f.inverseTransform(out, A);
  const y = new Float64Array(T);
  for (let i = 0; i < T; i++) y[i] = out[2 * i];
  return y;
}

function randomMatrix(m: number, n: number, seed: string): Matrix64 {
  const a = matrix64(m, n);
  deriveRng(m * 7 + n, seed).fillNormal(a.data);
  return a;
}

const lapackProbe = openLapack();
const lapackLibrary = lapackProbe.ok ? lapackProbe.lib.path : null;
if (lapackProbe.ok) lapackProbe.lib.close();

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadBefore = load();
const np = numpy(), np1 = numpy(1);
const rows: string[][] = [];
for (const [kind, a, b] of cases) {
  const key = `${kind}/${a}x${b}`;
  const r = a >= 4096 ? 1 : reps;
  let ours: number, lapack: number | undefined, peer2: number | undefined, peer2Name = '', extra = '';
  let label: string;
  if (kind === 'gemm') {
    // C ← A·B on arrays in the kernels' memory (no copies), split over the threads like the decompositions' products
    const mem = gemmArrays([a * a, a * a, a * a], linalgThreads())!;
    try {
      const [A, B, C] = mem.arrays;
      deriveRng(a, 'bench-gemm').fillNormal(A); deriveRng(a + 1, 'bench-gemm').fillNormal(B);
      ours = best(() => gemm(a, a, a, 1, A, a, B, a, 0, C, a, { work: mem.work }), r);
    } finally { mem.close(); }
    label = `matrix product (gemm) ${a}×${a} · ${a}×${a}`;
    const gf = (t?: number) => (t === undefined ? '–' : (2 * a ** 3 / t / 1e9).toFixed(1));
    peer2Name = `GF/s: eigenflow ${gf(ours)}, numpy ${gf(np?.[`gemm/${a}x${b}`] as number | undefined)}, numpy 1 thread ${gf(np1?.[`gemm/${a}x${b}`] as number | undefined)}`;
  } else if (kind === 'svdvals' || kind === 'svd') {
    const x = randomMatrix(a, b, 'bench-svd');
    ours = best(() => svd(x, { vectors: kind === 'svd', backend: 'wasm' }), r);
    if (lapackLibrary) lapack = best(() => svd(x, { vectors: kind === 'svd', backend: 'lapack' }), r);
    label = `${kind === 'svd' ? 'singular values + vectors' : 'singular values'} ${a}×${b}`;
  } else if (kind === 'eigvalsh' || kind === 'eigh') {
    const x = randomMatrix(a, a, 'bench-eig');
    for (let i = 0; i < a; i++) for (let j = 0; j < i; j++) x.data[i * a + j] = x.data[j * a + i] = x.data[i * a + j] + x.data[j * a + i];
    ours = best(() => symEig(x, { vectors: kind === 'eigh', backend: 'wasm' }), r);
    if (lapackLibrary) lapack = best(() => symEig(x, { vectors: kind === 'eigh', backend: 'lapack' }), r);
    label = `symmetric ${kind === 'eigh' ? 'eigenvalues + vectors' : 'eigenvalues'} ${a}×${a}`;
  } else {
    const rng = deriveRng(a, 'bench-fft');
    const u = new Float64Array(a), k = new Float64Array(a);
    rng.fillNormal(u); rng.fillNormal(k);
    convolve(u, k, { length: a, method: 'fft' }); fftjsConv(u, k); // warm-up: compile the hot loops first
    ours = best(() => convolve(u, k, { length: a, method: 'fft' }), r);
    peer2 = best(() => fftjsConv(u, k), r);
    peer2Name = 'fft.js';
    const tsTime = best(() => convolveByTypeScriptFft(u, k, { length: a }), r);
    const plan = convolvePlan(a, a, a);
    const planned = plan ? best(() => convolve(u, k, { length: a, plan }), r) : NaN;
    extra = `; eigenflow TypeScript transforms ${(tsTime * 1000).toFixed(1)} ms (${(ours / tsTime).toFixed(2)}×)` +
      `; eigenflow with a reused plan ${(planned * 1000).toFixed(1)} ms`;
    label = `FFT convolution T = 2^${Math.log2(a)}`;
  }
  const d = np?.[key] as number | undefined, o = np1?.[key] as number | undefined;
  const sec = (x?: number) => (x === undefined ? '–' : x < 1 ? `${(x * 1000).toFixed(1)} ms` : `${x.toFixed(2)} s`);
  const ratio = (x?: number, mine = ours) => (x === undefined ? '–' : `${(mine / x).toFixed(2)}×`);
  rows.push([label, sec(ours), sec(d), ratio(d), sec(o), ratio(o), sec(lapack), lapack === undefined ? '–' : ratio(d, lapack),
    peer2 === undefined ? peer2Name : `${peer2Name} ${sec(peer2)} (${ratio(peer2)})${extra}`]);
  console.error(`done: ${label}`);
}
console.log(`load average before: ${loadBefore}; after: ${load()} (${availableParallelism()} cores)`);
console.log(`eigenflow threads: ${linalgThreads()}; numpy ${np?.numpy ?? '?'} ${np?.blas ? JSON.stringify(np.blas) : ''}`);
console.log(`eigenflow LAPACK backend: ${lapackLibrary ?? `not timed (${lapackProbe.ok ? '' : lapackProbe.reason})`}`);
console.log('');
console.log('| case | eigenflow | numpy (default threads) | eigenflow ÷ numpy | numpy (1 thread) | eigenflow ÷ numpy 1-thread | eigenflow (LAPACK backend) | LAPACK backend ÷ numpy | other peer |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
