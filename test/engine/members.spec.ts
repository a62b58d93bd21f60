/**
 * Members: many instances of one graph in one process. The independent truth for every member is
 * a separate run with the same overrides and seed.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defineNode } from '../../src/node.ts';
import { registerNode, unregisterNode } from '../../src/registry.ts';
import { loadGraph, withOverrides, type GraphSpec } from '../../src/graph/spec.ts';
import { runGraph, startRun } from '../../src/run/runGraph.ts';
import { GraphValidationError } from '../../src/graph/errors.ts';
import type { MetricEvent } from '../../src/record/events.ts';
import { readMetricsFile } from '../../src/record/metricsFile.ts';
import { EventEmitter } from 'node:events';
import { main } from '../../src/cli/main.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { registerAllNodes } from '../../nodes/index.ts';
import { useWasm } from '../helpers.ts';
import { membersLive } from '../../src/run/membersLive.ts';
import { seedStats } from '../../src/record/stats.ts';

const graph = (name: string, sets: Record<string, unknown>): GraphSpec =>
  withOverrides(loadGraph(new URL(`../../graphs/${name}.json`, import.meta.url).pathname), sets);
const CIS = { n: 12, m: 6, p: 0.15, batch: 128, steps: 60, evalSamples: 3000, 'train.logEvery': 5, 'train.snapshotEvery': 20 };

/** Events of one member (or of a plain run) as `node.name@step` → value, without time. */
function byKey(events: readonly MetricEvent[], member?: number): Map<string, number | number[]> {
  const out = new Map<string, number | number[]>();
  for (const e of events) if (e.member === member) out.set(`${e.node}.${e.name}@${e.step}`, e.value);
  return out;
}

/** Every value equal to float32 tolerance (relative 1e-5, absolute 1e-7). */
function expectSameMetrics(got: Map<string, number | number[]>, want: Map<string, number | number[]>, what: string): void {
  assert.ok(want.size > 10, `${what}: the separate run emitted ${want.size} metrics`);
  assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `${what}: the same metrics at the same steps`);
  for (const [k, w] of want) {
    const a = [got.get(k)!].flat(), b = [w].flat();
    assert.equal(a.length, b.length, `${what} ${k}: length`);
    a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) <= 1e-7 + 1e-5 * Math.abs(b[i]!), `${what} ${k}[${i}]: member ${x}, separate run ${b[i]}`));
  }
}

