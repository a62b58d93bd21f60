/**
 * Malformed input, table-driven: every case must exit 2 with a clear one-line-per-problem message
 * (no stack trace) and leave nothing behind — no manifest, no metrics. All through the in-process
 * CLI (`main(argv, io)`), so the whole table runs in seconds.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, counterGraph, FIXTURES, graphFile, NODES, tmp } from './harness.ts';

interface Case {
  name: string;
  /** A graph object or raw text (written to graph.json), or null for argv-only cases. */
  graph?: unknown;
  /** Extra argv after `run GRAPH --nodes … --out OUT`; or a full argv builder. */
  args?: string[];
  argv?: (dir: string, graph: string, out: string) => string[];
  err: RegExp;
}

const g = (patch: (x: Record<string, any>) => void): Record<string, any> => { const x = counterGraph(); patch(x); return x; };
const RESERVED = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const reserved = /is a reserved name/;

const cases: Case[] = [];
const add = (c: Case): void => { cases.push(c); };

// 1. JSON syntax (24).
const valid = JSON.stringify(counterGraph(), null, 1);
for (const cut of [1, 10, 40, 80, 120, valid.length - 1]) add({ name: `JSON cut after ${cut} characters`, graph: valid.slice(0, cut), err: /not valid JSON: .* at line \d+, column \d+/ });
for (const [name, text] of [
  ['empty file', ''], ['only whitespace', '  \n '], ['trailing comma in object', '{"name": "x",}'], ['trailing comma in array', '{"name": "x", "plots": [1,]}'],
  ['single quotes', "{'name': 'x'}"], ['comment', '{"name": "x" /* c */}'], ['NaN literal', '{"name": "x", "params": {"a": NaN}}'],
  ['Infinity literal', '{"name": "x", "params": {"a": Infinity}}'], ['unquoted key', '{name: "x"}'], ['two values', '{} {}'],
  ['control character in a string', '{"name": "a\u0001b"}'], ['bad escape', '{"name": "\\q"}'], ['leading zero', '{"name": "x", "params": {"a": 01}}'],
  ['hex number', '{"name": "x", "params": {"a": 0x10}}'], ['unterminated string', '{"name": "x'], ['missing colon', '{"name" "x"}'],
  ['undefined literal', '{"name": undefined}'], ['lone minus', '{"name": "x", "params": {"a": -}}'],
] as const) add({ name: `JSON: ${name}`, graph: text, err: /not valid JSON/ });

// 2. Duplicate keys, deep nesting (9).
add({ name: 'duplicate top-level key', graph: '{"name": "a", "name": "b", "nodes": {}}', err: /duplicate key 'name' at line 1/ });
add({ name: 'duplicate node id', graph: '{"name": "a", "nodes": {"t": {"type": "ft.count"}, "t": {"type": "ft.count"}}}', err: /duplicate key 'nodes\.t'/ });
add({ name: 'duplicate node param', graph: '{"name": "a", "nodes": {"t": {"type": "ft.count", "params": {"steps": 1, "steps": 2}}}}', err: /duplicate key 'nodes\.t\.params\.steps'/ });
add({ name: 'duplicate graph param', graph: '{"name": "a", "params": {"n": 1, "n": 2}, "nodes": {"t": {"type": "ft.count"}}}', err: /duplicate key 'params\.n'/ });
add({ name: 'duplicate input port', graph: '{"name": "a", "nodes": {"t": {"type": "ft.count"}, "p": {"type": "ft.double", "inputs": {"x": "t.s", "x": "t.s"}}}}', err: /duplicate key 'nodes\.p\.inputs\.x'/ });
add({ name: 'duplicate __proto__ keys', graph: '{"name": "a", "__proto__": 1, "__proto__": 2, "nodes": {}}', err: /duplicate key '__proto__'/ });
add({ name: 'nesting 100 arrays deep', graph: `{"name": "a", "params": {"x": ${'['.repeat(100)}${']'.repeat(100)}}, "nodes": {}}`, err: /nesting deeper than 64 levels/ });
add({ name: 'nesting 100000 arrays deep', graph: `${'['.repeat(100000)}${']'.repeat(100000)}`, err: /nesting deeper than 64 levels/ });
add({ name: 'nesting 5000 objects deep', graph: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, err: /nesting deeper than 64 levels/ });

