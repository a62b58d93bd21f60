/**
 * One layer of the WeightWatcher-style report: the weight matrices of a tensor (conv kernels
 * split per spatial position), their combined ESD, the power-law fit, norm metrics, a fitted
 * Marchenko–Pastur bulk with its spikes, the randomization test, and the ESD figure.
 * Each convention names its WeightWatcher source (weightwatcher.py, RMT_Util.py); docs/weights.md
 * lists them all.
 */
import { svd, type Matrix64 } from '@eigenflow/linalg';
import { linePlot, type Series } from '../../src/plot/svg.ts';
import type { Rng } from '../../src/rng.ts';
import { fitPowerLaw, type KsConvention, type PowerLawFit } from './powerLawInternals.ts';

export interface LayerMatrices {
  /** The matrices whose eigenvalues form one ESD (one for a dense layer, kh·kw for a conv kernel). */
  mats: Matrix64[];
  /** Larger and smaller dimension of each matrix (N ≥ M), and the number of matrices (receptive field). */
  N: number;
  M: number;
  rf: number;
}

/**
 * The matrices of a weight tensor, as WeightWatcher's `conv2D_Wmats` (weightwatcher.py) slices
 * them: rank 2 → the matrix itself; rank 4 (a, b, c, d) → when a + b ≥ c + d the spatial axes are
 * last (PyTorch's out×in×kh×kw) and the slices are W[:, :, i, j]; otherwise they are first
 * (Keras's kh×kw×in×out) and the slices are W[i, j, :, :]. All slices' eigenvalues are pooled
 * into one ESD (WeightWatcher's default `pool=True`). Other ranks return null (not analysed).
 */
export function layerMatrices(shape: readonly number[], data: Float64Array): LayerMatrices | null {
  if (shape.length === 2) {
    const [r, c] = shape;
    return { mats: [{ rows: r, cols: c, data }], N: Math.max(r, c), M: Math.min(r, c), rf: 1 };
  }
  if (shape.length !== 4) return null;
  const [a, b, c, d] = shape;
  const mats: Matrix64[] = [];
  if (a + b >= c + d) {
    for (let i = 0; i < c; i++) for (let j = 0; j < d; j++) {
      const m = new Float64Array(a * b);
      for (let p = 0; p < a; p++) for (let q = 0; q < b; q++) m[p * b + q] = data[((p * b + q) * c + i) * d + j];
      mats.push({ rows: a, cols: b, data: m });
    }
    return { mats, N: Math.max(a, b), M: Math.min(a, b), rf: c * d };
  }
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) {
    mats.push({ rows: c, cols: d, data: data.slice((i * b + j) * c * d, (i * b + j + 1) * c * d) });
  }
  return { mats, N: Math.max(c, d), M: Math.min(c, d), rf: a * b };
}

/**
 * Multiply every matrix by `c` in place. The report scales conv kernels by √½ as WeightWatcher's
 * `apply_normalize_Wmats` does with its default `conv2d_norm=True` (`norm = np.sqrt(conv2d_count/2.0)`,
 * conv2d_count = 1 without slicing), which halves every eigenvalue.
 */
export function scaleMatrices(mats: readonly Matrix64[], c: number): void {
  for (const m of mats) for (let i = 0; i < m.data.length; i++) m.data[i] *= c;
}

/** Squared singular values of every matrix (min(rows, cols) each), pooled and sorted ascending — WeightWatcher's `combined_eigenvalues`. */
export function combinedEigenvalues(mats: readonly Matrix64[]): Float64Array {
  const all: number[] = [];
  for (const m of mats) for (const s of svd(m).s) all.push(s * s);
  return Float64Array.from(all).sort();
}

/** A copy of each matrix with its elements shuffled (Fisher–Yates) — WeightWatcher's `random_eigenvalues` randomization. */
export function permuteElements(mats: readonly Matrix64[], rng: Rng): Matrix64[] {
  return mats.map((m) => {
    const d = Float64Array.from(m.data);
    for (let i = d.length - 1; i > 0; i--) { const j = rng.int(i + 1); const t = d[i]; d[i] = d[j]; d[j] = t; }
    return { rows: m.rows, cols: m.cols, data: d };
  });
}

