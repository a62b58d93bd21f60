/**
 * Where eigenflow's own files are. The same modules run from the TypeScript sources (a source
 * checkout: `src/…`) and compiled (an installed package: `dist/src/…`), so paths to the package
 * root are found by walking up to eigenflow's package.json, not by counting `../`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'eigenflow') return dir;
    if (dirname(dir) === dir) throw new Error(`eigenflow: cannot find eigenflow's package.json above ${from}`);
  }
}

/** The directory holding eigenflow's package.json. */
export const packageRoot: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The command-line entry point, for spawning child runs (`sweep`). */
export const binPath: string = join(packageRoot, 'bin', 'eigenflow.js');
