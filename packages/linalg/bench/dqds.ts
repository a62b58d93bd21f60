/**
 * Singular values of a bidiagonal: dqds (src/bidiagValues.ts, what `svd` runs for values only)
 * against the implicit-shift bidiagonal QR it replaced (bidiagQr.ts) and LAPACK's dlasq1 (OpenBLAS,
 * through numpy's bundled library), all on the same bidiagonals in the same run.
 *
 *   node --import tsx bench/bidiagValues.ts [--sizes 1024,4096] [--svd 1024,4096] [--reps 3]
 *
 * Bidiagonals: "gaussian", distributed as the Golub–Kahan bidiagonal of an n×n Gaussian matrix
 * (d_i ~ χ with n−i degrees of freedom, e_i ~ χ with n−1−i: what `svd` of a random matrix hands
 * to dqds), and "uniform", entries uniform in (−½, ½) (many tiny singular values). Each figure is
 * the best of 5·`reps` runs (LAPACK's too). The last column says whether eigenflow's dqds returned
 * exactly LAPACK's bits, else the largest relative difference. The load (`uptime`) is printed
 * before and after.
 *
 * `--svd SIZES` adds whole singular-value computations of n×n Gaussian matrices: `svd(a)`, and
 * the bidiagonalisation followed by dqds (what `svd` runs now, without its input checks and
 * scaling) against the same followed by bidiagonal QR (what it ran before), in the same run,
 * alternating, best of `reps`; the threads are EIGENFLOW_LINALG_THREADS or every core. The
 * bidiagonalisation dominates and moves with the load: the last two columns (the bidiagonal step
 * alone, on the matrix's own bidiagonal) show the difference itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bidiagValues } from '../src/bidiagValues.ts';
import { bidiagQr } from '../src/bidiagQr.ts';
import { bidiagonalize } from '../src/bidiagonalize.ts';
import { matrix64, svd } from '../src/index.ts';
import { deriveRng } from '../test/helpers.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const sizes = arg('sizes', '1024,4096').split(',').map(Number);
const svdSizes = arg('svd', '').split(',').filter(Boolean).map(Number);
const reps = Number(arg('reps', '3'));

/** Best of 5·reps runs: a bidiagonal step takes milliseconds, and the machine is shared. */
function best(f: () => void): number {
  let b = Infinity;
  for (let r = 0; r < 5 * reps; r++) { const t = performance.now(); f(); b = Math.min(b, performance.now() - t); }
  return b / 1000;
}

/** χ with k degrees of freedom: the norm of k standard normals. */
function chi(rng: ReturnType<typeof deriveRng>, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += rng.normal() ** 2;
  return Math.sqrt(s);
}

function bidiagonal(kind: string, n: number): { d: Float64Array; e: Float64Array } {
  const rng = deriveRng(n, `dqds-bench-${kind}`);
  if (kind === 'gaussian') {
    return {
      d: Float64Array.from({ length: n }, (_, i) => chi(rng, n - i)),
      e: Float64Array.from({ length: n - 1 }, (_, i) => chi(rng, n - 1 - i)),
    };
  }
  return {
    d: Float64Array.from({ length: n }, () => rng.uniform() - 0.5),
    e: Float64Array.from({ length: n - 1 }, () => rng.uniform() - 0.5),
  };
}

