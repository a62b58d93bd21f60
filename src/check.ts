/**
 * One format for the run-time argument errors a node throws:
 * `<node type>: <field> must <rule> but got <value>`, e.g.
 * `spectral.eigenvalues: x must be square but got 3×4`.
 *
 * ```ts
 * if (a.rows !== a.cols) throw argError(ctx.type, 'x', 'be square', `${a.rows}×${a.cols}`);
 * requireArg(data.n === n, ctx.type, 'data', `have the model's n = ${n} features`, `n = ${data.n}`);
 * ```
 */

/** The error, for `throw argError(...)`. `got` is shown as is when a string, else JSON. */
export function argError(type: string, field: string, must: string, got: unknown): Error {
  return new Error(`${type}: ${field} must ${must} but got ${showValue(got)}`);
}

/** Throws `argError(type, field, must, got)` unless `ok`. `got` may be a function, evaluated only on failure. */
export function requireArg(ok: boolean, type: string, field: string, must: string, got: unknown): asserts ok {
  if (!ok) throw argError(type, field, must, typeof got === 'function' ? (got as () => unknown)() : got);
}

/** A short description of a value for an error message. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'undefined';
  try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
}
