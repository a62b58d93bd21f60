import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseGraph, plotTitle, type PlotSpec } from '../../src/graph/spec.ts';
import { heatmap } from '../../src/plot/svg.ts';
import { plotSink, seriesLook } from '../../src/sinks/plots.ts';

const graphWith = (plot: unknown): unknown => ({ name: 'g', nodes: { a: { type: 't' } }, plots: [plot] });

test('labels, styles by pattern and colour pairs', () => {
  const p: PlotSpec = { y: ['train.loss', 'exact.loss', 'train.acc'], labels: { 'train.loss': 'GD' }, style: { 'exact.*': 'dashed' }, pairs: [['train.loss', 'exact.loss']] };
  const gd = seriesLook(p, 'train.loss', 0), exact = seriesLook(p, 'exact.loss', 1), acc = seriesLook(p, 'train.acc', 2);
  assert.equal(gd.label, 'GD');
  assert.equal(exact.label, 'exact.loss');
  assert.equal(gd.style, undefined);
  assert.equal(exact.style, 'dashed');
  assert.equal(gd.color, exact.color, 'a pair shares its colour');
  assert.notEqual(acc.color, gd.color);
});

test('titles interpolate graph parameters; unknown names stay as written', () => {
  assert.equal(plotTitle({ title: 'σ = {sigma}, {wn}, {nope}', y: ['a.b'] }, { sigma: 0.03, wn: 'symmetric' }), 'σ = 0.03, symmetric, {nope}');
  assert.equal(plotTitle({ title: '{toString}', y: ['a.b'] }, {}), '{toString}');
  assert.equal(plotTitle({ y: ['a.b', 'c.d'] }), 'a.b, c.d');
});

test('plot declarations of the wrong shape are named in the error', () => {
  assert.throws(() => parseGraph(graphWith({ y: ['a.b'], style: { 'a.*': 'wavy' } })), /plots\[0\]\.style must map/);
  assert.throws(() => parseGraph(graphWith({ y: ['a.b'], labels: { 'a.b': 3 } })), /plots\[0\]\.labels/);
  assert.throws(() => parseGraph(graphWith({ y: ['a.b'], pairs: ['a.b'] })), /plots\[0\]\.pairs/);
  assert.throws(() => parseGraph(graphWith({ y: ['a.b'], logY: 'yes' })), /plots\[0\]\.logY must be true or false/);
  assert.throws(() => parseGraph(graphWith({ y: ['a.b'], series: 'a.k' })), /exactly one of/);
  parseGraph(graphWith({ series: 'a.k', labels: { 'a.k': 'K' } }));
});

test('a "series" plot draws every value as a stem against its index from 0 (K₀ kept, negatives too)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eigenflow-plot-'));
  try {
    const sink = plotSink(dir, [{ title: 'kernel n = {n}', series: 'k.kernel', file: 'kernel' }], { n: 4 });
    sink.write({ node: 'k', name: 'kernel', step: null, value: [0, -1, -0.7, -0.51], time: 0 });
    void sink.close!({ status: 'completed', error: null, outDir: dir });
    const svg = readFileSync(join(dir, 'kernel.svg'), 'utf8');
    assert.match(svg, />kernel n = 4</);
    assert.equal((svg.match(/<circle /g) ?? []).length, 4);
    assert.match(svg, />index</);
    assert.doesNotMatch(svg, /NaN|no positive data/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('heatmaps have row and column axes and a labelled colour bar', () => {
  const svg = heatmap({ title: 'W', values: [1, -2, 3, 0.5, 0, -1], cols: 3 });
  for (const label of ['>row<', '>column<', '>3<', '>-3<', '>0<', '>2<']) assert.ok(svg.includes(label), label);
  assert.match(heatmap({ title: 'empty', values: [] }), /no data/);
});

test('without declared plots, a metric declared as a series is drawn as stems, an undeclared array as a spectrum', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eigenflow-plot-'));
  try {
    const sink = plotSink(dir, undefined, {}, (node, name) => (node === 'k' && name === 'kernel' ? 'series' : null));
    sink.write({ node: 'k', name: 'kernel', step: null, value: [0, 1, 0.7, 0.51], time: 0 });
    sink.write({ node: 's', name: 'sv', step: null, value: [3, 2, 1], time: 0 });
    void sink.close!({ status: 'completed', error: null, outDir: dir });
    assert.match(readFileSync(join(dir, 'k-kernel.svg'), 'utf8'), />index</);
    assert.match(readFileSync(join(dir, 's-sv-spectrum.svg'), 'utf8'), />rank \(log\)</);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
