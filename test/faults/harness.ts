/** Shared by the fault-injection suite: the in-process CLI, graph files, and what a run left on disk. */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
