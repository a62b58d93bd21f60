/**
 * Runtime faults: nodes that throw or diverge, signals at several moments, sinks that throw, hang
 * or tamper, file writes that fail (an injected writer, and a real full tmpfs when we may mount
 * one), hostile plot data, and races for one --out. Each case checks the exit code or status, the
 * message, and what is on disk: the manifest's final status and that every JSONL line parses.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { defaultSinks, graph, registerNodes, runGraph, unregisterNode, type MetricEvent, type Sink } from '../../src/index.ts';
import { csvSink, jsonlSink, type FileIo, nodeFileIo } from '../../src/sinks/jsonl.ts';
import { plotSink, thinKeepingExtremes } from '../../src/sinks/plots.ts';
import { cli, counterGraph, graphFile, NODES, readRun, tmp } from './harness.ts';
import { nodes } from './fixtures.ts';

let runtimeCases = 0;
/** The counter graph with a second plot. */
const g2 = (): Record<string, any> => { const x = counterGraph(20); x.plots.push({ title: 'Twice', y: ['probe.twice'] }); return x; };
const count = (): void => { runtimeCases++; };

describe('runtime faults', () => {
  before(() => registerNodes(nodes.filter((n) => n.type !== 'ft.count' || true)));
  after(() => nodes.forEach((n) => unregisterNode(n.type)));

  describe('nodes that throw or diverge end the run failed/diverged with whole files', () => {
    for (const throwAt of [1, 2, 7, 19]) {
      it(`throw at step ${throwAt}`, async () => {
        count();
        const dir = tmp(), out = join(dir, 'out');
        const r = await cli(['run', graphFile(counterGraph(20, { throwAt }), dir), ...NODES, '--out', out]);
        assert.equal(r.code, 1);
        assert.match(r.err, new RegExp(`run failed: node 'train' \\(ft\\.count\\) failed${throwAt > 1 ? ` after step ${throwAt - 1}` : ''}: boom at step ${throwAt}`));
        const { manifest, lines } = readRun(out);
        assert.equal(manifest.status, 'failed');
        assert.equal(manifest.error.node, 'train');
        assert.equal(lines.filter((l) => l.name === 'loss').length, throwAt - 1);
      });
    }
    for (const nanAt of [1, 5, 20]) {
      it(`loss NaN at step ${nanAt}`, async () => {
        count();
        const dir = tmp(), out = join(dir, 'out');
        const r = await cli(['run', graphFile(counterGraph(20, { nanAt }), dir), ...NODES, '--out', out, '--quiet']);
        assert.equal(r.code, 1);
        assert.match(r.err, new RegExp(`run diverged: train\\.loss became NaN at step ${nanAt}`), '--quiet still says why');
        const { manifest, lines } = readRun(out);
        assert.equal(manifest.status, 'diverged');
        assert.equal(lines.at(-1).value, null);
      });
    }
    it('a value node that throws (alone, and after a generator)', async () => {
      count(); count();
      for (const nodesSpec of [{ f: { type: 'ft.fail' } }, { t: { type: 'ft.count' }, f: { type: 'ft.fail', inputs: { after: 't.total' } } }]) {
        const dir = tmp(), out = join(dir, 'out');
        const r = await cli(['run', graphFile({ name: 'f', params: {}, nodes: nodesSpec }, dir), ...NODES, '--out', out]);
        assert.equal(r.code, 1);
        assert.match(r.err, /node 'f' \(ft\.fail\) failed: deliberate failure/);
        assert.equal(readRun(out).manifest.status, 'failed');
      }
    });
    it('an artifact path that escapes the run directory fails the node; a good one is written', async () => {
      count(); count();
      const dir = tmp(), out = join(dir, 'out');
      const r = await cli(['run', graphFile({ name: 'a', params: {}, nodes: { a: { type: 'ft.artifact', params: { path: '../../x.txt' } } } }, dir), ...NODES, '--out', out]);
      assert.equal(r.code, 1);
      assert.match(r.err, /must stay inside the run directory/);
      assert.equal(readRun(out).manifest.status, 'failed');
      const out2 = join(dir, 'out2');
      assert.equal((await cli(['run', graphFile({ name: 'a', params: {}, nodes: { a: { type: 'ft.artifact', params: { path: 'sub/a.txt' } } } }, dir), ...NODES, '--out', out2])).code, 0);
      assert.equal(readFileSync(join(out2, 'sub', 'a.txt'), 'utf8'), 'hello');
    });
  });

  describe('signals end the run cancelled with the manifest final', () => {
    const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      for (const nth of [1, 3, 7]) {
        it(`${sig} at progress report ${nth} of ~10`, async () => {
          count();
          const dir = tmp(), out = join(dir, 'out');
          const signals = new EventEmitter();
          let sent = false, seen = 0;
          const r = await cli(['run', graphFile(counterGraph(400, { slowMs: 1 }), dir), ...NODES, '--out', out], {
            signals,
            onErr: (t) => { if (/^train \d+\/400/m.test(t) && ++seen === nth) { sent = true; signals.emit(sig); } },
          });
          assert.ok(sent);
          assert.equal(r.code, codes[sig], r.err);
          assert.match(r.err, new RegExp(`${sig}: cancelling`));
          assert.match(r.err, new RegExp(`run cancelled: run cancelled \\(${sig}\\)`));
          const { manifest, lines } = readRun(out);
          assert.equal(manifest.status, 'cancelled');
          assert.ok(lines.length >= 1 && lines.length < 400 + 80, `${lines.length} lines`);
          assert.equal(manifest.events, lines.length, 'every event counted in the manifest is in the JSONL');
        });
      }
    }
    it('a second Ctrl-C during the flush does not skip the manifest', async () => {
      count();
      const dir = tmp(), out = join(dir, 'out');
      const signals = new EventEmitter();
      let sent = 0;
      const r = await cli(['run', graphFile(counterGraph(400, { slowMs: 1 }), dir), ...NODES, '--out', out], {
        signals,
        onErr: (t) => { if (!sent && /^train \d+\/400/m.test(t)) { sent = 1; signals.emit('SIGINT'); signals.emit('SIGINT'); signals.emit('SIGTERM'); } },
      });
      assert.equal(r.code, 130);
      assert.match(r.err, /SIGINT again: still writing the metrics and the manifest/);
      assert.equal(readRun(out).manifest.status, 'cancelled');
    });
    it('a signal during a long synchronous node is honoured when it returns', async () => {
      count();
      const dir = tmp(), out = join(dir, 'out');
      const signals = new EventEmitter();
      const spec = { name: 'b', params: {}, nodes: { t: { type: 'ft.count', params: { steps: 5 } }, b: { type: 'ft.busy', params: { ms: 300 }, inputs: { after: 't.total' } }, c: { type: 'ft.count', params: { steps: 1000000 } } } };
      setTimeout(() => signals.emit('SIGTERM'), 100);
      const r = await cli(['run', graphFile(spec, dir), ...NODES, '--out', out], { signals });
      assert.equal(r.code, 143);
      const { manifest, lines } = readRun(out);
      assert.equal(manifest.status, 'cancelled');
      // The synchronous node ran to its end once; the long counter stopped far from its end.
      assert.equal(lines.filter((l) => l.node === 'b' && l.name === 'done').length, 1);
      assert.ok(lines.filter((l) => l.node === 'c').length < 1000000);
    });
  });

  describe('sinks that throw, hang or tamper are detached and reported; the run completes', () => {
    const spec = () => graph('s', {}).node('train', 'ft.count', { steps: 30 }).build();
    const cases: [string, () => Sink, RegExp][] = [
      ['write throws', () => ({ name: 'x', write: () => { throw new Error('write broke'); } }), /write broke/],
      ['write rejects', () => ({ name: 'x', write: () => Promise.reject(new Error('async broke')) }), /async broke/],
      ['sync write throws', () => ({ name: 'x', mode: 'sync', write: () => { throw new Error('sync broke'); } }), /sync broke/],
      ['close throws', () => ({ name: 'x', write: () => {}, close: () => { throw new Error('close broke'); } }), /close broke/],
      ['progress throws', () => ({ name: 'x', write: () => {}, progress: () => { throw new Error('progress broke'); } }), /progress broke/],
      ['write never settles', () => ({ name: 'x', write: () => new Promise<void>(() => {}) }), /write\(\) did not settle within 150 ms/],
      ['close never settles', () => ({ name: 'x', write: () => {}, close: () => new Promise<void>(() => {}) }), /close\(\) did not settle within 150 ms/],
      ['write throws a non-Error', () => ({ name: 'x', write: () => { throw 'a string'; } }), /a string/],
    ];
    for (const [name, make, why] of cases) {
      it(name, async () => {
        count();
        const out = join(tmp(), 'out');
        const s = spec();
        const reports: string[] = [];
        const r = await runGraph(s, { outDir: out, sinks: [...defaultSinks(out, s), make()], sinkTimeoutMs: 150, report: (l) => reports.push(l) });
        assert.equal(r.status, 'completed');
        assert.match(r.sinks.errors.x!, why);
        assert.match(reports.join('\n'), /sink 'x' failed and was detached/);
        const { manifest, lines } = readRun(out);
        assert.equal(manifest.status, 'completed');
        assert.match(manifest.sinks.errors.x, why);
        assert.equal(lines.length, 30);
      });
    }
    it('a sink cannot change what other sinks or the divergence check see', async () => {
      count();
      const seen: MetricEvent[] = [];
      const tamper: Sink = { name: 'tamper', mode: 'sync', write: (e) => { (e as { value: unknown }).value = NaN; } };
      const s = graph('s', {}).node('train', 'ft.count', { steps: 10 }).node('e', 'ft.emit', { values: [1, 2, 3] }).build();
      const r = await runGraph(s, { sinks: [tamper, (e) => { seen.push(e); }], report: () => {} });
      assert.equal(r.status, 'completed');
      assert.match(r.sinks.errors.tamper!, /read only|read-only|Cannot assign/);
      assert.deepEqual(seen.filter((e) => e.name === 'loss').map((e) => e.value), Array.from({ length: 10 }, (_, i) => 1 / (i + 1)));
      assert.ok(Object.isFrozen(seen.find((e) => e.name === 'spectrum')!.value));
    });
  });

  describe('file writes that fail end the run failed, naming the file, with whole lines', () => {
    const failing = (failAt: { open?: string; afterBytes?: number; code?: string; partial?: boolean; onClose?: boolean }, calls: { writes: number }): FileIo => {
      let written = 0;
      let closing = false;
      return {
        open: (p) => { if (failAt.open) throw Object.assign(new Error('x'), { code: failAt.open }); return nodeFileIo.open(p); },
        write: (fd, data, offset) => {
          calls.writes++;
          const n = data.length - offset;
          if (failAt.onClose && !closing) return nodeFileIo.write(fd, data, offset);
          if (failAt.afterBytes !== undefined && written + n > failAt.afterBytes) {
            const room = failAt.afterBytes - written;
            if (failAt.partial && room > 0) { written += room; return nodeFileIo.write(fd, data.subarray(0, offset + room), offset); }
            throw Object.assign(new Error('x'), { code: failAt.code ?? 'ENOSPC' });
          }
          written += n;
          return nodeFileIo.write(fd, data, offset);
        },
        truncate: nodeFileIo.truncate,
        close: (fd) => { closing = true; nodeFileIo.close(fd); },
      };
    };
    const cases: [string, Parameters<typeof failing>[0], RegExp][] = [
      ['cannot create the file (EACCES)', { open: 'EACCES' }, /cannot create .*metrics\.jsonl: permission denied \(EACCES\)/],
      ['disk full at the first write', { afterBytes: 0 }, /cannot write .*metrics\.jsonl: no space left on the device \(ENOSPC\)/],
      ['disk full mid-run', { afterBytes: 100_000 }, /no space left on the device \(ENOSPC\)/],
      ['disk full mid-line (partial write)', { afterBytes: 100_037, partial: true }, /ENOSPC/],
      ['I/O error', { afterBytes: 70_000, code: 'EIO' }, /input\/output error \(EIO\)/],
      ['read-only file system', { afterBytes: 0, code: 'EROFS' }, /read-only file system \(EROFS\)/],
      ['quota exceeded', { afterBytes: 0, code: 'EDQUOT' }, /disk quota exceeded \(EDQUOT\)/],
      ['an unknown error code', { afterBytes: 0, code: 'EWEIRD' }, /cannot write .*metrics\.jsonl: x \(EWEIRD\)/],
    ];
    for (const [name, failAt, why] of cases) {
      it(name, async () => {
        count();
        const out = join(tmp(), 'out');
        const calls = { writes: 0 };
        const s = graph('w', {}).node('train', 'ft.count', { steps: 20000 }).build();
        const r = await runGraph(s, { outDir: out, sinks: [jsonlSink(join(out, 'metrics.jsonl'), failing(failAt, calls)), csvSink(join(out, 'metrics.csv'))], report: () => {} });
        assert.equal(r.status, 'failed');
        assert.match(r.error!, why);
        assert.doesNotMatch(r.error!, /\n/);
        const { manifest } = readRun(out);
        assert.equal(manifest.status, 'failed');
        assert.match(manifest.error.message, why);
        assert.ok(manifest.events < 20000, 'the run stopped early');
      });
    }
    it('after a failure no timer tries to write again', async () => {
      count();
      const out = join(tmp(), 'out');
      mkdirSync(out);
      const calls = { writes: 0 };
      const sink = jsonlSink(join(out, 'metrics.jsonl'), failing({ afterBytes: 0 }, calls));
      sink.open!();
      sink.write({ node: 'a', name: 'b', step: 1, value: 1, time: 0 });
      await new Promise((r) => setTimeout(r, 1300)); // the 1 s flush timer fires and fails
      const after1 = calls.writes;
      assert.equal(after1, 1);
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(calls.writes, after1, 'no retries from the timer');
      assert.throws(() => sink.write({ node: 'a', name: 'b', step: 2, value: 1, time: 0 }), /ENOSPC/);
    });

    let mounted: string | null = null;
    before(() => {
      const dir = tmp();
      try { execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96k', 'tmpfs', dir], { stdio: 'ignore' }); mounted = dir; } catch { mounted = null; }
    });
    after(() => { if (mounted) try { execFileSync('umount', [mounted], { stdio: 'ignore' }); } catch { /* leave it */ } });
    it('a real full disk (96 KiB tmpfs): failed, the path named, whole lines, exit 1', async (t) => {
      count();
      if (!mounted) { t.skip('cannot mount a tmpfs here (needs root)'); return; }
      const out = join(mounted, 'out');
      const r = await cli(['run', graphFile(counterGraph(100000), tmp()), ...NODES, '--out', out]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.err, /cannot write .*metrics\.(jsonl|csv): no space left on the device \(ENOSPC\)/);
      assert.doesNotMatch(r.err, /\n\s+at /);
      const text = readFileSync(join(out, 'metrics.jsonl'), 'utf8');
      assert.ok(text === '' || text.endsWith('\n'));
      for (const l of text.split('\n').slice(0, -1)) JSON.parse(l);
      // Either the manifest made it (failed) or stderr says it could not be written.
      if (existsSync(join(out, 'manifest.json'))) {
        const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
        assert.ok(m.status === 'failed' || /cannot write .*manifest\.json/.test(r.err), `manifest ${m.status}`);
      } else assert.match(r.err, /cannot write .*manifest\.json/);
    });
    it('a read-only file system: exit 2 before anything runs', async (t) => {
      count();
      if (!mounted) { t.skip('cannot mount a tmpfs here (needs root)'); return; }
      const ro = tmp();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,ro', 'tmpfs', ro], { stdio: 'ignore' });
      try {
        const r = await cli(['run', graphFile(counterGraph(), tmp()), ...NODES, '--out', join(ro, 'out')]);
        assert.equal(r.code, 2);
        assert.match(r.err, /--out .*: cannot create it: read-only file system \(EROFS\)/);
      } finally { execFileSync('umount', [ro], { stdio: 'ignore' }); }
    });
  });

  describe('plots of hostile data never take the run down', () => {
    const hostile: [string, unknown[]][] = [
      ['no data', []], ['all negative on a log axis', [-1, -2, -3]], ['only NaN', ['NaN', 'NaN']], ['±Infinity', ['Infinity', '-Infinity']],
      ['a single point', [3]], ['equal values', [5, 5, 5]], ['values 1 ulp apart', [1, 1 + Number.EPSILON, 1]], ['±1e308', [1e308, -1e308]],
      ['denormal-small', [1e-308, 2e-308, 5e-324]], ['1e15 and 1e15 + 1/8', [1e15, 1e15 + 0.125]], ['NaN among numbers', [1, 'NaN', 2]], ['zeros', [0, 0, 0]],
    ];
    for (const [name, values] of hostile) {
      it(name, async () => {
        count();
        const dir = tmp(), out = join(dir, 'out');
        const spec = {
          name: 'h', params: {}, nodes: { e: { type: 'ft.emit', params: { values } } },
          plots: [{ title: 'log', y: ['e.value', 'e.once'], logY: true }, { title: 'lin', y: ['e.value'] }, { title: 'spec', spectrum: 'e.spectrum' }, { title: 'heat', heatmap: 'e.spectrum' }],
        };
        const r = await cli(['run', graphFile(spec, dir), ...NODES, '--out', out]);
        assert.equal(r.code, 0, r.err);
        const { manifest } = readRun(out);
        assert.equal(manifest.status, 'completed');
        for (const f of readdirSync(join(out, 'plots'))) assert.doesNotMatch(readFileSync(join(out, 'plots', f), 'utf8'), /NaN|Infinity/, f);
      });
    }
  });

  it('a manifest that cannot be written: the run fails and stderr says why', async () => {
    count();
    const dir = tmp(), out = join(dir, 'out');
    mkdirSync(join(out, 'manifest.json.tmp'), { recursive: true }); // writing the manifest's temp file fails (EISDIR)
    const r = await cli(['run', graphFile(counterGraph(5), dir), ...NODES, '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.err, /cannot write .*manifest\.json: it is a directory \(EISDIR\); the run ended failed/);
    assert.equal(existsSync(join(out, 'manifest.json')), false);
    assert.equal(existsSync(join(out, 'eigenflow.lock')), false);
  });

  it('the SSM DPLR run that used to crash the plot code completes', async () => {
    count();
    const out = join(tmp(), 'out');
    const r = await cli(['run', new URL('../../graphs/ssm-kernel.json', import.meta.url).pathname, '--set', 'kind=dplr', '--set', 'n=8', '--set', 'L=64', '--seed', '2', '--out', out, '--quiet']);
    assert.equal(r.code, 0, r.err);
    assert.equal(readRun(out).manifest.status, 'completed');
  });

  it('a plot that cannot be written is reported and skipped; the others are written and the run completes', async () => {
    count();
    const dir = tmp(), out = join(dir, 'out');
    mkdirSync(join(out, 'plots', 'loss.svg'), { recursive: true }); // the file's name is taken by a directory
    const spec = g2();
    const r = await cli(['run', graphFile(spec, dir), ...NODES, '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /sink 'plots' failed and was detached: 1 plot skipped \('Loss': .*EISDIR/);
    const { manifest } = readRun(out);
    assert.equal(manifest.status, 'completed');
    assert.match(manifest.sinks.errors.plots, /EISDIR/);
    assert.ok(existsSync(join(out, 'plots', 'twice.svg')));
  });

  it('600 seeded random hostile series: every plot is written or reported, never a crash or NaN', () => {
    count();
    const pool = [0, -0, 1, -1, 1e-300, 1e-310, 5e-324, 1e300, -1e300, 1e308, -1e308, 1 + Number.EPSILON, 1e15, 1e15 + 0.125, 1e-9, 1e-9 * (1 + 1e-12), 3, 7.5, -2e-5, 123456789, NaN, Infinity, -Infinity, 2 ** 53, 1e-150, 1e150];
    let seed = 12345;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const dir = tmp();
    for (let c = 0; c < 600; c++) {
      const n = 1 + Math.floor(rnd() * 5);
      const vals = Array.from({ length: n }, () => pool[Math.floor(rnd() * pool.length)]!);
      const steps = Array.from({ length: n }, (_, i) => (rnd() < 0.1 ? [0, -1, 1e9, 2 ** 40][Math.floor(rnd() * 4)]! : i + 1));
      const plotsDir = join(dir, String(c));
      const sink = plotSink(plotsDir, [{ title: 'a', y: ['n.v'], logY: rnd() < 0.5, logX: rnd() < 0.3 }, { title: 'b', spectrum: 'n.s' }, { title: 'c', heatmap: 'n.s' }]);
      vals.forEach((v, i) => sink.write({ node: 'n', name: 'v', step: steps[i]!, value: v, time: 0 }));
      sink.write({ node: 'n', name: 's', step: null, value: vals, time: 0 });
      sink.close!({ status: 'completed', error: null, outDir: null });
      for (const f of readdirSync(plotsDir)) assert.doesNotMatch(readFileSync(join(plotsDir, f), 'utf8'), /NaN|Infinity/, `case ${c} ${f}: ${vals}`);
    }
  });

  describe('one run per directory', () => {
    it('runs without --out started together get directories of their own', async () => {
      count();
      const dir = tmp(), f = graphFile(counterGraph(30), dir);
      await cli(['run', f, ...NODES, '--out', join(tmp(), 'warm'), '--quiet']); // initialise the backend once first
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        const rs = await Promise.all([1, 2, 3].map(() => cli(['run', f, ...NODES, '--quiet'])));
        assert.deepEqual(rs.map((r) => r.code), [0, 0, 0], rs.map((r) => r.err).join('\n'));
        const dirs = readdirSync(join(dir, 'runs'));
        assert.equal(dirs.length, 3, dirs.join(' '));
        for (const d of dirs) assert.equal(readRun(join(dir, 'runs', d)).manifest.status, 'completed');
      } finally { process.chdir(cwd); }
    });

    it('two runs started together on one --out: exactly one runs, the other exits 2', async () => {
      count();
      const dir = tmp(), out = join(dir, 'out'), f = graphFile(counterGraph(50), dir);
      const [a, b] = await Promise.all([cli(['run', f, ...NODES, '--out', out]), cli(['run', f, ...NODES, '--out', out])]);
      assert.deepEqual([a.code, b.code].sort(), [0, 2]);
      assert.match((a.code === 2 ? a : b).err, /is in use by another eigenflow run|already holds a run/);
      assert.equal(readRun(out).manifest.status, 'completed');
    });
  });

  describe('bounded memory', () => {
    it('plot series keep first, last and extremes within the cap', () => {
      count();
      const pts: [number, number][] = Array.from({ length: 100000 }, (_, i) => [i, Math.sin(i / 1000) + (i === 54321 ? 50 : 0) - (i === 777 ? 50 : 0)]);
      const thin = thinKeepingExtremes(pts, 2000);
      assert.ok(thin.length <= 3002, `${thin.length}`);
      assert.deepEqual(thin[0], pts[0]);
      assert.deepEqual(thin.at(-1), pts.at(-1));
      assert.ok(thin.some(([x]) => x === 54321) && thin.some(([x]) => x === 777));
      for (let i = 1; i < thin.length; i++) assert.ok(thin[i]![0] > thin[i - 1]![0], 'in step order');
    });
    it('a 200,000-step run through the CLI keeps what it retains small', async (t) => {
      count();
      const dir = tmp(), out = join(dir, 'out');
      const f = graphFile({ name: 'long', params: {}, nodes: { train: { type: 'ft.count', params: { steps: 200000 } }, probe: { type: 'ft.double', inputs: { x: 'train.s' } } }, plots: [{ y: ['train.loss', 'probe.twice'] }] }, dir);
      await cli(['run', f, ...NODES, '--out', join(dir, 'warm'), '--set', 'train.steps=20000', '--quiet']);
      // What the run keeps alive (JS heap + buffers after a full collection), not RSS: RSS also
      // holds garbage not yet collected and freed pages not yet returned, ±20 MB from run to run.
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      const retained = (): number => { gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
      const before = retained(), rssBefore = process.memoryUsage().rss;
      const r = await cli(['run', f, ...NODES, '--out', out, '--quiet']);
      const grown = (retained() - before) / 2 ** 20, rssGrown = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
      t.diagnostic(`retained +${grown.toFixed(1)} MB, RSS +${rssGrown.toFixed(1)} MB`);
      assert.equal(r.code, 0, r.err);
      assert.equal(readRun(out).lines.length, 400000);
      // keeping every event would retain ≥ 400,000 × ~150 B = 57 MB
      assert.ok(grown < 16, `the run retained ${grown.toFixed(1)} MB over 400,000 events`);
      assert.ok(rssGrown < 160, `RSS grew ${rssGrown.toFixed(1)} MB over 400,000 events`);
    });
  });

  it('counts at least 50 runtime faults', (t) => { t.diagnostic(`${runtimeCases} runtime faults`); assert.ok(runtimeCases >= 50, `${runtimeCases}`); });
});
