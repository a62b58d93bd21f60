/**
 * The benchmark index: `npm run bench` lists every benchmark in bench/ with the first line of its
 * description; `npm run bench -- NAME [ARGS…]` runs bench/NAME.ts with ARGS (each benchmark
 * measures its peer in the same run and prints ratios); `npm run bench -- all` runs each one
 * with its defaults, one after another.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const benches = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.includes('Internals')).map((f) => f.slice(0, -3)).sort();

/** The first sentence of a benchmark's doc comment. */
function summary(name: string): string {
  const text = readFileSync(`${dir}${name}.ts`, 'utf8');
  const doc = /\/\*\*\s*\n\s*\*\s*(.+)/.exec(text);
  return doc ? doc[1]!.trim() : '';
}

function run(name: string, args: string[]): number {
  process.stdout.write(`\n== bench/${name}.ts ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`, ...args], { stdio: 'inherit' });
  return r.status ?? 1;
}

const [name, ...args] = process.argv.slice(2);
if (!name) {
  process.stdout.write('Benchmarks (npm run bench -- NAME [ARGS…], or all):\n');
  for (const b of benches) process.stdout.write(`  ${b.padEnd(16)} ${summary(b)}\n`);
} else if (name === 'all') {
  const failed = benches.filter((b) => run(b, []) !== 0);
  if (failed.length) { process.stderr.write(`failed: ${failed.join(', ')}\n`); process.exitCode = 1; }
} else if (!benches.includes(name)) {
  process.stderr.write(`no benchmark '${name}' (have: ${benches.join(', ')})\n`);
  process.exitCode = 2;
} else {
  process.exitCode = run(name, args);
}
