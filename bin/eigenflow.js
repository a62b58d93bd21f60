#!/usr/bin/env node
// eigenflow's command line.
//
// An installed package runs its compiled JavaScript (dist/) with plain node. A source checkout
// (src/ present, tsx installed as a dev dependency) runs the TypeScript sources instead, so the
// command always matches the code being edited and no rebuild is needed during development.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
let main;
if (existsSync(sources) && process.env.EIGENFLOW_USE_DIST !== '1' && (await canRegisterTsx())) {
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import(new URL('../dist/src/cli/main.js', import.meta.url).href));
}
process.exitCode = await main(process.argv.slice(2));

async function canRegisterTsx() {
  try {
    const { register } = await import('tsx/esm/api');
    register();
    return true;
  } catch {
    return false;
  }
}