// 3. Graph shape (16).
for (const [name, graph] of [['an array', []], ['a string', 'x'], ['a number', 3], ['null', null], ['true', true]] as const) add({ name: `graph is ${name}`, graph: JSON.stringify(graph), err: /the graph must be a JSON object/ });
add({ name: 'missing name', graph: g((x) => { delete x.name; }), err: /name must be a string/ });
add({ name: 'name with a slash', graph: g((x) => { x.name = 'a/b'; }), err: /name must be a string of letters/ });
add({ name: 'name a number', graph: g((x) => { x.name = 5; }), err: /name must be a string/ });
add({ name: 'unknown top-level field', graph: g((x) => { x.nodez = {}; }), err: /unknown top-level field 'nodez'/ });
add({ name: 'params an array', graph: g((x) => { x.params = [1]; }), err: /params must be an object/ });
add({ name: 'param name not an identifier', graph: g((x) => { x.params['a-b'] = 1; }), err: /graph parameter names must be identifiers/ });
add({ name: 'nodes empty', graph: g((x) => { x.nodes = {}; }), err: /nodes must be a non-empty object/ });
add({ name: 'nodes an array', graph: g((x) => { x.nodes = [x.nodes.train]; }), err: /nodes must be a non-empty object/ });
add({ name: 'plots an object', graph: g((x) => { x.plots = {}; }), err: /plots must be an array/ });
add({ name: 'node id not an identifier', graph: g((x) => { x.nodes['1x'] = { type: 'ft.count' }; }), err: /node ids must be identifiers/ });
add({ name: 'node id with a dot', graph: g((x) => { x.nodes['a.b'] = { type: 'ft.count' }; }), err: /node ids must be identifiers/ });

// 4. Node shape and parameters (30).
add({ name: 'node is a string', graph: g((x) => { x.nodes.train = 'ft.count'; }), err: /nodes\.train must be an object/ });
add({ name: 'node type missing', graph: g((x) => { delete x.nodes.train.type; }), err: /nodes\.train\.type must be a node type name/ });
add({ name: 'node type a number', graph: g((x) => { x.nodes.train.type = 3; }), err: /nodes\.train\.type must be a node type name/ });
add({ name: 'unknown node type with a hint', graph: g((x) => { x.nodes.train.type = 'ft.cont'; }), err: /unknown node type 'ft\.cont' \(did you mean 'ft\.count'\?\)/ });
add({ name: 'unknown node field', graph: g((x) => { x.nodes.train.param = {}; }), err: /nodes\.train: unknown field 'param'/ });
add({ name: 'node params an array', graph: g((x) => { x.nodes.train.params = [1]; }), err: /nodes\.train\.params must be an object/ });
add({ name: 'node inputs an array', graph: g((x) => { x.nodes.probe.inputs = ['train.s']; }), err: /nodes\.probe\.inputs must be an object/ });
add({ name: 'input ref a number', graph: g((x) => { x.nodes.probe.inputs.x = 1; }), err: /nodes\.probe\.inputs\.x must be "node" or "node\.port"/ });
add({ name: 'input ref with two dots', graph: g((x) => { x.nodes.probe.inputs.x = 'a.b.c'; }), err: /must be "node" or "node\.port"/ });
add({ name: 'input ref to a missing node', graph: g((x) => { x.nodes.probe.inputs.x = 'nope.s'; }), err: /there is no node 'nope'/ });
add({ name: 'input ref to a missing port', graph: g((x) => { x.nodes.probe.inputs.x = 'train.nope'; }), err: /has no output 'nope'/ });
add({ name: 'input to an unknown port', graph: g((x) => { x.nodes.probe.inputs.y = 'train.s'; }), err: /has no input 'y'/ });
add({ name: 'input wired to itself', graph: g((x) => { x.nodes.probe.inputs.x = 'probe'; }), err: /refers to its own node/ });
add({ name: 'required input missing', graph: g((x) => { delete x.nodes.probe.inputs; x.nodes.probe.every = undefined; }), err: /inputs\.x is required/ });
add({ name: 'every zero', graph: g((x) => { x.nodes.probe.every = 0; }), err: /every must be a positive integer/ });
add({ name: 'every a fraction', graph: g((x) => { x.nodes.probe.every = 1.5; }), err: /every must be a positive integer/ });
add({ name: 'every on a non-stream node', graph: g((x) => { x.nodes.b = { type: 'ft.big', every: 2 }; }), err: /every only applies to a node fed by a stream/ });
for (const [v, why] of [[0, /must be ≥ 1 but got 0/], [-1, /must be ≥ 1/], [1.5, /must be an integer/], ['10', /must be a finite number but got "10"/], [null, /must be a finite number but got null/], [true, /must be a finite number/], [[1], /must be a finite number/], [{}, /must be a finite number/]] as const) {
  add({ name: `steps = ${JSON.stringify(v)}`, graph: g((x) => { x.nodes.train.params.steps = v; }), err: why });
}
add({ name: 'steps = 1e400 (Infinity once parsed)', graph: JSON.stringify(counterGraph()).replace('"$steps"', '1e400'), err: /must be a finite number but got Infinity/ });
add({ name: 'negative slowMs', graph: g((x) => { x.nodes.train.params.slowMs = -1; }), err: /slowMs must be ≥ 0/ });
add({ name: 'unknown node param', graph: g((x) => { x.nodes.train.params.step = 3; }), err: /params\.step is not a parameter of ft\.count/ });
add({ name: 'missing $ref', graph: g((x) => { x.nodes.train.params.steps = '$nope'; }), err: /references \$nope, which is not a graph parameter/ });
add({ name: '$ref to a wrong-typed param', graph: g((x) => { x.params.steps = 'many'; }), err: /steps must be a finite number but got "many"/ });
add({ name: 'cycle', graph: { name: 'c', params: {}, nodes: { a: { type: 'ft.busy', inputs: { after: 'b' } }, b: { type: 'ft.busy', inputs: { after: 'a' } } } }, err: /cycle: a → b → a|cycle: b → a → b/ });
add({ name: 'port type mismatch', graph: { name: 'c', params: {}, nodes: { a: { type: 'ft.artifact' }, b: { type: 'ft.double', inputs: { x: 'a' } } } }, err: /has no output|several outputs|nothing provides|refers to node 'a'/ });

