/**
 * Import a user's module given on the command line (`--nodes MODULE`). JavaScript loads with
 * plain node; a TypeScript module (`.ts`, `.mts`, `.cts`) needs tsx, which is registered on
 * demand when the user's project has it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = /\.[mc]?ts$/;

export async function importUserModule(path: string): Promise<Record<string, unknown>> {
  if (TYPESCRIPT.test(path)) await registerTypeScript(path);
  return import(pathToFileURL(resolve(path)).href) as Promise<Record<string, unknown>>;
}

async function registerTypeScript(path: string): Promise<void> {
  // Already running under tsx (a source checkout): TypeScript imports work as they are.
  if (process.execArgv.some((a) => a.includes('tsx')) || import.meta.url.endsWith('.ts')) return;
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    throw new Error(`${path} is TypeScript, which needs tsx to load: run \`npm install --save-dev tsx\` in your project, or compile the module to JavaScript`);
  }
}
