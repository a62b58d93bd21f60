#!/usr/bin/env node
// The test suite in layers. `npm test` runs everything; `npm run test:unit` the fast layer
// (< 60 s: nodes, engine, plots, the workspace packages' unit tests); `npm run test:e2e` the
// end-to-end layer: spawned CLI runs, signals, sweeps (local and Slurm), the packed package
// installed outside the repo, the viewer in a headless browser, examples, the packages' large sizes.
//
// Specs live in test/, examples/ and packages/*/test/. A spec is end-to-end when its path has an
// `e2e` folder or its name ends in `.e2e.spec.ts`; examples/*.spec.ts are end-to-end too. Extra
// arguments go to `node --test`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [layer = 'all', ...rest] = process.argv.slice(2);
if (!['all', 'unit', 'e2e'].includes(layer)) {
  console.error(`usage: node scripts/test.mjs [all|unit|e2e] [node --test options]`);
  process.exit(2);
}

function specs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'fixtures' ? [] : specs(path);
    return name.endsWith('.spec.ts') ? [path] : [];
  });
}

const isE2e = (path) => path.startsWith('examples/') || path.split('/').includes('e2e') || path.endsWith('.e2e.spec.ts');
const packageTests = readdirSync('packages').map((p) => join('packages', p, 'test')).filter((d) => existsSync(d));
const files = [...specs('test'), ...specs('examples'), ...packageTests.flatMap(specs)].sort()
  .filter((f) => layer === 'all' || (layer === 'e2e') === isE2e(f));
// Strict tensors: a node that ends holding tensors it made fails its run (src/run/tensors.ts).
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...rest, ...files], { stdio: 'inherit', env: { ...process.env, EIGENFLOW_STRICT_TENSORS: '1' } });
process.exit(r.status ?? 1);