// 5. Reserved names in every position (6 names × 7 positions = 42).
for (const name of RESERVED) {
  add({ name: `graph param '${name}'`, graph: `{"name": "r", "params": {"${name}": 1}, "nodes": {"t": {"type": "ft.count"}}}`, err: reserved });
  add({ name: `node id '${name}'`, graph: `{"name": "r", "params": {}, "nodes": {"${name}": {"type": "ft.count"}}}`, err: reserved });
  add({ name: `node param '${name}'`, graph: `{"name": "r", "params": {}, "nodes": {"t": {"type": "ft.count", "params": {"${name}": 1}}}}`, err: reserved });
  add({ name: `input port '${name}'`, graph: `{"name": "r", "params": {}, "nodes": {"t": {"type": "ft.count"}, "p": {"type": "ft.double", "inputs": {"x": "t.s", "${name}": "t.s"}}}}`, err: reserved });
  add({ name: `input ref to node '${name}'`, graph: `{"name": "r", "params": {}, "nodes": {"t": {"type": "ft.count"}, "p": {"type": "ft.double", "inputs": {"x": "${name}.s"}}}}`, err: /reserved name|must be "node" or "node\.port"/ });
  add({ name: `$ref to '${name}'`, graph: `{"name": "r", "params": {}, "nodes": {"t": {"type": "ft.count", "params": {"steps": "$${name}"}}}}`, err: /which is not a graph parameter/ });
  add({ name: `--set ${name}=1`, graph: counterGraph(), args: ['--set', `${name}=1`], err: reserved });
}
// … and in plots and node-param paths (6 × 2 = 12).
for (const name of RESERVED) {
  add({ name: `plot of '${name}.loss'`, graph: g((x) => { x.plots = [{ y: [`${name}.loss`] }]; }), err: /reserved name|must be a list of "node\.metric"/ });
  add({ name: `--set train.${name}=1`, graph: counterGraph(), args: ['--set', `train.${name}=1`], err: reserved });
}

