import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseGraph, validateGraph, withOverrides, registerNodes, unregisterNode, GraphValidationError } from '../../src/index.ts';
import { nodes } from '../fixtures/nodes.ts';

const ok = {
  name: 'ok',
  params: { steps: 5, v: 0.5 },
  nodes: {
    init: { type: 'fx.constant', params: { value: '$v' } },
    train: { type: 'fx.trainer', params: { steps: '$steps' }, inputs: { init: 'init' } },
    probe: { type: 'fx.probe', inputs: { x: 'train.snapshot' }, every: 2 },
  },
};

/** Apply `edit` to a deep copy of the valid graph. */
function variant(edit: (g: any) => void): unknown {
  const g = structuredClone(ok);
  edit(g);
  return g;
}

function problems(json: unknown): string[] {
  try {
    validateGraph(parseGraph(json));
  } catch (e) {
    assert.ok(e instanceof GraphValidationError, `expected a GraphValidationError, got ${e}`);
    return [...e.problems];
  }
  assert.fail('the graph was accepted');
}

// [what is wrong, graph, the message that must explain it]
const cases: [string, unknown, RegExp][] = [
  ['not an object', [1, 2], /must be a JSON object/],
  ['missing name', variant((g) => delete g.name), /name must be a string/],
  ['unknown top-level field', variant((g) => (g.edges = [])), /unknown top-level field 'edges'/],
  ['no nodes', variant((g) => (g.nodes = {})), /nodes must be a non-empty object/],
  ['bad node id', variant((g) => (g.nodes['bad-id'] = { type: 'fx.constant' })), /nodes\.bad-id: node ids must be identifiers/],
  ['node without type', variant((g) => delete g.nodes.init.type), /nodes\.init\.type must be a node type name/],
  ['unknown node type, with a suggestion', variant((g) => (g.nodes.init.type = 'fx.constnat')), /nodes\.init\.type: unknown node type 'fx\.constnat' \(did you mean 'fx\.constant'\?\)/],
  ['unknown field on a node', variant((g) => (g.nodes.init.input = {})), /nodes\.init: unknown field 'input'/],
  ['unknown parameter', variant((g) => (g.nodes.init.params.valeu = 1)), /nodes\.init\.params\.valeu is not a parameter of fx\.constant \(it takes: rows, cols, value\)/],
  ['missing required parameter', variant((g) => (g.nodes.probe.params = { scale: 'x' })), /nodes\.probe\.params\.scale must be a finite number but got "x"/],
  ['out-of-range parameter', variant((g) => (g.params.steps = 0)), /nodes\.train\.params\.steps must be ≥ 1 but got 0/],
  ['non-integer parameter', variant((g) => (g.params.steps = 2.5)), /nodes\.train\.params\.steps must be an integer but got 2\.5/],
  ['unresolved $param', variant((g) => (g.nodes.init.params.value = '$vv')), /nodes\.init\.params\.value references \$vv, which is not a graph parameter \(graph parameters: steps, v\)/],
  ['dangling node reference', variant((g) => (g.nodes.probe.inputs.x = 'trian.snapshot')), /nodes\.probe\.inputs\.x refers to 'trian\.snapshot', but there is no node 'trian'/],
  ['unknown output port', variant((g) => (g.nodes.probe.inputs.x = 'train.snap')), /nodes\.probe\.inputs\.x refers to 'train\.snap', but train \(fx\.trainer\) has no output 'snap' \(outputs: snapshot, final\)/],
  ['unknown input port', variant((g) => (g.nodes.probe.inputs.y = 'init')), /nodes\.probe\.inputs\.y: fx\.probe has no input 'y' \(inputs: x, offset\)/],
  ['missing required input', variant((g) => delete g.nodes.probe.inputs), /nodes\.probe\.inputs\.x is required \(matrix: matrix\) but nothing provides it/],
  ['ambiguous node reference', variant((g) => (g.nodes.probe.inputs.x = 'train')), /refers to node 'train', which has several outputs \(snapshot, final\); name one/],
  ['port type mismatch', variant((g) => { g.nodes.e = { type: 'fx.echo', inputs: { x: 'init.out' } }; }), /e\.x expects scalar, got matrix from init\.out/],
  ['static shape mismatch', variant((g) => { g.nodes.sq = { type: 'fx.square', params: { n: 3 }, inputs: { x: 'init' } }; }), /sq\.x expects shape \[3,3\], got \[2,2\] from init\.out/],
  ['cycle', variant((g) => { g.nodes.a = { type: 'fx.square', inputs: { x: 'b.out' } }; g.nodes.b = { type: 'fx.square', inputs: { x: 'a.out' } }; }), /cycle: a → b → a/],
  ['self reference', variant((g) => { g.nodes.a = { type: 'fx.square', inputs: { x: 'a.out' } }; }), /nodes\.a\.inputs\.x refers to its own node 'a'/],
  ['`every` on a node not fed by a stream', variant((g) => { g.nodes.p2 = { type: 'fx.probe', inputs: { x: 'init' }, every: 3 }; }), /nodes\.p2\.every only applies to a node fed by a stream/],
  ['bad `every`', variant((g) => (g.nodes.probe.every = 0)), /nodes\.probe\.every must be a positive integer or "\$param", got 0/],
  ['`every` from a graph parameter that is not a positive integer', variant((g) => { g.params.k = 2.5; g.nodes.probe.every = '$k'; }), /nodes\.probe\.every \(\$k\) must be a positive integer, got 2\.5/],
  ['`every` from an unknown graph parameter', variant((g) => (g.nodes.probe.every = '$kk')), /nodes\.probe\.every references \$kk, which is not a graph parameter/],
  ['generator fed by a stream', variant((g) => { g.nodes.t2 = { type: 'fx.trainer', inputs: { init: 'train.snapshot' } }; }), /t2\.init: fx\.trainer streams outputs of its own, so it cannot also follow the stream train\.snapshot/],
  ['two streams into one node', variant((g) => { g.nodes.t2 = { type: 'fx.trainer' }; g.nodes.p2 = { type: 'fx.probe', inputs: { x: 'train.snapshot', offset: 't2.snapshot' } }; }), /nodes\.p2 is fed by the streams of (train and t2|t2 and train)/],
  ['plot of an unknown node', variant((g) => (g.plots = [{ y: ['trian.loss'] }])), /plots\[0\] refers to trian\.loss, but there is no node 'trian'/],
  ['plot with neither y nor spectrum', variant((g) => (g.plots = [{ title: 'x' }])), /plots\[0\] needs exactly one of "y" \(line plot\), "spectrum" or "heatmap"/],
  ['edge that is not a string', variant((g) => (g.nodes.probe.inputs.x = 3)), /nodes\.probe\.inputs\.x must be "node" or "node\.port", got 3/],
];

