/**
 * Float64 spectra: eigenflow's svd / symEig against numpy (LAPACK via OpenBLAS) in the same run.
 *
 *   node --import tsx bench/svd.ts [--sizes 256,512,1024] [--reps 3]
 *
 * numpy runs through the pyenv `python3` twice: with its default thread count and with one
 * thread (OPENBLAS_NUM_THREADS=1). OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for that command only
 * (see the env notes: they slow a current numpy). Each figure is the best of `reps` runs.
 */
import { execFileSync } from 'node:child_process';
import { svd, symEig, jacobiSvd, matrix64 } from '../src/linalg/index.ts';
import { deriveRng } from '../src/rng.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const sizes = arg('sizes', '256,512,1024').split(',').map(Number);
const reps = Number(arg('reps', '3'));

function best(f: () => void): number {
  let b = Infinity;
  for (let r = 0; r < reps; r++) { const t = performance.now(); f(); b = Math.min(b, performance.now() - t); }
  return b / 1000;
}

const PY = `
import sys, time, json, numpy as np
sizes = [int(x) for x in sys.argv[1].split(',')]; reps = int(sys.argv[2])
def best(f):
    b = 1e9
    for _ in range(reps):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return b
out = {'numpy': np.__version__}
rng = np.random.default_rng(0)
for n in sizes:
    a = rng.standard_normal((n, n)); s = a + a.T
    out[f'{n}/svdvals'] = best(lambda: np.linalg.svd(a, compute_uv=False))
    out[f'{n}/svd'] = best(lambda: np.linalg.svd(a, full_matrices=False))
    out[f'{n}/eigvalsh'] = best(lambda: np.linalg.eigvalsh(s))
    out[f'{n}/eigh'] = best(lambda: np.linalg.eigh(s))
print(json.dumps(out))
`;

/** One numpy process; `threads` pins OpenBLAS/OpenMP threads (undefined = numpy's default). */
function numpy(threads?: number): Record<string, unknown> | null {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; delete env.OPENBLAS_L2_SIZE;
  if (threads) for (const k of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']) env[k] = String(threads);
  try {
    return JSON.parse(execFileSync('python3', ['-c', PY, sizes.join(','), String(reps)], { env, encoding: 'utf8' }));
  } catch (err) {
    console.log(`numpy peer unavailable: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
}

const np = numpy(), np1 = numpy(1);
if (np) console.log(`numpy ${np.numpy} (OpenBLAS; default threads on ${(await import('node:os')).cpus().length} cores, and 1 thread)`);
console.log('n     op         eigenflow(s)  numpy-default(s)  ratio   numpy-1thread(s)  ratio');
for (const n of sizes) {
  const a = matrix64(n, n);
  deriveRng(n, 'bench').fillNormal(a.data);
  const s = matrix64(n, n, a.data.map((x, i) => x + a.data[(i % n) * n + Math.floor(i / n)]));
  const ours: Record<string, number> = {
    svdvals: best(() => svd(a)),
    svd: best(() => svd(a, { vectors: true })),
    eigvalsh: best(() => symEig(s)),
    eigh: best(() => symEig(s, { vectors: true })),
  };
  for (const op of Object.keys(ours)) {
    const d = np?.[`${n}/${op}`] as number | undefined, o = np1?.[`${n}/${op}`] as number | undefined;
    const f = (x?: number) => (x === undefined ? '     -' : x.toFixed(3).padStart(8));
    const r = (x?: number) => (x === undefined ? '   -' : (ours[op]! / x).toFixed(1).padStart(6) + '×');
    console.log(`${String(n).padEnd(5)} ${op.padEnd(10)} ${f(ours[op])}      ${f(d)}        ${r(d)}   ${f(o)}        ${r(o)}`);
  }
  if (n <= 256) console.log(`${String(n).padEnd(5)} jacobi     ${best(() => jacobiSvd(a)).toFixed(3).padStart(8)}   (reference path, values only)`);
}