const fmt = (s: number): string => (s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`load average before: ${load()}`);
const dir = mkdtempSync(join(tmpdir(), 'eigenflow-dqds-'));
try {
  const rows: { name: string; qr: number; dqds: number; values: Float64Array }[] = [];
  for (const n of sizes) {
    for (const kind of ['gaussian', 'uniform']) {
      const { d, e } = bidiagonal(kind, n);
      const name = `${kind}-${n}`;
      writeFileSync(join(dir, `${name}.d`), d);
      writeFileSync(join(dir, `${name}.e`), e);
      const qr = best(() => {
        const s = Float64Array.from(d), ee = new Float64Array(n);
        ee.set(e);
        bidiagQr(s, ee);
      });
      let values = new Float64Array(0);
      const dq = best(() => {
        values = Float64Array.from(d);
        if (bidiagValues(values, e) !== 'dqds') throw new Error(`${name}: dqds fell back to QR`);
      });
      rows.push({ name, qr, dqds: dq, values });
    }
  }
  let lapack: Record<string, number> | null = null;
  try {
    const script = fileURLToPath(new URL('./dqds_lapack.py', import.meta.url));
    lapack = JSON.parse(execFileSync('python3', [script, dir, String(5 * reps)], { encoding: 'utf8' }));
  } catch (err) {
    console.log(`LAPACK peer unavailable: ${(err as Error).message.split('\n')[0]}`);
  }
  console.log(`load average after: ${load()}\n`);
  console.log('| bidiagonal | QR (bidiagQr.ts) | dqds (bidiagValues.ts) | QR ÷ dqds | LAPACK dlasq1 | dqds ÷ LAPACK | same values as LAPACK |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    let lap = '', ratio = '', same = '';
    if (lapack) {
      const t = lapack[r.name]!;
      const ref = new Float64Array(readFileSync(join(dir, `${r.name}.lapack`)).buffer.slice(0));
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(r.values[i] - ref[i]) / ref[i]);
      lap = fmt(t); ratio = `${(r.dqds / t).toFixed(2)}×`;
      same = worst === 0 ? 'bit-identical' : `max relative difference ${worst.toExponential(1)}`;
    }
    console.log(`| ${r.name.replace('-', ' n = ')} | ${fmt(r.qr)} | ${fmt(r.dqds)} | ${(r.qr / r.dqds).toFixed(1)}× | ${lap} | ${ratio} | ${same} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The values path of `svd` after the reduction, with the bidiagonal step `step`. */
function reduceThen(a: ReturnType<typeof matrix64>, step: (d: Float64Array, e: Float64Array) => void): Float64Array {
  const w = Float64Array.from(a.data);
  const { d, e } = bidiagonalize(w, a.rows, a.cols);
  step(d, e);
  return d;
}
const byDqds = (d: Float64Array, e: Float64Array): void => { bidiagValues(d, e); };
const byQr = (d: Float64Array, e: Float64Array): void => { bidiagQr(d, e); d.sort().reverse(); };

if (svdSizes.length) {
  console.log(`\nload average before: ${load()}`);
  const lines: string[] = [];
  for (const n of svdSizes) {
    const a = matrix64(n, n);
    deriveRng(n, 'dqds-bench-svd').fillNormal(a.data);
    // interleaved, so that a change in the machine's load hits all alike
    let whole = Infinity, now = Infinity, before = Infinity;
    for (let r = 0; r < reps; r++) {
      let t = performance.now();
      svd(a);
      whole = Math.min(whole, (performance.now() - t) / 1000);
      t = performance.now();
      reduceThen(a, byDqds);
      now = Math.min(now, (performance.now() - t) / 1000);
      t = performance.now();
      reduceThen(a, byQr);
      before = Math.min(before, (performance.now() - t) / 1000);
    }
    const { d, e } = bidiagonalize(Float64Array.from(a.data), n, n);
    const qr = best(() => { const s = Float64Array.from(d), ee = Float64Array.from(e); bidiagQr(s, ee); });
    const dq = best(() => { bidiagValues(Float64Array.from(d), e); });
    lines.push(`| ${n}×${n} | ${fmt(whole)} | ${fmt(now)} | ${fmt(before)} | ${(before / now).toFixed(2)}× | ${fmt(qr)} | ${fmt(dq)} |`);
  }
  console.log(`load average after: ${load()}\n`);
  console.log('| singular values of | svd(a) | reduction + dqds (svd now) | reduction + QR (svd before) | before ÷ now | QR step alone | dqds step alone |');
  console.log('|---|---|---|---|---|---|---|');
  for (const l of lines) console.log(l);
}
