/** Numbers as the server sends them (protocol.ts): non-finite values arrive as strings. */
import type { Wire } from '../serve/protocol.ts';

export const num = (v: Wire | undefined): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN);

/** A value that can be drawn on this axis, else null (a gap). */
export const drawableOrNull = (v: Wire | undefined, log: boolean): number | null => {
  const x = num(v);
  return Number.isFinite(x) && (!log || x > 0) ? x : null;
};
