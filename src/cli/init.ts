/**
 * `eigenflow init DIR`: a starter project from templates/init — package.json depending on this
 * eigenflow, tsconfig.json, one custom node (src/nodes.ts), one graph using it (graphs/demo.json)
 * and a test of the node with `runNode` — whose `npm install && npm test` passes as written.
 * DIR must be new or empty; nothing is written otherwise.
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { packageRoot } from '../paths.ts';
import { UsageError, type Parsed } from './args.ts';
import type { CliIo } from './io.ts';

const TEMPLATE = join(packageRoot, 'templates', 'init');

/** npm's package-name rule, applied to a directory name: lower case, URL-safe characters. */
const packageName = (dir: string): string => basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9._~-]+/g, '-').replace(/^[._-]+/, '') || 'eigenflow-study';

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)];
  });
}

export function initCommand(p: Parsed, io: CliIo): number {
  if (p.positional.length !== 1) throw new UsageError(`eigenflow init takes one directory, got ${p.positional.length ? p.positional.join(' ') : 'none'}`);
  const dir = p.positional[0]!;
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new UsageError(`eigenflow init: ${dir} ${statSync(dir).isDirectory() ? 'is not empty' : 'is a file'}; give a new or empty directory (nothing was written)`);
  }
  const { version } = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  cpSync(TEMPLATE, dir, { recursive: true });
  // npm never packs a file named .gitignore, so the template holds it as `gitignore`.
  renameSync(join(dir, 'gitignore'), join(dir, '.gitignore'));
  const pkg = join(dir, 'package.json');
  writeFileSync(pkg, readFileSync(pkg, 'utf8').replace('{{name}}', packageName(dir)).replace('{{version}}', version));
  io.out(`wrote ${listFiles(dir).map((f) => join(dir, f)).join(', ')}\n\nnext:\n  cd ${dir}\n  npm install\n  npm test          # type-checks, then tests src/nodes.ts with runNode\n  npm run demo      # runs graphs/demo.json with the node of src/nodes.ts\n`);
  return 0;
}
