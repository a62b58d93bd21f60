/** Running the CLI on the sweep fixture graph (test/sweep/fixtures). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = new URL('../../bin/eigenflow.js', import.meta.url).pathname;
export const GRAPH = new URL('./fixtures/noisy.json', import.meta.url).pathname;
export const NODES = ['--nodes', new URL('./fixtures/nodes.ts', import.meta.url).pathname];

export function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'ef-sweep-'));
export const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every event of a run's metrics.jsonl, parsed (so a torn or invalid line fails the test). */
export const events = (runDir: string): { node: string; name: string; step: number | null; value: number }[] =>
  readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
