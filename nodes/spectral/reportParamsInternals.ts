/** Parameters shared by the per-layer report nodes (spectral.weightsReport, spectral.layerReport). */
import type { ParamValues } from '../../src/node.ts';
import type { KsConvention } from './powerLawInternals.ts';
import type { LayerOptions } from './layerAnalysisInternals.ts';

export const reportParams = {
  ks: { type: 'string', doc: 'KS distance choosing x_min: one-sided max|F(x_j) − j/n| (WeightWatcher, powerlaw 1.5) or two-sided', default: 'one-sided', oneOf: ['one-sided', 'two-sided'] },
  minTail: { type: 'int', doc: 'smallest tail a candidate x_min may leave (WeightWatcher: 2)', default: 2, min: 2 },
  evalsThresh: { type: 'number', doc: 'eigenvalues ≤ this are dropped before fitting (WeightWatcher: 1e-5)', default: 1e-5, min: 0 },
  reliableTail: { type: 'int', doc: 'warn "fit unreliable" when the tail has fewer eigenvalues than this', default: 10, min: 1 },
  reliableKs: { type: 'number', doc: 'warn "fit unreliable" when the KS distance exceeds this', default: 0.1, min: 0 },
  randomize: { type: 'boolean', doc: 'also analyse the element-permuted matrix (randomization test: rand_distance, its ESD in the figure)', default: true },
  figures: { type: 'boolean', doc: 'write the ESD figure (esd/<layer>.svg)', default: true },
} as const;

export function layerOptions(p: ParamValues<typeof reportParams>): LayerOptions {
  return { ks: p.ks as KsConvention, minTail: p.minTail, evalsThresh: p.evalsThresh, reliableTail: p.reliableTail, reliableKs: p.reliableKs, randomize: p.randomize };
}

/** A layer name as it appears in metric names and figure file names: [A-Za-z0-9_.-] only. */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/**
 * Keys for layer names in metric names and file names: `safeName` made unique. A name that is
 * already safe keeps itself; another whose safe form is taken (`a/b` beside `a_b`) gets the first
 * free `_2`, `_3`, … in the order given.
 */
export function uniqueSafeNames(names: readonly string[]): Map<string, string> {
  const taken = new Set(names.filter((n) => safeName(n) === n)), keys = new Map<string, string>();
  for (const name of names) {
    if (keys.has(name)) continue;
    let key = safeName(name);
    if (key !== name) {
      const base = key;
      for (let k = 2; taken.has(key); k++) key = `${base}_${k}`;
      taken.add(key);
    }
    keys.set(name, key);
  }
  return keys;
}
