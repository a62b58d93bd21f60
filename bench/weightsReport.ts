/**
 * The per-layer weights report on one large layer: eigenflow's spectral.weightsReport pipeline
 * (lazy safetensors read → float64 SVD → WeightWatcher-convention power-law fit → norms and MP
 * fit → randomization test) against numpy doing the same steps (np.linalg.svd, the WWFit loop of
 * WeightWatcher vectorised in numpy) on the same file in the same run.
 *
 *   node --import tsx bench/weightsReport.ts [--size 4096] [--randomize 1]
 *
 * Reports seconds per phase and the ratio eigenflow / numpy; says the load (uptime) before and after.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, readTensor } from '../nodes/io/tensorFormatsInternals.ts';
import { combinedEigenvalues, fitMarchenkoPastur, layerMatrices, permuteElements } from '../nodes/spectral/layerAnalysisInternals.ts';
import { fitPowerLaw } from '../nodes/spectral/powerLawInternals.ts';
import { deriveRng } from '../src/rng.ts';
import { safetensorsBytes } from '../test/nodes/io/formatWriters.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const n = Number(arg('size', '4096'));
const randomize = arg('randomize', '1') !== '0';

const dir = mkdtempSync(join(tmpdir(), 'eigenflow-bench-wr-'));
const file = join(dir, 'layer.safetensors');
const rng = deriveRng(1, 'bench');
// Student-t(3) entries: a heavy-tailed ESD, as in trained layers
const values = new Float32Array(n * n);
for (let i = 0; i < values.length; i++) { let c = 0; for (let k = 0; k < 3; k++) c += rng.normal() ** 2; values[i] = rng.normal() / Math.sqrt(c / 3) / Math.sqrt(n); }
writeFileSync(file, safetensorsBytes([{ name: 'layer.weight', shape: [n, n], values, dtype: 'f32' }]));
const load0 = loadavg()[0];

const time = <T>(f: () => T): [T, number] => { const t = performance.now(); const r = f(); return [r, (performance.now() - t) / 1000]; };
const ef: Record<string, number> = {};
const [t, tRead] = time(() => readTensor(openCheckpoint(file, 'bench').tensors[0], 'bench'));
ef.read = tRead;
const lm = layerMatrices(t.shape, t.data)!;
const [evals, tSvd] = time(() => combinedEigenvalues(lm.mats));
ef.svd = tSvd;
const [fit, tFit] = time(() => fitPowerLaw(evals));
ef.fit = tFit;
ef.mp = time(() => fitMarchenkoPastur(evals, lm.N, lm.M))[1];
if (randomize) ef.randomized_svd = time(() => combinedEigenvalues(permuteElements(lm.mats, rng)))[1];

const PY = String.raw`
import sys, json, struct, time, numpy as np
f, randomize = sys.argv[1], sys.argv[2] == '1'
out = {}
t = time.perf_counter()
with open(f, 'rb') as fh:
    hl = struct.unpack('<Q', fh.read(8))[0]; h = json.loads(fh.read(hl)); e = h['layer.weight']
    fh.seek(8 + hl + e['data_offsets'][0]); W = np.frombuffer(fh.read(e['data_offsets'][1] - e['data_offsets'][0]), '<f4').reshape(e['shape']).astype(np.float64)
out['read'] = time.perf_counter() - t
t = time.perf_counter(); sv = np.linalg.svd(W, compute_uv=False); evals = np.sort(sv * sv); out['svd'] = time.perf_counter() - t
t = time.perf_counter()
data = evals[evals > 1e-5]; N = len(data); ld = np.log(data); Ds = np.ones(N - 1); alphas = np.zeros(N - 1)
for i in range(N - 1):
    m = float(N - i); a = 1 + m / (np.sum(ld[i:]) - m * ld[i]); alphas[i] = a
    if a > 1: Ds[i] = np.max(np.abs(1 - (data[i:] / data[i]) ** (-a + 1) - np.arange(m) / m))
k = int(np.argmin(Ds)); out['fit'] = time.perf_counter() - t; out['alpha'] = float(alphas[k]); out['xmin'] = float(data[k])
if randomize:
    t = time.perf_counter(); Wr = np.random.default_rng(0).permutation(W.ravel()).reshape(W.shape); np.linalg.svd(Wr, compute_uv=False); out['randomized_svd'] = time.perf_counter() - t
out['numpy'] = np.__version__
print(json.dumps(out))
`;
let py: Record<string, number | string> | null = null;
try {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE; delete env.OPENBLAS_L2_SIZE;
  py = JSON.parse(execFileSync('python3', ['-c', PY, file, randomize ? '1' : '0'], { encoding: 'utf8', env, maxBuffer: 1 << 20 }));
} catch (e) {
  console.log(`numpy peer unavailable: ${(e as Error).message.split('\n')[0]}`);
}
rmSync(dir, { recursive: true, force: true });

console.log(`weights report on one ${n}×${n} layer (float32 safetensors, Student-t(3) entries); load avg ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`);
console.log(`eigenflow: α = ${fit.alpha.toFixed(4)}, x_min = ${fit.xmin.toPrecision(6)}, tail ${fit.tail}${py ? `;  numpy (${py.numpy}): α = ${(py.alpha as number).toFixed(4)}, x_min = ${(py.xmin as number).toPrecision(6)}` : ''}`);
console.log('phase            eigenflow s   numpy s   ratio');
let te = 0, tp = 0;
for (const k of Object.keys(ef)) {
  const p = py && typeof py[k] === 'number' ? (py[k] as number) : NaN;
  te += ef[k]; if (Number.isFinite(p)) tp += p;
  console.log(`${k.padEnd(16)} ${ef[k].toFixed(3).padStart(11)} ${Number.isFinite(p) ? p.toFixed(3).padStart(9) : '        –'} ${Number.isFinite(p) ? (ef[k] / p).toFixed(1).padStart(7) : ''}`);
}
console.log(`${'total'.padEnd(16)} ${te.toFixed(3).padStart(11)} ${py ? tp.toFixed(3).padStart(9) : '        –'} ${py ? (te / tp).toFixed(1).padStart(7) : ''}`);