/**
 * Jensen–Shannon distance between two equally long sorted eigenvalue vectors, each normalised to
 * sum 1 and compared element by element (natural log) — WeightWatcher's `jensen_shannon_distance`
 * (RMT_Util.py) applied to `evals` and `rand_evals` as `apply_random_esd` does.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const n = Math.min(p.length, q.length);
  let sp = 0, sq = 0;
  for (let i = 0; i < n; i++) { sp += p[i]; sq += q[i]; }
  let kp = 0, kq = 0;
  for (let i = 0; i < n; i++) {
    const a = p[i] / sp, b = q[i] / sq, m = (a + b) / 2;
    if (a > 0) kp += a * Math.log(a / m);
    if (b > 0) kq += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, (kp + kq) / 2));
}

export interface MpFit {
  /** Fitted σ of the bulk, on the rescaled ESD (mean eigenvalue 1). */
  sigma: number;
  /** Bulk edges in the units of the original eigenvalues. */
  bulkMin: number;
  bulkMax: number;
  /** Eigenvalues above the bulk edge plus its Tracy–Widom allowance. */
  spikes: number;
  /** MP soft rank: bulk edge / λ_max. */
  softRank: number;
}

/** Marchenko–Pastur density as RMT_Util.marchenko_pastur_fun: 1/(2πσ²x/Q)·√((b−x)(x−a)), 0 outside [a, b]. */
function mpDensityQ(x: number, Q: number, sigma: number): number {
  const b = (sigma * (1 + Math.sqrt(1 / Q))) ** 2, a = (sigma * (1 - Math.sqrt(1 / Q))) ** 2;
  if (x <= a || x >= b) return 0;
  return Math.sqrt((b - x) * (x - a)) / (2 * Math.PI * sigma * sigma * x / Q);
}

/**
 * Fit a Marchenko–Pastur bulk as WeightWatcher's `mp_fit` / `fit_density_with_range`: rescale
 * the eigenvalues to mean 1; estimate their density by a linear-kernel KDE (bandwidth 0.1) on
 * 1000 points of [0, λ_max + 0.5], keep points where it exceeds 0.01; choose σ on the grid
 * (0.05…2)·σ₀ in steps of 0.01·σ₀, σ₀ = √(λ_max)/(1 + 1/√Q), minimising Σ(MP − KDE)² (a σ
 * whose edge b lies beyond the grid or below the KDE's peak, or whose a lies above the peak,
 * costs 1000 per point); spikes are eigenvalues above b + √(Q^(−1/2) b^(2/3) M^(−2/3)).
 * Differences from WeightWatcher: no Nelder–Mead polish after the grid search, and Q = 1 uses
 * the same MP law instead of the quarter-circle law on singular values.
 */
export function fitMarchenkoPastur(evals: ArrayLike<number>, N: number, M: number): MpFit {
  const n = evals.length, Q = N / M;
  let sum = 0, lmaxRaw = 0;
  for (let i = 0; i < n; i++) { sum += evals[i]; lmaxRaw = Math.max(lmaxRaw, evals[i]); }
  const scale = n / sum, x = Array.from(evals, (v) => v * scale), lmax = lmaxRaw * scale;
  const G = 1000, bw = 0.1, grid: number[] = [], kde: number[] = [];
  for (let g = 0; g < G; g++) {
    const t = ((lmax + 0.5) * g) / (G - 1);
    let dens = 0;
    for (const v of x) { const u = Math.abs(t - v); if (u < bw) dens += 1 - u / bw; }
    dens /= n * bw;
    if (dens > 0.01) { grid.push(t); kde.push(dens); }
  }
  let peakX = grid[0] ?? 0, peak = -Infinity;
  kde.forEach((k, i) => { if (k > peak) { peak = k; peakX = grid[i]; } });
  const gridMax = grid.length ? grid[grid.length - 1] : 0;
  const resid = (s: number): number => {
    const b = (s * (1 + Math.sqrt(1 / Q))) ** 2, a = (s * (1 - Math.sqrt(1 / Q))) ** 2;
    if (b < peakX || b > gridMax || a > peakX) return 1000 * 1000 * grid.length;
    let r = 0;
    for (let i = 0; i < grid.length; i++) { const d = mpDensityQ(grid[i], Q, s) - kde[i]; r += d * d; }
    return r;
  };
  const s0 = Math.sqrt(lmax) / (1 + 1 / Math.sqrt(Q));
  let sigma = s0, best = Infinity;
  for (let k = 5; k < 200; k++) { const s = k * 0.01 * s0, r = resid(s); if (r < best) { best = r; sigma = s; } }
  const bulkMax = (sigma * (1 + 1 / Math.sqrt(Q))) ** 2, bulkMin = (sigma * (1 - 1 / Math.sqrt(Q))) ** 2;
  const tw = (1 / Math.sqrt(Q)) * bulkMax ** (2 / 3) * M ** (-2 / 3);
  const edge = bulkMax + Math.sqrt(tw);
  const spikes = x.filter((v) => v > edge).length;
  return { sigma, bulkMin: bulkMin / scale, bulkMax: bulkMax / scale, spikes, softRank: bulkMax / lmax };
}