// 6. Plot fields (22).
for (const [field, value, why] of [
  ['title', 3, /plots\[0\]\.title must be a string/], ['title', ['a'], /title must be a string/], ['title', null, /title must be a string/], ['title', {}, /title must be a string/],
  ['file', 3, /plots\[0\]\.file must be a file name/], ['file', '../escape', /file must be a file name/], ['file', '/etc/passwd', /file must be a file name/], ['file', '', /file must be a file name/], ['file', 'a/b', /file must be a file name/], ['file', 'x'.repeat(300), /at most 100 characters/],
  ['logY', 'yes', /plots\[0\]\.logY must be true or false/], ['logY', 1, /logY must be true or false/], ['logY', null, /logY must be true or false/], ['logX', 'no', /logX must be true or false/],
  ['xLabel', 5, /xLabel must be a string/], ['yLabel', false, /yLabel must be a string/],
  ['y', 'train.loss', /y must be a list of "node\.metric"/], ['y', [3], /y must be a list/], ['y', ['train'], /y must be a list/],
  ['cols', 0, /cols must be a positive integer/], ['cols', 2.5, /cols must be a positive integer/], ['colour', 'red', /unknown field 'colour'/],
] as const) add({ name: `plot ${field} = ${JSON.stringify(value).slice(0, 20)}`, graph: g((x) => { x.plots = [{ y: ['train.loss'], [field]: value }]; }), err: why });
add({ name: 'plot with both y and spectrum', graph: g((x) => { x.plots = [{ y: ['train.loss'], spectrum: 'train.loss' }]; }), err: /exactly one of/ });
add({ name: 'plot of a missing node', graph: g((x) => { x.plots = [{ y: ['nope.loss'] }]; }), err: /there is no node 'nope'/ });
add({ name: 'plot of a misspelt metric', graph: g((x) => { x.plots = [{ y: ['train.los'] }]; }), err: /declares no metric 'los' \(did you mean 'train\.loss'\?\)/ });
add({ name: 'plot entry a string', graph: g((x) => { x.plots = ['train.loss']; }), err: /plots\[0\] must be an object/ });

const mod = (d: string, name: string, text: string): string => { const p = join(d, name); writeFileSync(p, text); return p; };

// 7. Command-line arguments (42).
for (const seed of ['-1', '1.5', '1e3', '0x10', '', ' 1', '1 ', 'abc', '+1', '9007199254740993', 'NaN', 'Infinity', '٣', '0b1']) {
  add({ name: `--seed '${seed}'`, graph: counterGraph(), args: ['--seed', seed], err: /--seed must be a non-negative integer in decimal digits/ });
}
add({ name: '--seed twice', graph: counterGraph(), args: ['--seed', '1', '--seed', '2'], err: /--seed given 2 times/ });
add({ name: '--out is a file', graph: counterGraph(), argv: (d, f) => { writeFileSync(join(d, 'file'), 'x'); return ['run', f, ...NODES, '--out', join(d, 'file')]; }, err: /--out .* is a file/ });
add({ name: '--out under a file', graph: counterGraph(), argv: (d, f) => { writeFileSync(join(d, 'file'), 'x'); return ['run', f, ...NODES, '--out', join(d, 'file', 'run')]; }, err: /is under .*file, which is a file/ });
add({ name: '--out deep under a file', graph: counterGraph(), argv: (d, f) => { writeFileSync(join(d, 'file'), 'x'); return ['run', f, ...NODES, '--out', join(d, 'file', 'a', 'b')]; }, err: /which is a file/ });
add({ name: '--out empty', graph: counterGraph(), argv: (_d, f) => ['run', f, ...NODES, '--out', ''], err: /--out must name a directory, but got an empty string/ });
add({ name: '--out blank', graph: counterGraph(), argv: (_d, f) => ['run', f, ...NODES, '--out', '   '], err: /--out must name a directory/ });
for (const p of ['/dev/null', '/dev/shm/x', '/proc/self', '/sys/x']) add({ name: `--out ${p}`, graph: counterGraph(), argv: (_d, f) => ['run', f, ...NODES, '--out', p], err: /is a system path/ });
add({ name: '--out already holds a run', graph: counterGraph(), argv: (d, f) => { mkdirSync(join(d, 'old')); writeFileSync(join(d, 'old', 'manifest.json'), '{}'); return ['run', f, ...NODES, '--out', join(d, 'old')]; }, err: /already holds a run/ });
add({ name: '--out in use by a live process', graph: counterGraph(), argv: (d, f) => { mkdirSync(join(d, 'busy')); writeFileSync(join(d, 'busy', 'eigenflow.lock'), `${process.pid}\n`); return ['run', f, ...NODES, '--out', join(d, 'busy')]; }, err: new RegExp(`is in use by another eigenflow run \\(process ${process.pid}\\)`) });
add({ name: '--out with a stale lock', graph: counterGraph(), argv: (d, f) => { mkdirSync(join(d, 'stale')); writeFileSync(join(d, 'stale', 'eigenflow.lock'), '999999999\n'); return ['run', f, ...NODES, '--out', join(d, 'stale')]; }, err: /stale lock from process 999999999, which is no longer running.*rm ".*eigenflow\.lock"/ });
add({ name: '--out with a garbled lock', graph: counterGraph(), argv: (d, f) => { mkdirSync(join(d, 'g')); writeFileSync(join(d, 'g', 'eigenflow.lock'), 'garbage'); return ['run', f, ...NODES, '--out', join(d, 'g')]; }, err: /stale lock from an unknown process/ });
add({ name: '--backend unknown', graph: counterGraph(), args: ['--backend', 'gpu9'], err: /--backend must be one of/ });
add({ name: 'unknown option', graph: counterGraph(), args: ['--frobnicate', '1'], err: /unknown option --frobnicate/ });
add({ name: 'option without value', graph: counterGraph(), args: ['--set'], err: /--set needs a value/ });
add({ name: '--set without =', graph: counterGraph(), args: ['--set', 'steps'], err: /expected NAME=VALUE/ });
add({ name: '--set =1', graph: counterGraph(), args: ['--set', '=1'], err: /expected NAME=VALUE/ });
add({ name: '--set unknown graph param', graph: counterGraph(), args: ['--set', 'sigma=1'], err: /'sigma' is not a graph parameter/ });
add({ name: '--set unknown node', graph: counterGraph(), args: ['--set', 'nope.x=1'], err: /there is no node 'nope'/ });
add({ name: '--set wrong type', graph: counterGraph(), args: ['--set', 'steps="a"'], err: /steps must be a finite number/ });
add({ name: '--set unknown node param', graph: counterGraph(), args: ['--set', 'train.stepz=1'], err: /stepz is not a parameter of ft\.count/ });
add({ name: 'two graph files', graph: counterGraph(), argv: (_d, f) => ['run', f, f, ...NODES], err: /takes one graph file, got/ });
add({ name: 'no graph file', argv: () => ['run', ...NODES], err: /takes one graph file, got none/ });
add({ name: 'missing graph file', argv: (d) => ['run', join(d, 'nope.json'), ...NODES], err: /cannot read graph file: no such file/ });
add({ name: 'graph file is a directory', argv: (d) => ['run', d, ...NODES], err: /cannot read graph file/ });
add({ name: 'unknown command', argv: () => ['rnu'], err: /unknown command 'rnu'/ });
add({ name: 'graph --svg into a missing directory', graph: counterGraph(), argv: (d, f) => ['graph', f, ...NODES, '--svg', join(d, 'no', 'such', 'dir', 'g.svg')], err: /--svg .*: cannot write it/ });
add({ name: 'graph without --svg', graph: counterGraph(), argv: (_d, f) => ['graph', f, ...NODES], err: /needs --svg/ });
add({ name: 'nodes with a bad --nodes module', argv: (d) => ['nodes', '--nodes', mod(d, 'bad.mjs', 'export const nodes = 3;')], err: /its `nodes` is number 3/ });
add({ name: 'validate with --out', graph: counterGraph(), argv: (_d, f) => ['validate', f, '--out', 'x'], err: /unknown option --out/ });

