/**
 * The body of the hostile-input property test, run in a child process so that a hang (an
 * endless tick loop) is caught by the test's time bound instead of freezing the test runner.
 * Prints `{ ok: true, cases }` or `{ ok: false, message }` as JSON; argv: seeds (comma-separated), cases per seed.
 */
import { makeAxis } from '../../src/plot/ticks.ts';
import { heatmap, linePlot, type Series } from '../../src/plot/svg.ts';

const SPECIAL = [0, -0, 1, -1, NaN, Infinity, -Infinity, 1e308, -1e308, 1.7976931348623157e308, -1.7976931348623157e308,
  5e-324, -5e-324, 2.2250738585072014e-308, 1e-308, 1 + Number.EPSILON, 1 - Number.EPSILON / 2, 0.1, 8e-4, 8.4e-4, 1e6, 123456789.123];

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/** A hostile number: a special value, a huge/tiny magnitude of either sign, or a neighbour of a previous value. */
function hostile(r: () => number, prev: number): number {
  const k = r();
  if (k < 0.3) return SPECIAL[Math.floor(r() * SPECIAL.length)]!;
  if (k < 0.5) return (r() < 0.5 ? -1 : 1) * 10 ** (r() * 616 - 308);
  if (k < 0.7 && Number.isFinite(prev) && prev !== 0) { const ulps = Math.floor(r() * 4); let v = prev; for (let i = 0; i < ulps; i++) v += Math.abs(v) * Number.EPSILON; return v; }
  if (k < 0.8) return prev;
  return (r() - 0.3) * 10 ** Math.floor(r() * 12 - 6);
}

function hostileList(r: () => number): number[] {
  const n = [0, 1, 2, 3, 5, 50][Math.floor(r() * 6)]!;
  const out: number[] = [];
  let prev = 1;
  for (let i = 0; i < n; i++) out.push((prev = hostile(r, prev)));
  return out;
}

function check(cond: boolean, what: string, input: unknown): void {
  if (!cond) throw new Error(`${what} for input ${JSON.stringify(input, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`);
}

const seeds = (process.argv[2] ?? '1').split(',').map(Number);
const perSeed = Number(process.argv[3] ?? 100);
let cases = 0;
try {
  for (const seed of seeds) {
    const r = rng(seed);
    for (let c = 0; c < perSeed; c++) {
      const log = r() < 0.5;
      const values = hostileList(r);
      const axis = makeAxis(values, log);
      check(Number.isFinite(axis.lo) && Number.isFinite(axis.hi) && axis.lo < axis.hi, 'axis range not finite and increasing', { values, log });
      check(axis.ticks.length <= 120, 'too many ticks', { values, log });
      const labels = axis.ticks.filter((t) => t.label).map((t) => t.label);
      check(new Set(labels).size === labels.length, `repeated tick labels ${labels.join(' ')}`, { values, log });
      check(axis.ticks.every((t) => Number.isFinite(t.at)), 'non-finite tick position', { values, log });
      const drawableVals = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
      check(axis.empty === (drawableVals.length === 0), 'empty flag wrong', { values, log });
      for (const v of drawableVals) { const f = axis.frac(v); check(f >= 0 && f <= 1, `value ${v} outside its own axis (frac ${f})`, { values, log }); }

      const series: Series[] = [];
      const nSeries = Math.floor(r() * 3);
      for (let s = 0; s < nSeries; s++) {
        const ys = hostileList(r);
        const xs = r() < 0.5 ? ys.map((_, i) => i) : hostileList(r);
        const pts = ys.map((y, i) => [xs[i] ?? i, y] as [number, number]);
        const kind = r();
        series.push(kind < 0.15 ? { label: `h${s}`, points: [], hline: hostile(r, 1) }
          : { label: `s${s}`, points: pts, stem: kind > 0.85, dots: kind > 0.7, band: kind > 0.6 ? pts.map(([x, y]) => [x, y - Math.abs(y), y * 2] as [number, number, number]) : undefined });
      }
      const logX = r() < 0.4, logY = r() < 0.5;
      const svg = linePlot({ title: 't', series, logX, logY });
      check(!/NaN|Infinity/.test(svg), 'NaN or Infinity in the SVG', { series, logX, logY });
      const hm = heatmap({ title: 'h', values, cols: r() < 0.3 ? 1 + Math.floor(r() * 4) : undefined });
      check(!/NaN|Infinity/.test(hm), 'NaN or Infinity in the heatmap SVG', { values });
      cases++;
    }
  }
  console.log(JSON.stringify({ ok: true, cases }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, message: (e as Error).message, cases }));
}
