import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { system } from '../../../nodes/ssm/system.ts';
import { svd } from '@eigenflow/linalg';
import type { SsmSystem } from '../../../nodes/ssm/types.ts';
import { expectArraysClose } from '../../helpers.ts';

const make = (params: Record<string, unknown>, seed = 0) => runNode(system, { params, seed }).outputs.system as SsmSystem;

describe('ssm.system', () => {
  it('should use explicit A, B, C, D as given', () => {
    const s = make({ n: 2, A: [[0.7, 0.1], [0.2, 0.6]], B: [1, 0], C: [1, 0], D: 0.5 });
    expectArraysClose(s.A!.data, [0.7, 0.1, 0.2, 0.6], 0);
    expectArraysClose(s.B, [1, 0], 0); expectArraysClose(s.C, [1, 0], 0);
    assert.equal(s.D, 0.5); assert.equal(s.kind, 'dense');
  });

  it('should draw a dense A with spectral norm = radius, reproducibly from (run seed, seed param)', () => {
    const a = make({ n: 6, radius: 0.7 }, 1), b = make({ n: 6, radius: 0.7 }, 1), c = make({ n: 6, radius: 0.7, seed: 1 }, 1);
    assert.ok(Math.abs(svd(a.A!).s[0] - 0.7) < 1e-12);
    assert.deepEqual(Array.from(a.A!.data), Array.from(b.A!.data));
    assert.notDeepEqual(Array.from(a.A!.data), Array.from(c.A!.data));
  });

  it('should estimate the spectral norm of a large A by power iteration (checked against the Jacobi SVD)', () => {
    const A = make({ n: 160, radius: 1 }, 2).A!;
    const exact = svd(A).s[0];
    assert.ok(Math.abs(exact - 1) < 1e-3, `σ_max = ${exact}`);
  });

  it('should draw diagonal λ in [−radius, radius] and a DPLR p with ‖p‖² = alpha', () => {
    const d = make({ kind: 'diagonal', n: 50, radius: 0.5 });
    assert.equal(d.lambda!.length, 50); assert.ok(d.lambda!.every((x) => Math.abs(x) <= 0.5)); assert.equal(d.A, undefined);
    const p = make({ kind: 'dplr', n: 9, alpha: 0.2, shift: 0.9 });
    assert.ok(Math.abs(p.p!.reduce((s, x) => s + x * x, 0) - 0.2) < 1e-14); assert.equal(p.shift, 0.9);
  });

  it('should, with onMismatch = "random", keep what fits and draw the rest (so a graph can switch kind and n)', () => {
    const ex = { n: 2, A: [[0.7, 0.1], [0.2, 0.6]], B: [1, 0], C: [1, 0], onMismatch: 'random' };
    const dense = make(ex);
    const dplr = make({ ...ex, kind: 'dplr' });
    expectArraysClose(dplr.B, dense.B, 0); assert.equal(dplr.A, undefined); assert.equal(dplr.p!.length, 2);
    const big = make({ ...ex, kind: 'dense', n: 5 });
    assert.equal(big.A!.rows, 5); assert.equal(big.B.length, 5); assert.equal(big.C.length, 5);
    assert.ok(Math.abs(svd(big.A!).s[0] - 0.9) < 1e-12);
    assert.throws(() => make({ ...ex, B: 'x' }), /B must be an array of 2 finite numbers/);
  });

  it('should, by default, refuse a structure parameter of another kind, naming the one to use', () => {
    assert.throws(() => make({ kind: 'dplr', n: 2, A: [[0.7, 0.1], [0.2, 0.6]] }), /A applies only to kind = "dense" but kind = "dplr" \(which takes p and lambda\); set A = null/);
    assert.throws(() => make({ kind: 'dense', n: 2, lambda: [0.1, 0.2] }), /lambda applies only to kind = "diagonal" or "dplr" but kind = "dense" \(which takes A\)/);
  });

  it('should reject a wrongly shaped A, naming the shape expected and found and the fix', () => {
    assert.throws(() => make({ n: 3, A: [[0.7, 0.1], [0.2, 0.6]] }), /A must be 3×3 \(n = 3\) but got 2 rows of lengths \[2, 2\]; set n to match or A = null/);
    assert.throws(() => make({ n: 2, A: [[0.7, 0.1], [0.2]] }), /A must be 2×2 \(n = 2\) but got 2 rows of lengths \[2, 1\]/);
    assert.throws(() => make({ n: 2, A: [0.7, 0.1] }), /A must be an n×n array of rows of finite numbers \(or null: drawn at random from seed\) but got an array of length 2/);
    assert.throws(() => make({ n: 2, A: [[0.7, 0.1], [0.2, 'x']] }), /A must hold finite numbers but A\[1\]\[1\] = "x"/);
    assert.throws(() => make({ n: 2, B: [1, null] }), /B must be an array of 2 finite numbers but B\[1\] = null/);
  });

  it('should reject B, C, lambda, p of the wrong length and report every problem at once', () => {
    assert.throws(() => make({ n: 4, B: [1, 0], C: [1] }), (e: Error) => /B must have n = 4 entries \(the state size\) but got 2/.test(e.message) && /C must have n = 4 entries/.test(e.message));
    assert.throws(() => make({ kind: 'diagonal', n: 3, lambda: [0.5] }), /lambda must have n = 3 entries/);
    assert.throws(() => make({ kind: 'dplr', n: 3, p: 'big' }), /p must be an array of 3 finite numbers .* but got string "big"/);
  });

  it('should reject a bad kind and a dense n too large to store', () => {
    assert.throws(() => make({ kind: 'sparse' }), /ssm\.system\.params\.kind must be one of "dense", "diagonal", "dplr" but got "sparse"/);
    assert.throws(() => make({ n: 5000 }), /n = 5000 is too large for kind = "dense" .*0\.2 GB.*use n ≤ 4096 or kind = "diagonal" \/ "dplr"/);
    assert.throws(() => make({ n: 0 }), /params\.n must be ≥ 1 but got 0/);
  });
});
