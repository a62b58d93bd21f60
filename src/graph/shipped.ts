/**
 * The experiments that ship with the package (`graphs/*.json`), found by name: `loadGraph('cis-noise')`
 * and `eigenflow run cis-noise` read `graphs/cis-noise.json` from the installed package when no
 * file of that name exists where they run. `eigenflow graphs` lists them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.ts';

export const shippedGraphDir: string = join(packageRoot, 'graphs');

export interface ShippedGraph {
  name: string;
  /** Absolute path of its JSON file. */
  file: string;
  /** The graph's `description`, or ''. */
  description: string;
}

/** Every shipped graph, by name. */
export function listShippedGraphs(): ShippedGraph[] {
  return readdirSync(shippedGraphDir).filter((f) => f.endsWith('.json')).map((f) => {
    const file = join(shippedGraphDir, f);
    const { description } = JSON.parse(readFileSync(file, 'utf8')) as { description?: unknown };
    return { name: f.slice(0, -'.json'.length), file, description: typeof description === 'string' ? description : '' };
  }).sort((a, b) => a.name.localeCompare(b.name));
}

/** A graph argument without a directory part: it may name a shipped graph. */
export const isBareName = (arg: string): boolean => /^[A-Za-z0-9_.-]+$/.test(arg);

/**
 * The file to read for a graph argument: the path itself when it exists (or names a directory,
 * or anything but a bare name), else the shipped graph of that name (`cis-noise` or `cis-noise.json`), else the path
 * (and reading it reports the missing file).
 */
export function resolveGraphFile(arg: string): string {
  if (existsSync(arg) || !isBareName(arg)) return arg;
  const shipped = join(shippedGraphDir, arg.endsWith('.json') ? arg : `${arg}.json`);
  return existsSync(shipped) ? shipped : arg;
}