export interface LayerOptions {
  ks: KsConvention;
  minTail: number;
  evalsThresh: number;
  /** Fit flagged unreliable below this tail size … */
  reliableTail: number;
  /** … or above this KS distance. */
  reliableKs: number;
  randomize: boolean;
}

/** One row of the report; the keys are the columns of layers.csv / layers.json. */
export interface LayerRow {
  name: string;
  shape: string;
  N: number;
  M: number;
  slices: number;
  num_evals: number;
  alpha: number;
  xmin: number;
  xmax: number;
  tail: number;
  ks: number;
  sigma_alpha: number;
  alpha_weighted: number;
  log_norm: number;
  log_spectral_norm: number;
  log_alpha_norm: number;
  stable_rank: number;
  mp_sigma: number;
  mp_bulk_max: number;
  mp_softrank: number;
  num_spikes: number;
  rand_distance: number;
  rand_lambda_max: number;
  warning: string;
}

export interface LayerResult {
  row: LayerRow;
  evals: Float64Array;
  randEvals: Float64Array | null;
  fit: PowerLawFit;
}

/**
 * Analyse one layer's matrices. Norm metrics follow `apply_norm_metrics` (weightwatcher.py) on all
 * eigenvalues: log_norm = log₁₀ Σλ (= log₁₀‖W‖_F²), log_spectral_norm = log₁₀ λ_max,
 * alpha_weighted = α·log₁₀ λ_max, log_alpha_norm = log₁₀ Σλ^α, stable_rank = Σλ / λ_max.
 * Warnings as `fit_powerlaw`: α < 2 over-trained, α > 6 under-trained; plus "fit unreliable".
 */
export function analyzeLayer(name: string, shape: readonly number[], lm: LayerMatrices, o: LayerOptions, rng: Rng): LayerResult {
  const evals = combinedEigenvalues(lm.mats);
  const fit = fitPowerLaw(evals, { ks: o.ks, minTail: o.minTail, thresh: o.evalsThresh });
  let sum = 0, lmax = 0, alphaNorm = 0;
  for (const v of evals) { sum += v; lmax = Math.max(lmax, v); alphaNorm += v ** fit.alpha; }
  const mp = fitMarchenkoPastur(evals, lm.N, lm.M);
  let randEvals: Float64Array | null = null, randDistance = NaN, randMax = NaN;
  if (o.randomize) {
    randEvals = combinedEigenvalues(permuteElements(lm.mats, rng));
    randDistance = jensenShannonDistance(evals, randEvals);
    randMax = randEvals[randEvals.length - 1];
  }
  const warnings: string[] = [];
  if (fit.alpha < 2) warnings.push('over-trained');
  else if (fit.alpha > 6) warnings.push('under-trained');
  if (!(fit.tail >= o.reliableTail) || !(fit.ks <= o.reliableKs)) warnings.push('fit unreliable');
  const row: LayerRow = {
    name, shape: shape.join('x'), N: lm.N, M: lm.M, slices: lm.rf, num_evals: evals.length,
    alpha: fit.alpha, xmin: fit.xmin, xmax: fit.xmax, tail: fit.tail, ks: fit.ks, sigma_alpha: fit.sigma,
    alpha_weighted: fit.alpha * Math.log10(lmax), log_norm: Math.log10(sum), log_spectral_norm: Math.log10(lmax),
    log_alpha_norm: Math.log10(alphaNorm), stable_rank: sum / lmax,
    mp_sigma: mp.sigma, mp_bulk_max: mp.bulkMax, mp_softrank: mp.softRank, num_spikes: mp.spikes,
    rand_distance: randDistance, rand_lambda_max: randMax, warning: warnings.join('; '),
  };
  return { row, evals, randEvals, fit };
}

/** Log-binned density of the positive values: [bin centre (geometric), density] pairs with counts > 0. */
function logDensity(values: ArrayLike<number>, bins: number, lo: number, hi: number, total: number): [number, number][] {
  const out: [number, number][] = [];
  const l0 = Math.log10(lo), l1 = Math.log10(hi), w = (l1 - l0) / bins || 1;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v > 0)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((Math.log10(v) - l0) / w)))]++;
  }
  counts.forEach((c, k) => {
    if (c === 0) return;
    const a = 10 ** (l0 + k * w), b = 10 ** (l0 + (k + 1) * w);
    out.push([Math.sqrt(a * b), c / (total * (b - a))]);
  });
  return out;
}

