/**
 * Benchmarks for the ssm family: float64 FFT convolution vs numpy (np.fft.rfft/irfft, the same
 * zero-padded power-of-two size) measured in the same run, and the dense kernel schedules
 * (sequential / doubling / baby-step-giant-step) against each other and numpy's mat-vec chain.
 *
 *   node --import tsx bench/ssm.ts            # prints a table; needs python3 with numpy
 */
import { execFileSync } from 'node:child_process';
import { convolve, matrix64 } from '@eigenflow/linalg';
import { denseKernel, type DenseMethod } from '../nodes/ssm/kernelInternals.ts';
import { deriveRng } from '../src/rng.ts';

/** Best of 5 batches (each ≥ 60 ms) of the mean time per call: robust to a busy machine. */
function time(fn: () => void, batchMs = 60): number {
  fn();
  let best = Infinity;
  for (let b = 0; b < 5; b++) {
    let reps = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < batchMs) { fn(); reps++; }
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return best;
}

const PY_TIME = `
def bench(f):
    f(); best = float('inf')
    for _ in range(5):
        reps = 0; t0 = time.perf_counter()
        while time.perf_counter() - t0 < 0.06: f(); reps += 1
        best = min(best, (time.perf_counter() - t0) / reps)
    return best * 1e3
`;

function numpy(code: string): Record<string, number> {
  const out = execFileSync('python3', ['-c', code], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const rng = deriveRng(1, 'bench');
const convSizes = [1024, 16384, 262144, 1048576];
const npConv = numpy(`
import numpy as np, time, json
${PY_TIME}
res = {}
for T in ${JSON.stringify(convSizes)}:
    u = np.random.randn(T); k = np.random.randn(T)
    n = 1 << (2*T - 1 - 1).bit_length()
    f = lambda: np.fft.irfft(np.fft.rfft(u, n) * np.fft.rfft(k, n), n)[:T]
    res[str(T)] = bench(f)
print(json.dumps(res))`);
console.log('causal FFT convolution, T inputs and T kernel taps (ms per call)');
console.log('T        eigenflow  numpy   ratio');
for (const T of convSizes) {
  const u = rng.fillNormal(new Float64Array(T)), k = rng.fillNormal(new Float64Array(T));
  const ms = time(() => convolve(u, k, { length: T, method: 'fft' }));
  console.log(`${String(T).padEnd(8)} ${ms.toFixed(3).padStart(9)} ${npConv[String(T)].toFixed(3).padStart(7)}  ${(ms / npConv[String(T)]).toFixed(2)}×`);
}

const cases: [number, number][] = [[16, 4096], [64, 4096], [64, 65536], [256, 16384]];
const npKernel = numpy(`
import numpy as np, time, json
${PY_TIME}
res = {}
for n, L in ${JSON.stringify(cases)}:
    A = np.random.randn(n, n) / np.sqrt(n) * 0.9; B = np.random.randn(n); C = np.random.randn(n)
    def f():
        K = np.empty(L); v = B.copy()
        for k in range(L): K[k] = C @ v; v = A @ v
        return K
    res[f"{n},{L}"] = bench(f)
print(json.dumps(res))`);
console.log('\ndense kernel K_1..K_L (ms per call); numpy = mat-vec chain in a python loop');
console.log('n    L       sequential  doubling  bsgs     numpy   bsgs/numpy');
for (const [n, L] of cases) {
  const A = matrix64(n, n, rng.fillNormal(new Float64Array(n * n), 0, 0.9 / Math.sqrt(n)));
  const sys = { A, B: rng.fillNormal(new Float64Array(n)), C: rng.fillNormal(new Float64Array(n)), D: 0 };
  const t: Record<string, number> = {};
  for (const m of ['sequential', 'doubling', 'bsgs'] as DenseMethod[]) t[m] = time(() => denseKernel(sys, L, m));
  const np = npKernel[`${n},${L}`];
  console.log(`${String(n).padEnd(4)} ${String(L).padEnd(7)} ${t.sequential.toFixed(2).padStart(10)} ${t.doubling.toFixed(2).padStart(9)} ${t.bsgs.toFixed(2).padStart(7)} ${np.toFixed(2).padStart(7)}   ${(t.bsgs / np).toFixed(2)}×`);
}
