/**
 * Reading a finished (or interrupted) run's `metrics.jsonl` back: one number per scalar metric,
 * reduced over steps as the sweep asks. A torn last line (a run killed mid-write) is skipped and
 * counted, not fatal; a malformed line elsewhere is counted the same way.
 */
import { existsSync, readFileSync } from 'node:fs';
import { UsageError } from '../cli/args.ts';

/** How a stepped metric becomes one number: its last value, its minimum, or the mean of its last K values. */
export type Reduction = { kind: 'last' } | { kind: 'min' } | { kind: 'mean-of-last'; k: number };

export function parseReduction(text: string): Reduction {
  if (text === 'last' || text === 'min') return { kind: text };
  const m = /^mean-of-last-(\d+)$/.exec(text);
  if (m && Number(m[1]) >= 1) return { kind: 'mean-of-last', k: Number(m[1]) };
  throw new UsageError(`--summary ${text}: expected last, min or mean-of-last-K with K ≥ 1 (e.g. mean-of-last-10)`);
}

export const reductionName = (r: Reduction): string => (r.kind === 'mean-of-last' ? `mean-of-last-${r.k}` : r.kind);

export interface RunMetrics {
  /** `node.name` → the reduced value (one-off metrics: their value). */
  values: Record<string, number>;
  /** Lines that did not parse (a torn last line after a kill). */
  skippedLines: number;
}

interface Event { node: string; name: string; step: number | null; value: unknown }

export function readRunMetrics(file: string, reduction: Reduction): RunMetrics {
  if (!existsSync(file)) return { values: {}, skippedLines: 0 };
  const stepped = new Map<string, number[]>();
  const once = new Map<string, number>();
  let skippedLines = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    let e: Event;
    try {
      e = JSON.parse(line) as Event;
    } catch {
      skippedLines++;
      continue;
    }
    if (typeof e.value !== 'number' || typeof e.node !== 'string' || typeof e.name !== 'string') continue;
    const ref = `${e.node}.${e.name}`;
    if (e.step === null || e.step === undefined) once.set(ref, e.value);
    else {
      const list = stepped.get(ref);
      if (list) list.push(e.value); else stepped.set(ref, [e.value]);
    }
  }
  const values: Record<string, number> = {};
  for (const [ref, xs] of stepped) values[ref] = reduce(xs, reduction);
  for (const [ref, x] of once) values[ref] = x;
  return { values, skippedLines };
}

function reduce(xs: number[], r: Reduction): number {
  if (r.kind === 'last') return xs[xs.length - 1]!;
  if (r.kind === 'min') return xs.reduce((a, b) => Math.min(a, b), Infinity);
  const tail = xs.slice(-r.k);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}
