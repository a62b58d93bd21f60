import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { graph, loadGraph, validateGraph, GraphValidationError } from '../../src/index.ts';
import { registerAllNodes } from '../../nodes/index.ts';

describe('graph builder', () => {
  before(() => registerAllNodes());

  it('should build the doc comment example into a valid graph', () => {
    const spec = graph('demo', { n: 20, sigma: 0.03 })
      .node('data', 'data.sparseFeatures', { n: '$n', p: 0.05 })
      .node('wn', 'wn.residual', { kind: 'symmetric', n: '$n', sigma: '$sigma' })
      .node('model', 'models.residualMLP', { m: 10 }, { wn: 'wn.out' })
      .node('optimizer', 'optim.optimizer', { kind: 'adam', lr: 3e-3 })
      .node('train', 'optim.trainResidualMLP', { steps: 500 }, { model: 'model.out', data: 'data.out', optimizer: 'optimizer.out' })
      .plot({ title: 'loss', y: ['train.loss'], logY: true })
      .build();
    assert.doesNotThrow(() => validateGraph(spec));
  });

  it('should derive a variant of a shipped graph with set, replace, remove and extend, leaving the original alone', () => {
    const base = loadGraph('cis-noise');
    const mine = graph.from(base, 'cis-lowrank')
      .set('steps', 2000)
      .set('train.logEvery', 20)
      .replace('wn', 'wn.lowRank', { n: '$n', rank: 10, alpha: 4 })
      .remove('response')
      .extend({ params: { top: 5 }, nodes: { sv: { type: 'spectral.singularValues', params: { top: '$top' }, inputs: { x: 'wn.out' } } }, plots: [{ spectrum: 'sv.singular_values' }] })
      .build();
    assert.equal(mine.name, 'cis-lowrank');
    assert.equal(mine.params.steps, 2000);
    assert.equal(mine.params.top, 5);
    assert.deepEqual(mine.nodes.wn, { type: 'wn.lowRank', params: { n: '$n', rank: 10, alpha: 4 } });
    assert.equal(mine.nodes.train!.params!.logEvery, 20);
    assert.ok(!('response' in mine.nodes));
    assert.deepEqual(Object.keys(mine.nodes), [...Object.keys(base.nodes).filter((id) => id !== 'response'), 'sv']);
    assert.equal(mine.plots!.at(-1)!.spectrum, 'sv.singular_values');
    assert.doesNotThrow(() => validateGraph(mine));
    assert.ok(Object.isFrozen(mine.nodes.wn));
    assert.equal(base.params.steps, 10000, 'the original spec is unchanged');
    assert.equal(base.nodes.wn!.type, 'wn.residual');
    assert.ok('response' in base.nodes);
  });

  it('should drop a removed node\'s metrics from the plots, and plots left empty', () => {
    const spec = graph.from(loadGraph('cis-noise')).remove('naive').remove('target').build();
    const refs = spec.plots!.flatMap((p) => [...(p.y ?? []), p.spectrum, p.series].filter(Boolean));
    assert.ok(refs.length > 0 && refs.every((r) => !/^(naive|target)\./.test(r!)), refs.join(', '));
    assert.equal(spec.plots!.length, loadGraph('cis-noise').plots!.length - 2, 'the two target spectra went; the loss plots stayed');
    assert.doesNotThrow(() => validateGraph(spec));
  });

  it('should name the graph and node when set, replace, remove or extend names something missing or taken', () => {
    const b = () => graph.from(loadGraph('cis-noise'));
    assert.throws(() => b().set('sigmaa', 1), (e: unknown) => e instanceof GraphValidationError && /'sigmaa' is not a graph parameter of cis-noise/.test(e.message));
    assert.throws(() => b().set('nobody.lr', 1), /there is no node 'nobody'/);
    assert.throws(() => b().replace('nobody' as 'wn', 'wn.identity', { n: 3 }), /graph cis-noise: replace\('nobody'\): there is no node 'nobody' \(nodes: data, wn,/);
    assert.throws(() => b().remove('nobody' as 'wn'), /graph cis-noise: remove\('nobody'\): there is no node 'nobody'/);
    assert.throws(() => b().extend({ nodes: { wn: { type: 'wn.identity' } } }), /graph cis-noise: extend: node 'wn' is already defined/);
  });

  it('should report a node still wired to a removed one at validation', () => {
    const spec = graph.from(loadGraph('cis-noise')).remove('wn').build();
    assert.throws(() => validateGraph(spec), /nodes\.model\.inputs\.wn.*'wn'/);
  });
});
