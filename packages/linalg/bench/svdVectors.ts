/**
 * Singular vectors: eigenflow's two methods side by side in the same run, the crossover behind
 * `defaultSvdMethod` (src/fast.ts), and where the divide and conquer's time goes.
 *
 *   node --import tsx bench/svdVectors.ts [--reps 5] [--sizes 64,96,128,256,512] [--phases 1024]
 *
 * For each shape: the best of `reps` runs of svd(a, {vectors: true, method}) for 'qr' and 'dc',
 * alternated, and the ratio dc ÷ qr (below 1: divide and conquer is faster). --phases n times the
 * divide and conquer's phases on an n×n matrix: reduction, bidiagonal divide and conquer, and
 * back-transformation, each with the time spent in matrix products (and their GF/s).
 * The load (`uptime`) is printed before and after: read the ratios, not the times.
 */
import { availableParallelism, loadavg } from 'node:os';
import { matrix64, svd, linalgThreads, type Matrix64 } from '../src/index.ts';
import { bidiagonalize } from '../src/bidiag.ts';
import { bidiagDc } from '../src/bdsdc.ts';
import { applyReflectors, WY_BLOCK } from '../src/backTransform.ts';
import { kernelProducts, type Products } from '../src/dcProducts.ts';
import { deriveRng } from '../test/helpers.ts';

const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : undefined; };
const reps = Number(arg('reps') ?? 5);
const sizes = (arg('sizes') ?? '64,96,128,192,256,384,512').split(',').map(Number);
const shapes: [number, number][] = [...sizes.map((n) => [n, n] as [number, number]), [1000, 50], [1000, 200], [50, 1000]];
const phasesN = arg('phases') ? Number(arg('phases')) : 0;

function gaussian(m: number, n: number): Matrix64 {
  const a = matrix64(m, n);
  deriveRng(m * 7 + n, 'bench-svd-vectors').fillNormal(a.data);
  return a;
}

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`load average before: ${load()} (${availableParallelism()} cores, eigenflow threads ${linalgThreads()})`);
console.log('');
console.log('| shape | QR rotations | divide and conquer | dc ÷ qr |');
console.log('|---|---|---|---|');
for (const [m, n] of shapes) {
  const a = gaussian(m, n);
  const best = { qr: Infinity, dc: Infinity };
  for (let r = 0; r < reps; r++) for (const method of ['qr', 'dc'] as const) {
    const t = performance.now();
    svd(a, { vectors: true, method });
    best[method] = Math.min(best[method], performance.now() - t);
  }
  console.log(`| ${m}×${n} | ${best.qr.toFixed(1)} ms | ${best.dc.toFixed(1)} ms | ${(best.dc / best.qr).toFixed(2)}× |`);
}

/** One timed pass through the divide and conquer's phases on an n×n matrix (a line of text). */
function phases(n: number): string {
  const w = gaussian(n, n).data;
  let t = performance.now();
  const bd = bidiagonalize(w, n, n);
  const reduce = performance.now() - t;
  const kp = kernelProducts(n, n, WY_BLOCK, n * n >= 384 * 384 ? linalgThreads() : 1);
  if (!kp) throw new Error('no WebAssembly SIMD: the phases need the gemm kernel');
  try {
    let ms = 0, flops = 0;
    const timed: Products = {
      scratch: kp.scratch,
      mul(m_, n_, k, alpha, a, b, beta, c, lda, ldb, ldc) { const t0 = performance.now(); kp.mul(m_, n_, k, alpha, a, b, beta, c, lda, ldb, ldc); ms += performance.now() - t0; flops += 2 * m_ * n_ * k; },
    };
    t = performance.now();
    const b = bidiagDc(bd.d, bd.e, { products: timed });
    const dc = performance.now() - t, dcMs = ms, dcFlops = flops;
    kp.u.set(b.U); kp.v.set(b.V); // the vectors as rows (column-major U_B is U_Bᵀ row-major)
    t = performance.now();
    applyReflectors(kp.u, n, n, n, { a: w, ld: n, by: 'columns', tau: bd.tauL }, timed);
    applyReflectors(kp.v, n, n, n - 2, { a: w, ld: n, by: 'rows', tau: bd.tauR }, timed);
    const back = performance.now() - t;
    const rate = (f: number, x: number) => `${(f / 1e9).toFixed(2)} GF at ${(f / x / 1e6).toFixed(1)} GF/s`;
    return `phases at ${n}×${n}: reduction ${reduce.toFixed(0)} ms; bidiagonal divide and conquer ${dc.toFixed(0)} ms ` +
      `(products ${dcMs.toFixed(0)} ms, ${rate(dcFlops, dcMs)}); back-transformation ${back.toFixed(0)} ms ` +
      `(products ${(ms - dcMs).toFixed(0)} ms, ${rate(flops - dcFlops, ms - dcMs)})`;
  } finally {
    kp.close();
  }
}

if (phasesN) {
  phases(phasesN); // warm-up: compile the loops first
  console.log('');
  console.log(phases(phasesN));
}
console.log(`load average after: ${load()}`);
