/**
 * The package's module graph (its .ts and plain .js modules): src/ imports nothing of eigenflow, nor tfjs (only Node built-ins and
 * the optional koffi besides its own files), and no module imports itself through others (a cycle,
 * type-only imports included, makes the load order matter and the modules impossible to read one
 * at a time).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const files = readdirSync(src).filter((f) => f.endsWith('.ts') || f.endsWith('.js'));
/** The file an import of './x.js' means: x.js itself, or the TypeScript x.ts (x.js once compiled). */
const target = (s: string): string => { const f = s.slice(2); return files.includes(f) ? f : f.replace(/\.js$/, '.ts'); };
/** Every module specifier a file imports or re-exports (static imports, `export … from`). */
const specifiers = (file: string): string[] =>
  [...readFileSync(src + file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom '([^']+)';/gms)].map((m) => m[1]!);

it('should import only its own modules, Node built-ins and koffi', () => {
  for (const f of files) for (const s of specifiers(f)) {
    assert.ok(s.startsWith('./') || s.startsWith('node:') || s === 'koffi', `${f} imports '${s}'`);
  }
  // koffi is loaded lazily (createRequire) so the package runs without it
  assert.ok(files.every((f) => !specifiers(f).includes('koffi')));
});

it('should have no import cycles', () => {
  const edges = new Map(files.map((f) => [f, specifiers(f).filter((s) => s.startsWith('./')).map(target)]));
  for (const [f, to] of edges) for (const t of to) assert.ok(edges.has(t), `${f} imports ./${t}, which does not exist`);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return;
    assert.notEqual(state.get(f), 'open', `import cycle: ${[...path.slice(path.indexOf(f)), f].join(' → ')}`);
    state.set(f, 'open');
    for (const t of edges.get(f)!) visit(t, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
});