/**
 * The layer's figure: log-log densities of its ESD and of the randomized matrix's ESD (log bins,
 * eigenvalues above the fit threshold), the fitted power law (α−1)/x_min·(λ/x_min)^(−α) scaled by
 * the tail's share of the ESD, drawn from x_min to λ_max, and x_min as a vertical line.
 */
export function esdFigure(res: LayerResult, thresh: number): string {
  const { row, evals, randEvals, fit } = res;
  const pos = Array.from(evals).filter((v) => v > thresh);
  const all = randEvals ? [...pos, ...Array.from(randEvals).filter((v) => v > thresh)] : pos;
  const series: Series[] = [];
  if (pos.length) {
    const lo = Math.min(...all), hi = Math.max(...all) * (1 + 1e-12);
    const bins = Math.max(10, Math.min(60, Math.round(Math.sqrt(pos.length) * 2)));
    series.push({ label: `ESD of W (${pos.length} eigenvalues)`, points: logDensity(pos, bins, lo, hi, pos.length), dots: true });
    if (randEvals) series.push({ label: 'ESD of W randomized (elements permuted)', points: logDensity(randEvals.filter((v) => v > thresh), bins, lo, hi, pos.length), dots: true });
    if (Number.isFinite(fit.alpha)) {
      const share = fit.tail / pos.length, pts: [number, number][] = [];
      for (let k = 0; k <= 40; k++) {
        const x = fit.xmin * (fit.xmax / fit.xmin) ** (k / 40);
        pts.push([x, share * ((fit.alpha - 1) / fit.xmin) * (x / fit.xmin) ** -fit.alpha]);
      }
      series.push({ label: `power law α=${fit.alpha.toFixed(2)} (tail ${fit.tail}, KS ${fit.ks.toFixed(3)})`, points: pts });
      const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => y > 0);
      series.push({ label: `x_min = ${fit.xmin.toPrecision(3)}`, points: [[fit.xmin, Math.min(...ys)], [fit.xmin, Math.max(...ys)]] });
    }
  }
  return linePlot({ title: `${row.name} [${row.shape}] ESD, log-log`, series, xLabel: 'eigenvalue λ of WᵀW', yLabel: 'density', logX: true, logY: true });
}

const COLUMNS: (keyof LayerRow)[] = ['name', 'shape', 'N', 'M', 'slices', 'num_evals', 'alpha', 'xmin', 'xmax', 'tail', 'ks', 'sigma_alpha', 'alpha_weighted', 'log_norm', 'log_spectral_norm', 'log_alpha_norm', 'stable_rank', 'mp_sigma', 'mp_bulk_max', 'mp_softrank', 'num_spikes', 'rand_distance', 'rand_lambda_max', 'warning'];

/** layers.csv: one header line, one line per layer; numbers at full precision, strings quoted when needed. */
export function rowsToCsv(rows: readonly LayerRow[]): string {
  const cell = (v: string | number): string => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

/** The readable console table: a few columns, fixed widths. */
export function rowsToTable(rows: readonly LayerRow[]): string[] {
  const cols: [keyof LayerRow, string, (v: number | string) => string][] = [
    ['name', 'layer', String], ['shape', 'shape', String],
    ['alpha', 'alpha', (v) => (v as number).toFixed(2)], ['xmin', 'xmin', (v) => (v as number).toPrecision(3)],
    ['tail', 'tail', String], ['ks', 'KS', (v) => (v as number).toFixed(3)], ['alpha_weighted', 'a_w', (v) => (v as number).toFixed(2)],
    ['log_norm', 'logF', (v) => (v as number).toFixed(2)], ['log_spectral_norm', 'logS', (v) => (v as number).toFixed(2)],
    ['stable_rank', 'srank', (v) => (v as number).toFixed(1)], ['mp_softrank', 'mpsr', (v) => (v as number).toFixed(2)],
    ['num_spikes', 'spikes', String], ['rand_distance', 'rand', (v) => (v as number).toFixed(3)], ['warning', 'warning', String],
  ];
  const cells = rows.map((r) => cols.map(([k, , f]) => f(r[k])));
  const width = cols.map(([, h], i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]): string => c.map((v, i) => (i < 2 || i === c.length - 1 ? v.padEnd(width[i]) : v.padStart(width[i]))).join('  ').trimEnd();
  return [line(cols.map(([, h]) => h)), ...cells.map(line)];
}
