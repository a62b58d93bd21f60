import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineNode, getNode, registerNode, registerNodes, unregisterNode } from '../../src/index.ts';

const make = () => defineNode({ type: 'reg.twice', doc: 'd', params: {}, inputs: {}, outputs: {}, metrics: {}, run: () => ({}) });

describe('node registry', () => {
  it('should treat registering the same definition again as a no-op', () => {
    const def = make();
    try {
      registerNode(def);
      assert.doesNotThrow(() => registerNodes([def, def]));
      assert.equal(getNode('reg.twice'), def);
    } finally {
      unregisterNode('reg.twice');
    }
  });

  it('should refuse a different definition under a registered name, saying how to replace it', () => {
    try {
      registerNode(make());
      assert.throws(() => registerNode(make()), /Node type 'reg\.twice' is registered twice, by two different definitions \(unregisterNode\('reg\.twice'\) first/);
    } finally {
      unregisterNode('reg.twice');
    }
  });
});