describe('members', () => {
  const dirs: string[] = [];
  const tmp = (): string => { const d = mkdtempSync(join(tmpdir(), 'ef-members-')); dirs.push(d); return d; };
  before(async () => { await useWasm(); registerAllNodes(); });
  after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('should give each CiS member the metrics of a separate run with its overrides and seed', async () => {
    const spec = graph('cis-noise', CIS);
    const before = tf.memory().numTensors;
    const r = await runGraph(spec, { members: { sigma: [0.02, 0.1], seed: [0, 1, 2] } });
    assert.equal(r.status, 'completed', String(r.error));
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    let k = 0;
    for (const sigma of [0.02, 0.1]) {
      for (const seed of [0, 1, 2]) {
        const alone = await runGraph(withOverrides(spec, { sigma, seed }), { seed });
        expectSameMetrics(byKey(r.events, k), byKey(alone.events), `member ${k} (sigma=${sigma} seed=${seed})`);
        k++;
      }
    }
  });

  it('should give each linear-family member the metrics of a separate run (batched trainer, float64 snapshots on the stream)', async () => {
    const spec = graph('linear-aligned', { steps: 40 });
    const r = await runGraph(spec, { members: [{ seed: 0 }, { seed: 3, lr: 0.02 }, { seed: 5 }] });
    assert.equal(r.status, 'completed', String(r.error));
    for (const [k, sets] of [[0, { seed: 0 }], [1, { seed: 3, lr: 0.02 }], [2, { seed: 5 }]] as const) {
      const alone = await runGraph(withOverrides(spec, sets), { seed: sets.seed });
      expectSameMetrics(byKey(r.events, k), byKey(alone.events), `member ${k}`);
    }
  });

  it('should run a node without `members` once per member, with that member\'s inputs, params and random stream', async () => {
    const calls: { id: string; x: number[]; scale: number; draw: number }[] = [];
    const probe = defineNode({
      type: 'test.memberProbe', doc: 'records what it is given', params: { scale: { type: 'number', doc: 'a parameter', default: 1 } },
      inputs: { x: { type: 'matrix', doc: 'a sample batch' } }, outputs: {}, metrics: { first: { kind: 'scalar', doc: 'x[0][0]·scale' } },
      run({ params, inputs, ctx }) {
        calls.push({ id: ctx.id, x: Array.from(inputs.x.dataSync()), scale: params.scale, draw: ctx.rng.uniform() });
        ctx.metric('first', inputs.x.dataSync()[0]! * params.scale);
        return {};
      },
    });
    registerNode(probe);
    try {
      const spec: GraphSpec = {
        name: 'probe-members', params: { k: 1 },
        nodes: {
          data: { type: 'data.sparseFeatures', params: { n: 4, p: 0.5, batch: 3 } },
          probe: { type: 'test.memberProbe', params: { scale: '$k' }, inputs: { x: 'data.x' } },
        },
      };
      const r = await runGraph(spec, { members: { seed: [7, 8], k: [2, 3] } });
      assert.equal(r.status, 'completed', String(r.error));
      assert.equal(calls.length, 4, 'once per member');
      const members = calls.splice(0);
      const overrides = [[7, 2], [7, 3], [8, 2], [8, 3]] as const;
      for (const [i, [seed, k]] of overrides.entries()) {
        await runGraph(withOverrides(spec, { k }), { seed });
        const alone = calls.pop()!;
        assert.deepEqual(members[i], alone, `member ${i} (seed=${seed} k=${k}) sees what a separate run sees`);
        assert.equal(alone.id, 'probe');
      }
      assert.deepEqual(r.events.map((e) => e.member), [0, 1, 2, 3]);
    } finally {
      unregisterNode('test.memberProbe');
    }
  });

  it('should write each member as a run directory of its own, and members.json with statistics over seeds', async () => {
    const out = join(tmp(), 'run');
    const r = await runGraph(graph('cis-noise', CIS), { outDir: out, members: { seed: [0, 1, 2], wn: ['identity', 'symmetric'] } });
    assert.equal(r.status, 'completed', String(r.error));
    const parent = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    assert.deepEqual(parent.members, { axes: { seed: [0, 1, 2], wn: ['identity', 'symmetric'] }, count: 6, dirs: ['members/000', 'members/001', 'members/002', 'members/003', 'members/004', 'members/005'] });
    for (const [k, dir] of parent.members.dirs.entries()) {
      const m = JSON.parse(readFileSync(join(out, dir, 'manifest.json'), 'utf8'));
      assert.equal(m.status, 'completed');
      assert.deepEqual(m.member, { index: k, overrides: { seed: Math.floor(k / 2), wn: k % 2 ? 'symmetric' : 'identity' }, seed: Math.floor(k / 2) });
      assert.equal(m.graph.params.wn, k % 2 ? 'symmetric' : 'identity');
      assert.equal(m.members, undefined);
      const events: { member?: number }[] = [];
      readMetricsFile(join(out, dir, 'metrics.jsonl'), (e) => events.push(e as { member?: number }));
      assert.ok(events.length > 10 && events.every((e) => e.member === undefined), 'a member\'s own record has no member field');
      assert.equal(m.events, events.length);
      assert.ok(existsSync(join(out, dir, 'metrics.csv')));
    }
    const summary = JSON.parse(readFileSync(join(out, 'members.json'), 'utf8'));
    assert.deepEqual(summary.points.map((p: { point: unknown; completed: number }) => [p.point, p.completed]), [[{ wn: 'identity' }, 3], [{ wn: 'symmetric' }, 3]]);
    const evalLoss = summary.points[1].metrics['eval.eval_loss'];
    const values = r.events.filter((e) => e.node === 'eval' && e.name === 'eval_loss' && e.member! % 2 === 1).map((e) => e.value as number);
    assert.equal(evalLoss.n, 3);
    assert.ok(Math.abs(evalLoss.mean - values.reduce((a, b) => a + b) / 3) < 1e-12);
  });

  it('should keep the number of tensors flat across training steps', async () => {
    const counts: number[] = [];
    const r = await runGraph(graph('cis-noise', { ...CIS, steps: 100 }), {
      members: { seed: [0, 1, 2, 3] },
      sinks: [{ name: 'count', mode: 'sync', write: (e) => { if (e.node === 'train' && e.name === 'loss' && e.member === 0) counts.push(tf.memory().numTensors); } }],
    });
    assert.equal(r.status, 'completed', String(r.error));
    assert.equal(counts.length, 20);
    assert.deepEqual(new Set(counts.slice(1)).size, 1, `tensors per step: ${counts.join(' ')}`);
  });

  it('should reject members whose overrides make the graph invalid, naming the member, before anything is written', () => {
    const out = join(tmp(), 'bad');
    assert.throws(() => startRun(graph('cis-noise', CIS), { outDir: out, members: { seed: [0, 1], sigma: [0.1, -1] } }),
      (e: Error) => e instanceof GraphValidationError && /member 1 \(seed=0 sigma=-1\): .*sigma/.test(e.message) && /member 3 \(seed=1 sigma=-1\)/.test(e.message));
    assert.equal(existsSync(out), false);
  });

  it('should exit 2 naming --members and the value for bad input', async () => {
    const G = new URL('../../graphs/cis-noise.json', import.meta.url).pathname;
    for (const [arg, message] of [
      ['seed', /--members seed: expected NAME=V1,V2/],
      ['seed=-1:3', /--members seed=-1:3: seeds must be non-negative integers/],
      ['seed=3:1', /--members seed=3:1: a range START:STOP needs STOP ≥ START/],
      ['bogus=1,2', /--members bogus=1,2: 'bogus' is not a graph parameter of cis-noise/],
      ['nope.lr=1,2', /--members nope.lr=1,2: there is no node 'nope'/],
      ['sigma=0.1,0.1', /--members sigma=0.1,0.1: a value is repeated/],
      ['sigma=', /--members sigma=: no values/],
    ] as const) {
      let err = '';
      const io: CliIo = { out: () => {}, err: (t) => { err += t; }, isTTY: false, signals: new EventEmitter() };
      const code = await main(['run', G, '--members', arg, '--out', join(tmp(), 'x')], io);
      assert.equal(code, 2, `${arg}: ${err}`);
      assert.match(err, message);
    }
  });

  it('should keep a live mean and 95% band per step over the members, as the sweep summaries compute them', () => {
    const live = membersLive([{ seed: 0, wn: 'a' }, { seed: 1, wn: 'a' }, { seed: 2, wn: 'a' }, { seed: 0, wn: 'b' }]);
    const ev = (member: number, step: number | null, value: number): MetricEvent => ({ node: 'train', name: 'loss', step, value, time: 0, member });
    [ev(0, 10, 1), ev(1, 10, 2), ev(2, 10, 4), ev(3, 10, 7), ev(0, 20, 0.5), ev(0, null, 9), ev(1, 20, NaN)].forEach((e) => live.add(e));
    const s = live.summary();
    assert.equal(s.members, 4);
    assert.deepEqual(Object.keys(s.metrics).sort(), ['train.loss [wn=a]', 'train.loss [wn=b]']);
    const a = s.metrics['train.loss [wn=a]']!;
    const truth = seedStats([1, 2, 4]);
    assert.deepEqual(a.steps, [10, 20]);
    assert.ok(Math.abs(a.mean[0]! - truth.mean!) < 1e-15 && Math.abs(a.lo[0]! - truth.ci95![0]) < 1e-12 && Math.abs(a.hi[0]! - truth.ci95![1]) < 1e-12);
    assert.deepEqual([a.mean[1], a.lo[1], a.hi[1]], [0.5, null, null], 'one finite value: a mean, no band');
    assert.deepEqual(s.metrics['train.loss [wn=b]']!.mean, [7]);
  });
});
