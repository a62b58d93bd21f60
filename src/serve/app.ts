/**
 * The browser app as the server hands it out: a page that loads `app.js`, and `app.js` itself —
 * the bundle `npm run build` wrote to dist/ui/app.js (an installed package), or, in a source
 * checkout, the current src/ui bundled in memory by the same script (scripts/buildUi.mjs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../paths.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function appPage(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} — eigenflow</title></head>
<body><script src="app.js"></script></body></html>
`;
}

export async function appScript(): Promise<string> {
  const built = join(packageRoot, 'dist', 'ui', 'app.js');
  const sources = join(packageRoot, 'src', 'ui', 'main.ts');
  const script = join(packageRoot, 'scripts', 'buildUi.mjs');
  if (existsSync(sources) && existsSync(script)) {
    const { bundleApp } = (await import(pathToFileURL(script).href)) as { bundleApp(): Promise<string> };
    return bundleApp();
  }
  if (!existsSync(built)) throw new Error(`eigenflow: the browser app ${built} is missing; reinstall eigenflow (or run npm run build)`);
  return readFileSync(built, 'utf8');
}
