/**
 * How eigenflow writes numbers and durations for people: the console, `sweep status`, messages,
 * axis labels (plot/ticks.ts picks the digits that keep one axis's labels distinct) and the
 * browser app all use these, so a value reads the same everywhere. No Node APIs: the browser
 * app bundles this module.
 */

/**
 * A number in `digits` significant digits without trailing zeros: plain decimals for magnitudes
 * in [1e-3, 1e6), else `1.5e-7`. Non-finite values as `NaN`, `Infinity`, `-Infinity`.
 */
export function formatNumber(v: number, digits = 6): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(digits)));
  const [m, e] = v.toExponential(Math.max(0, digits - 1)).split('e');
  const mant = m!.includes('.') ? m!.replace(/\.?0+$/, '') : m!;
  return `${mant}e${Number(e)}`;
}

/** `42s`, `3m05s`, `2h07m` (whole seconds; `0.4s` below ten seconds). */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${Number(s.toFixed(1))}s`;
  const whole = Math.round(s);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/** A rate such as steps per second: whole numbers from 100 up, else two significant digits. */
export const formatRate = (r: number): string => (r >= 100 ? r.toFixed(0) : r.toPrecision(2));

/** Bytes as a short human string: `1.5 GB`. */
export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return String(b);
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let i = 0;
  while (Math.abs(b) >= 1024 && i < units.length - 1) { b /= 1024; i++; }
  return `${Number(b.toPrecision(3))} ${units[i]}`;
}