// 8. --nodes modules (13).
const nodeDef = (extra = ''): string => `{ type: 'zz.ok', doc: 'd', params: {}, inputs: {}, outputs: {}, run: () => ({}) ${extra} }`;
for (const [name, text, why] of [
  ['module with a syntax error', 'export const nodes = [;', /--nodes .*bad\.mjs: cannot load it/],
  ['module that throws on import', 'throw new Error("kaboom");\nexport const nodes = [];', /cannot load it \(kaboom\)/],
  ['module without nodes', 'export const other = 1;', /must export `nodes`.*exports no `nodes`/],
  ['nodes not an array', 'export const nodes = { a: 1 };', /its `nodes` is an object/],
  ['element not an object', 'export const nodes = [42];', /definition 0 must be a node definition object but is number 42/],
  ['definition without run', `export const nodes = [{ type: 'zz.a', doc: 'd', params: {}, inputs: {}, outputs: {} }];`, /definition 0 \('zz\.a'\): run must be a function/],
  ['definition with a bad type name', `export const nodes = [{ ...${nodeDef()}, type: 'Bad Name' }];`, /definition 0 \('Bad Name'\): type must be 'family\.name'/],
  ['definition with params a list', `export const nodes = [{ ...${nodeDef()}, params: [] }];`, /params must be an object but is an array/],
  ['definition with a malformed port', `export const nodes = [{ ...${nodeDef()}, outputs: { out: 'matrix' } }];`, /outputs\.out must be a port \{type, doc\}/],
  ['definition with a malformed param', `export const nodes = [{ ...${nodeDef()}, params: { n: 3 } }];`, /params\.n must be a parameter \{type, doc\}/],
  ['definition with cost not a function', `export const nodes = [{ ...${nodeDef()}, cost: 5 }];`, /cost must be a function/],
  ['duplicate type within the module', `export const nodes = [${nodeDef()}, ${nodeDef()}];`, /definition 1 \('zz\.ok'\) has the same type as definition 0/],
  ['type that duplicates a built-in', `export const nodes = [{ ...${nodeDef()}, type: 'gen.gaussian' }];`, /definition 0 \('gen\.gaussian'\): node type 'gen\.gaussian' is already registered/],
] as const) add({ name: `--nodes: ${name}`, graph: counterGraph(), argv: (d, f) => ['run', f, ...NODES, '--nodes', mod(d, 'bad.mjs', text), '--out', join(d, 'out')], err: why });
add({ name: '--nodes: missing module', graph: counterGraph(), argv: (d, f) => ['run', f, '--nodes', join(d, 'nope.mjs')], err: /--nodes .*nope\.mjs: cannot load it/ });

