#!/usr/bin/env node
/**
 * Bundle the browser app (src/ui/main.ts, with uPlot and its stylesheet) into one script with
 * esbuild. `npm run build` writes it to dist/ui/app.js, which the packed package ships; a source
 * checkout's server bundles the current sources in memory through `bundleApp()` instead.
 *
 *   node scripts/buildUi.mjs        write dist/ui/app.js
 */
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const APP_BUNDLE = join(root, 'dist', 'ui', 'app.js');

/** The app as one minified IIFE script. */
export async function bundleApp() {
  const r = await build({
    entryPoints: [join(root, 'src', 'ui', 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    loader: { '.css': 'text' },
    logLevel: 'silent',
  });
  return r.outputFiles[0].text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(APP_BUNDLE), { recursive: true });
  writeFileSync(APP_BUNDLE, await bundleApp());
  console.log(`wrote ${APP_BUNDLE}`);
}
