/**
 * How eigenflow writes numbers and durations for people: the console, `sweep status`, messages
 * and the browser app all use these, so a value reads the same everywhere. (Axis tick labels
 * follow their own rule, in plot/ticks.ts: labels on one axis must differ from each other.)
 */

/** `digits` significant digits; exponential notation outside [1e-3, 1e4). Non-finite values as `NaN`, `Infinity`. */
export function formatNumber(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(digits - 2) : String(Number(v.toPrecision(digits)));
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
