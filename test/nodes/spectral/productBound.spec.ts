import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from '../../../src/testing.ts';
import { matmul, matrix64 } from '@eigenflow/linalg';
import { deriveRng } from '../../../src/rng.ts';
import { productBound } from '../../../nodes/spectral/productBound.ts';
import { withSingularValues } from './spectralTestUtil.ts';

const one = (r: ReturnType<typeof runNode>, name: string) => r.values(name)[0] as number;

describe('spectral.productBound', () => {
  it('should give κ and the endpoint exponent of constructed matrices exactly', () => {
    const a = 1.7, m = 12;
    const w = withSingularValues(20, m, Array.from({ length: m }, (_, i) => (i + 1) ** (-a / 2)), 1);
    const x = withSingularValues(50, 20, Array.from({ length: 20 }, (_, i) => 1 + i / 19), 2); // κ(X) = 2
    const r = runNode(productBound, { inputs: { x, w, y: matmul(x, w) } });
    assert.ok(Math.abs(one(r, 'kappa_x') - 2) < 1e-12);
    assert.ok(Math.abs(one(r, 'kappa_w') - m ** (a / 2)) < 1e-10);
    assert.ok(Math.abs(one(r, 'alpha_w_end') - a) < 1e-12, 'α̂ = 2 ln κ / ln r of an exact power law is its exponent');
    assert.ok(Math.abs(one(r, 'alpha_w_fit') - a) < 1e-10, 'and so is the fitted exponent');
    // the bound in α form is the κ bound in logs: bound_end = 2 log_r κ_X + α̂_W log_r r_W
    assert.ok(Math.abs(one(r, 'bound_end') - (2 * Math.log(2) + a * Math.log(m)) / Math.log(m)) < 1e-12);
    assert.equal(one(r, 'kappa_ok'), 1);
    assert.equal(one(r, 'ok_end'), 1);
  });

  it('should hold on random full-column-rank samples, expanding and contracting W alike', () => {
    const rng = deriveRng(3, 's');
    for (let s = 0; s < 15; s++) {
      const d = 6 + rng.int(10), m = 2 + rng.int(14), n = d + rng.int(20);
      const x = matrix64(n, d), w = matrix64(d, m);
      rng.fillNormal(x.data); rng.fillNormal(w.data);
      for (let i = 0; i < w.data.length; i++) w.data[i] *= Math.exp(2 * rng.normal()); // heavy-tailed entries
      const r = runNode(productBound, { inputs: { x, w, y: matmul(x, w) } });
      assert.equal(one(r, 'kappa_ok'), 1, `sample ${s}: κ_Y ${one(r, 'kappa_y')} > κ_X κ_W ${one(r, 'kappa_x') * one(r, 'kappa_w')}`);
      assert.equal(one(r, 'ok_end'), 1, `sample ${s}`);
      assert.equal(one(r, 'x_full_rank'), 1);
      assert.ok((r.outputs.margin as number) >= -1e-9);
    }
  });

  it('should show the seed\'s α-form can fail for a fitted exponent while κ and endpoint bounds hold', () => {
    // W = I (κ_W = 1, α_W = 0 by any definition); X's spectrum is flat, drops steeply by C in the
    // middle ranks, then flat again: the OLS slope over ranks is far steeper than 2 ln C / ln r,
    // which is what the seed's bound allows here.
    const d = 32, C = 100;
    const sx = Array.from({ length: d }, (_, i) => (i < 12 ? 1 : i >= 20 ? 1 / C : C ** (-(i - 11) / 8)));
    const x = withSingularValues(64, d, sx, 9);
    const w = matrix64(d, d);
    for (let i = 0; i < d; i++) w.data[i * d + i] = 1;
    const r = runNode(productBound, { inputs: { x, w, y: matmul(x, w) } });
    assert.ok(Math.abs(one(r, 'kappa_x') - C) < 1e-9 * C);
    assert.equal(one(r, 'kappa_ok'), 1);
    assert.equal(one(r, 'ok_end'), 1);
    assert.ok(Math.abs(one(r, 'bound_fit') - 2 * Math.log(C) / Math.log(d)) < 1e-9);
    assert.ok(one(r, 'alpha_y_fit') > 1.2 * one(r, 'bound_fit'), `fitted α_Y ${one(r, 'alpha_y_fit')} vs bound ${one(r, 'bound_fit')}`);
    assert.equal(one(r, 'ok_fit'), 0);
  });

  it('should flag that κ(XW) ≤ κ(X)κ(W) needs X of full column rank: wide X breaks it', () => {
    const rng = deriveRng(5, 'wide');
    let fails = 0;
    for (let t = 0; t < 60; t++) {
      const x = matrix64(3, 5), w = matrix64(5, 3);
      rng.fillNormal(x.data); rng.fillNormal(w.data);
      const r = runNode(productBound, { inputs: { x, w, y: matmul(x, w) } });
      assert.equal(one(r, 'x_full_rank'), 0);
      if (one(r, 'kappa_ok') === 0) { fails++; assert.ok(one(r, 'kappa_y') > one(r, 'kappa_x') * one(r, 'kappa_w')); }
    }
    assert.ok(fails >= 5, `only ${fails} of 60 wide-X draws violate the bound`);
  });

  it('should reject inputs with y ≠ x·w shapes', () => {
    assert.throws(() => runNode(productBound, { inputs: { x: matrix64(5, 3), w: matrix64(4, 2), y: matrix64(5, 2) } }), /spectral\.productBound: x, w, y must have shapes with y = x·w but got x 5×3, w 4×2, y 5×2/);
  });
});