describe('validateGraph', () => {
  before(() => registerNodes(nodes));
  after(() => nodes.forEach((n) => unregisterNode(n.type)));

  it('should accept the valid base graph', () => {
    const g = validateGraph(parseGraph(ok));
    assert.deepEqual(g.order.indexOf('init') < g.order.indexOf('train'), true);
    assert.equal(g.nodes.get('probe')!.origin, 'train');
  });

  for (const [what, json, message] of cases) {
    it(`should reject a graph with ${what}`, () => {
      const found = problems(json);
      assert.ok(found.some((p) => message.test(p)), `no problem matched ${message}; got:\n${found.join('\n')}`);
    });
  }

  it('should take `every` from a graph parameter', () => {
    const g = validateGraph(parseGraph(variant((x) => { x.params.k = 5; x.nodes.probe.every = '$k'; })));
    assert.equal(g.nodes.get('probe')!.every, 5);
  });

  it('should report every problem at once, sorted, one per line', () => {
    const found = problems(variant((g) => { g.params.steps = 0; g.nodes.init.type = 'nope.x'; g.nodes.probe.inputs.x = 'zzz'; }));
    assert.equal(found.length, 3);
    assert.deepEqual(found, [...found].sort());
  });

  it('should reject unknown --set names and accept graph and node overrides', () => {
    const spec = parseGraph(ok);
    assert.throws(() => withOverrides(spec, { sigma: 1 }), /--set sigma: 'sigma' is not a graph parameter of ok \(graph parameters: steps, v\)/);
    assert.throws(() => withOverrides(spec, { 'tran.steps': 1 }), /--set tran\.steps: there is no node 'tran'/);
    const edited = withOverrides(spec, { steps: 9, 'probe.scale': 3 });
    assert.equal(edited.params.steps, 9);
    assert.equal(edited.nodes.probe!.params!.scale, 3);
    assert.equal(spec.params.steps, 5, 'the original spec is unchanged');
    assert.ok(Object.isFrozen(edited.nodes.probe));
  });
});