// 9. Resources (6).
add({ name: 'cost over the machine', graph: { name: 'big', params: {}, nodes: { b: { type: 'ft.big', params: { n: 1e9 } } } }, err: /would allocate about 6\.\d+ EB|would allocate about .* more than the limit of .* \(80% of this machine's/ });
add({ name: 'cost summed over nodes', graph: { name: 'big', params: { n: 3e5 }, nodes: { a: { type: 'ft.big', params: { n: '$n' } }, b: { type: 'ft.big', params: { n: '$n' } } } }, err: /\(a: .*, b: .*\), more than the limit/ });
add({ name: 'cost via --set', graph: { name: 'big', params: { n: 10 }, nodes: { b: { type: 'ft.big', params: { n: '$n' } } } }, args: ['--set', 'n=1e9'], err: /would allocate about .* more than the limit/ });
add({ name: 'gen.gaussian of 1e6 × 1e6', graph: { name: 'big', params: {}, nodes: { g: { type: 'gen.gaussian', params: { rows: 1e6, cols: 1e6 } } } }, err: /g: 7\.28 TB/ });
add({ name: 'data.sparseFeatures with n = 1e9', graph: { name: 'big', params: {}, nodes: { d: { type: 'data.sparseFeatures', params: { n: 1e9, p: 0.1 } } } }, err: /d: [\d.]+ TB\), more than the limit/ });
add({ name: 'gen.nonlinearLowRank with n = [1e7]', graph: { name: 'big', params: {}, nodes: { g: { type: 'gen.nonlinearLowRank', params: { n: [1e7] } } } }, err: /g: [\d.]+ PB\), more than the limit/ });

describe(`malformed input (${cases.length} cases): exit 2, a clear message, nothing written`, () => {
  for (const c of cases) {
    it(c.name, async () => {
      const dir = tmp();
      const file = c.graph === undefined ? join(dir, 'graph.json') : graphFile(c.graph, dir);
      const out = join(dir, 'out');
      const argv = c.argv ? c.argv(dir, file, out) : ['run', file, ...NODES, '--out', out, ...(c.args ?? [])];
      const r = await cli(argv);
      assert.equal(r.code, 2, `exit ${r.code}; stderr: ${r.err}`);
      assert.match(r.err, c.err);
      assert.match(r.err, /^eigenflow: /);
      assert.doesNotMatch(r.err, /\n\s+at .*:\d+:\d+/, 'no stack trace');
      assert.equal(existsSync(join(out, 'manifest.json')), false, 'no manifest written');
      assert.equal(existsSync(join(out, 'metrics.jsonl')), false, 'no metrics written');
    });
  }
  it('accepts a UTF-8 byte-order mark', async () => {
    const file = graphFile(`\uFEFF${JSON.stringify(counterGraph())}`);
    const r = await cli(['validate', file, ...NODES]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /faults: valid/);
  });
  it('treats an ordinary inherited-looking value as a value ($ref strings, plot titles)', async () => {
    const file = graphFile(g((x) => { x.plots = [{ title: 'constructor', y: ['train.loss'], file: 'toString' }]; }));
    assert.equal((await cli(['validate', file, ...NODES])).code, 0);
  });
  it('has at least 150 cases', () => { assert.ok(cases.length >= 150, `${cases.length}`); void FIXTURES; });
});
