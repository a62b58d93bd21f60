/** Shared by the fault-injection suite: the in-process CLI, graph files, and what a run left on disk. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../../src/cli/main.ts';

export const FIXTURES = new URL('./fixtures.ts', import.meta.url).pathname;
export const NODES = ['--nodes', FIXTURES];
export const BIN = new URL('../../bin/eigenflow.js', import.meta.url).pathname;

export const tmp = (): string => mkdtempSync(join(tmpdir(), 'ef-fault-'));

export interface CliResult { code: number; out: string; err: string }

/** Run `eigenflow ...argv` in this process; `signals` lets a test deliver SIGINT/SIGTERM/SIGHUP. */
export async function cli(argv: string[], opts: { signals?: EventEmitter; sinkTimeoutMs?: number; onErr?: (text: string) => void } = {}): Promise<CliResult> {
  let out = '', err = '';
  const code = await main(argv, {
    out: (t) => { out += t; },
    err: (t) => { err += t; opts.onErr?.(t); },
    isTTY: false,
    signals: opts.signals ?? new EventEmitter(),
    sinkTimeoutMs: opts.sinkTimeoutMs,
  });
  return { code, out, err };
}

/** Write a graph (an object, or raw text) to a fresh file; returns its path. */
export function graphFile(graph: unknown, dir = tmp()): string {
  const f = join(dir, 'graph.json');
  writeFileSync(f, typeof graph === 'string' ? graph : JSON.stringify(graph));
  return f;
}

/** A small valid graph: a counter with a lifted doubler and a loss plot. */
export function counterGraph(steps = 20, extra: Record<string, unknown> = {}): Record<string, any> {
  return {
    name: 'faults',
    params: { steps },
    nodes: {
      train: { type: 'ft.count', params: { steps: '$steps', ...extra } },
      probe: { type: 'ft.double', inputs: { x: 'train.s' }, every: 5 },
    },
    plots: [{ title: 'Loss', y: ['train.loss'], logY: true }],
  };
}

export interface RunDir { manifest: any; lines: any[]; files: string[] }

/**
 * What a run left in `dir`: the manifest (parsed), every JSONL line (each must parse and end in
 * a newline) and the file list. Asserts no lock file is left behind unless `lockExpected`.
 */
export function readRun(dir: string, lockExpected = false): RunDir {
  const files = readdirSync(dir).sort();
  assert.equal(files.includes('eigenflow.lock'), lockExpected, `lock file ${lockExpected ? 'missing' : 'left behind'} in ${dir}`);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const lines: any[] = [];
  if (existsSync(join(dir, 'metrics.jsonl'))) {
    const text = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
    assert.ok(text === '' || text.endsWith('\n'), 'metrics.jsonl ends in a partial line');
    for (const l of text.split('\n').slice(0, -1)) lines.push(JSON.parse(l));
  }
  return { manifest, lines, files };
}

/**
 * Every entry under `root` except those under `own` (the run or sweep directory a command may
 * write): type, size, mode and content hash, so `assertUnchanged` catches anything read-write
 * outside it — a moved directory, a written file, a created one. Special files are not opened.
 */
export function snapshot(root: string, own: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (own.some((o) => p === o || p.startsWith(`${o}/`))) continue;
      const st = lstatSync(p);
      const rel = relative(root, p);
      if (st.isDirectory()) { out.set(rel, `dir ${st.mode}`); walk(p); } else if (st.isFile()) out.set(rel, `file ${st.size} ${st.mode} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
      else out.set(rel, `special ${st.mode} ${st.rdev}`);
    }
  };
  walk(root);
  return out;
}

export function assertUnchanged(before: Map<string, string>, after: Map<string, string>, what = 'outside the run or sweep directory'): void {
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
  assert.deepEqual(changed, [], `changed ${what}: ${changed.join(', ')}`);
}

/** The error output is whole lines, one `eigenflow: …` message, no stack trace. */
export function assertCleanError(err: string): void {
  assert.ok(err === '' || err.endsWith('\n'), `stderr ends mid-line: ${JSON.stringify(err.slice(-80))}`);
  assert.doesNotMatch(err, /\n\s+at .+:\d+:\d+/, 'stderr holds a stack trace');
}
