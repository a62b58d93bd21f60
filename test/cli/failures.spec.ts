/** What the command line says when a graph names a type nobody loaded, and when a node fails (with --verbose: where). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, counterGraph, graphFile, NODES, tmp } from '../faults/harness.ts';

describe('failure messages', () => {
  it('should suggest --nodes for a type whose family nothing registered', async () => {
    const r = await cli(['validate', graphFile(counterGraph(5))]);
    assert.equal(r.code, 2);
    assert.match(r.err, /nodes\.train\.type: unknown node type 'ft\.count'; no node type of family 'ft' is registered: load the module that defines it with --nodes MODULE/);
  });

  it('should name the failing node and its step, and print the stack only with --verbose', async () => {
    const dir = tmp();
    const file = graphFile(counterGraph(20, { throwAt: 7 }), dir);
    const plain = await cli(['run', file, ...NODES, '--out', join(dir, 'a'), '--quiet']);
    assert.equal(plain.code, 1);
    assert.match(plain.err, /run failed: node 'train' \(ft\.count\) failed after step 6: boom at step 7/);
    assert.doesNotMatch(plain.err, /^\s+at /m);
    const verbose = await cli(['run', file, ...NODES, '--out', join(dir, 'b'), '--quiet', '--verbose']);
    assert.equal(verbose.code, 1);
    assert.match(verbose.err, /Error: boom at step 7\n\s+at .*fixtures\.ts/);
  });
});
