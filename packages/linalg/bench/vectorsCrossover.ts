/**
 * Vectors: divide and conquer against the QR/QL iteration rotating explicitly formed vectors, side
 * by side in the same run at each size: the crossover DIVIDE_CONQUER_MIN_SIZE (src/constants.ts)
 * comes from here. Also where the divide and conquer's time goes.
 *
 *   node --import tsx bench/vectorsCrossover.ts [--reps 5] [--sizes 8,32,64,96,128,256,512] [--phases 1024]
 *
 * For each shape: the best of `reps` runs of the singular vectors (wasmSvd) and, for square
 * shapes, the symmetric eigenvectors (wasmSymEig) by each method, alternated, and the ratios
 * dc ÷ qr and dc ÷ ql (below 1: divide and conquer is faster). --phases n times the SVD's divide
 * and conquer phases on an n×n matrix: reduction, bidiagonal divide and conquer, and
 * back-transformation, each with the time spent in matrix products (and their GF/s).
 * The load (`uptime`) is printed before and after: read the ratios, not the times.
 */
import { availableParallelism, loadavg } from 'node:os';
import { matrix64, linalgThreads, type Matrix64 } from '../src/index.ts';
import { wasmSvd } from '../src/svd.ts';
import { wasmSymEig } from '../src/symEig.ts';
import { SVD_REFLECTOR_BLOCK, THREADED_MIN_ENTRIES } from '../src/constants.ts';
import { bidiagonalize } from '../src/bidiagonalize.ts';
import { bidiagDc } from '../src/bidiagDivideConquer.ts';
import { applyReflectors } from '../src/bidiagBackTransform.ts';
import { kernelProducts, type Products } from '../src/divideConquerProducts.ts';
import { deriveRng } from '../test/helpers.ts';

const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : undefined; };
const reps = Number(arg('reps') ?? 5);
const sizes = (arg('sizes') ?? '8,32,64,96,128,192,256,384,512').split(',').map(Number);
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
console.log('| shape | SVD: QR iteration | divide and conquer | dc ÷ qr | symmetric: QL iteration | divide and conquer | dc ÷ ql |');
console.log('|---|---|---|---|---|---|---|');
const time = (f: () => unknown, calls: number) => { const t = performance.now(); for (let i = 0; i < calls; i++) f(); return (performance.now() - t) / calls; };
const ms = (x: number) => (x < 1 ? `${x.toFixed(3)} ms` : `${x.toFixed(1)} ms`);
for (const [m, n] of shapes) {
  const a = gaussian(m, n), s = m === n ? gaussian(n, n) : null;
  const calls = Math.max(1, Math.min(1000, Math.round(2e6 / (m * n * n)))); // small shapes: many calls per timing
  const best = { qr: Infinity, dc: Infinity, ql: Infinity, edc: Infinity };
  for (let r = 0; r < reps; r++) {
    best.qr = Math.min(best.qr, time(() => wasmSvd(a, { vectors: true }, Infinity), calls));
    best.dc = Math.min(best.dc, time(() => wasmSvd(a, { vectors: true }, 0), calls));
    if (s) {
      best.ql = Math.min(best.ql, time(() => wasmSymEig(s, { vectors: true }, Infinity), calls));
      best.edc = Math.min(best.edc, time(() => wasmSymEig(s, { vectors: true }, 0), calls));
    }
  }
  const eig = s ? `${ms(best.ql)} | ${ms(best.edc)} | ${(best.edc / best.ql).toFixed(2)}×` : '– | – | –';
  console.log(`| ${m}×${n} | ${ms(best.qr)} | ${ms(best.dc)} | ${(best.dc / best.qr).toFixed(2)}× | ${eig} |`);
}

/** One timed pass through the divide and conquer's phases on an n×n matrix (a line of text). */
function phases(n: number): string {
  const w = gaussian(n, n).data;
  let t = performance.now();
  const bd = bidiagonalize(w, n, n);
  const reduce = performance.now() - t;
  const kp = kernelProducts(n, n, SVD_REFLECTOR_BLOCK, n * n >= THREADED_MIN_ENTRIES ? linalgThreads() : 1);
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
    applyReflectors(kp.u, n, n, n, { a: w, ld: n, by: 'columns', tau: bd.tauL }, timed, SVD_REFLECTOR_BLOCK);
    applyReflectors(kp.v, n, n, n - 2, { a: w, ld: n, by: 'rows', tau: bd.tauR }, timed, SVD_REFLECTOR_BLOCK);
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
