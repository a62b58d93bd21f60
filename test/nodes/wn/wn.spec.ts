import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { runNode } from '../../../src/testing.ts';
import { matrix64, matmul, transpose, symEig, svd, type Matrix64, orthonormalColumns } from '@eigenflow/linalg';
import { deriveRng } from '../../../src/rng.ts';
import { identity } from '../../../nodes/wn/identity.ts';
import { asymmetric } from '../../../nodes/wn/asymmetric.ts';
import { symmetric } from '../../../nodes/wn/symmetric.ts';
import { lowRank } from '../../../nodes/wn/lowRank.ts';
import { residual } from '../../../nodes/wn/residual.ts';
import { expectArraysClose, expectNoLeak, useWasm } from '../../helpers.ts';

const at = (w: Matrix64, n: number) => (i: number, j: number) => w.data[i * n + j]!;

describe('wn builders', () => {
  before(useWasm);

  it('should build I with a flat spectrum of ones', async () => {
    await expectNoLeak(() => {
      const r = runNode(identity, { params: { n: 5 } });
      expectArraysClose(r.outputs.out.data, Array.from({ length: 25 }, (_, k) => (k % 6 === 0 ? 1 : 0)));
      expectArraysClose(r.values('singular_values')[0] as number[], [1, 1, 1, 1, 1], 1e-12);
      r.dispose();
    });
  });

  it('should build asymmetric noise: unit diagonal, off-diagonal N(0, σ²), not symmetric', async () => {
    await expectNoLeak(() => {
      const n = 120, sigma = 0.05;
      const r = runNode(asymmetric, { params: { n, sigma }, seed: 1 });
      const w = at(r.outputs.out, n);
      let s = 0, s2 = 0, cnt = 0, asym = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        if (i === j) { assert.equal(w(i, j), 1); continue; }
        s += w(i, j); s2 += w(i, j) ** 2; cnt++; asym += Math.abs(w(i, j) - w(j, i));
      }
      assert.ok(Math.abs(s / cnt) < 5 * sigma / Math.sqrt(cnt));
      assert.ok(Math.abs(Math.sqrt(s2 / cnt) / sigma - 1) < 0.03);
      assert.ok(asym > 0);
      r.dispose();
    });
  });

  it('should build symmetric noise whose eigenvalues follow the semicircle of radius 2σ√n around 1', async () => {
    await expectNoLeak(() => {
      const n = 200, sigma = 0.05;
      const r = runNode(symmetric, { params: { n, sigma }, seed: 2 });
      const w = at(r.outputs.out, n);
      for (let i = 0; i < n; i++) { assert.equal(w(i, i), 1); for (let j = 0; j < i; j++) assert.equal(w(i, j), w(j, i)); }
      const ev = r.values('eigenvalues')[0] as number[];
      const radius = 2 * sigma * Math.sqrt(n);
      assert.ok(Math.abs(ev[0]! - 1 - radius) < 0.1 * radius, `top ${ev[0]} vs ${1 + radius}`);
      assert.ok(Math.abs(ev.at(-1)! - 1 + radius) < 0.1 * radius);
      // Semicircle second moment: mean (λ − 1)² = σ²(n − 1).
      const m2 = ev.reduce((a, l) => a + (l - 1) ** 2, 0) / n;
      assert.ok(Math.abs(m2 / (sigma ** 2 * (n - 1)) - 1) < 0.05);
      r.dispose();
    });
  });

  it('should mirror the asymmetric noise of the same stream into the symmetric matrix', async () => {
    await expectNoLeak(() => {
      const a = runNode(residual, { params: { kind: 'asymmetric', n: 9, sigma: 0.3 }, seed: 5 });
      const s = runNode(residual, { params: { kind: 'symmetric', n: 9, sigma: 0.3 }, seed: 5 });
      const wa = at(a.outputs.out, 9), ws = at(s.outputs.out, 9);
      for (let i = 0; i < 9; i++) for (let j = i + 1; j < 9; j++) { assert.equal(ws(i, j), wa(i, j)); assert.equal(ws(j, i), wa(i, j)); }
      a.dispose(); s.dispose();
    });
  });

  it('should keep the noise on the diagonal with noiseDiagonal = keep, and change nothing else', async () => {
    await expectNoLeak(() => {
      const n = 150, sigma = 0.05;
      for (const kind of ['asymmetric', 'symmetric', 'lowRank']) {
        const params = { kind, n, sigma, rank: 3, alpha: 2 };
        const zero = runNode(residual, { params, seed: 4 }), keep = runNode(residual, { params: { ...params, noiseDiagonal: 'keep' }, seed: 4 });
        const z = at(zero.outputs.out, n), k = at(keep.outputs.out, n);
        let s2 = 0, diag = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          if (i !== j) { assert.equal(k(i, j), z(i, j)); continue; }
          assert.equal(z(i, i), 1);
          s2 += (k(i, i) - 1) ** 2; diag += k(i, i) - 1;
        }
        if (kind === 'lowRank') {
          // diag(αUUᵀ) sums to α·tr(UUᵀ) = α·r exactly (float64: to rounding).
          assert.ok(Math.abs(diag - 2 * 3) < 1e-12, `lowRank: Σ diag noise = ${diag}`);
        } else {
          // σ²χ²_n/n: relative sd √(2/n) ≈ 0.115, so 5 sd is 0.58.
          assert.ok(Math.abs(s2 / n / sigma ** 2 - 1) < 0.58, `${kind}: diagonal noise variance ${s2 / n} vs ${sigma ** 2}`);
        }
        zero.dispose(); keep.dispose();
      }
      // Asymmetric and symmetric noise draw the same B from the same stream: with the diagonal
      // kept, their diagonals are equal entry for entry.
      const a = runNode(residual, { params: { kind: 'asymmetric', n, sigma, noiseDiagonal: 'keep' }, seed: 4 });
      const b = runNode(residual, { params: { kind: 'symmetric', n, sigma, noiseDiagonal: 'keep' }, seed: 4 });
      const ad = at(a.outputs.out, n), bd = at(b.outputs.out, n);
      for (let i = 0; i < n; i++) assert.equal(ad(i, i), bd(i, i));
      a.dispose(); b.dispose();
    });
  });

  it('should orthonormalise columns spanning the same space (QR)', () => {
    const a = matrix64(30, 4, deriveRng(6, 'qr').fillNormal(new Float64Array(120)));
    const q = orthonormalColumns(a);
    expectArraysClose(matmul(transpose(q), q).data, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 1e-12);
    // a = q (qᵀa): the projection onto span(q) leaves a unchanged.
    expectArraysClose(matmul(q, matmul(transpose(q), a)).data, a.data, 1e-10);
    assert.throws(() => orthonormalColumns(matrix64(3, 2, [1, 2, 2, 4, 3, 6])), /linearly dependent/);
  });

  it('should build I + αUUᵀ with unit diagonal: r eigenvalues near 1 + α, the rest near 1 (Weyl bounds)', async () => {
    await expectNoLeak(() => {
      const n = 80, rank = 3, alpha = 2;
      const r = runNode(lowRank, { params: { n, rank, alpha }, seed: 7 });
      const w = at(r.outputs.out, n);
      let maxDiagRemoved = 0;
      for (let i = 0; i < n; i++) assert.equal(w(i, i), 1);
      // Wn = I + αUUᵀ − α·diag(UUᵀ); the removed diagonal is ≥ 0, so each eigenvalue of Wn lies in
      // [λ(I + αUUᵀ) − α·max diag, λ(I + αUUᵀ)], with λ(I + αUUᵀ) = 1 + α (r times), 1 otherwise.
      const ev = r.values('eigenvalues')[0] as number[];
      // max diag(UUᵀ) is unknown here but ≤ 1; for n = 80, r = 3 it is small: recover it as the largest
      // deficit, and require it to be well under 1.
      for (let i = 0; i < n; i++) maxDiagRemoved = Math.max(maxDiagRemoved, (i < rank ? 1 + alpha : 1) - ev[i]!);
      assert.ok(maxDiagRemoved >= 0 && maxDiagRemoved < 0.4 * alpha, `deficit ${maxDiagRemoved}`);
      for (let i = 0; i < rank; i++) assert.ok(ev[i]! <= 1 + alpha + 1e-9);
      for (let i = rank; i < n; i++) assert.ok(ev[i]! <= 1 + 1e-9);
      expectArraysClose(ev.reduce((a, b) => a + b, 0), n, 1e-9);
      r.dispose();
    });
  });

  it('should give singular values of I + σB equal to those computed from its matrix', async () => {
    await expectNoLeak(() => {
      const r = runNode(residual, { params: { kind: 'asymmetric', n: 12, sigma: 0.4 }, seed: 8 });
      const d = Float64Array.from(r.outputs.out.data as Float64Array);
      const sv = svd(matrix64(12, 12, d)).s;
      // Independent: the squared singular values are the eigenvalues of WᵀW.
      const m = matrix64(12, 12, d);
      const eig = symEig(matmul(transpose(m), m)).values;
      expectArraysClose(Array.from(sv, (s) => s * s), eig, 1e-9);
      // The metric comes from the same float64 matrix the port carries.
      expectArraysClose(r.values('singular_values')[0] as number[], sv, 1e-12);
      r.dispose();
    });
  });

  it('should reject an unknown kind and a rank above n', () => {
    assert.throws(() => runNode(residual, { params: { kind: 'gaussian', n: 4 } }), /params\.kind must be one of "identity", "asymmetric", "symmetric", "lowRank" but got "gaussian"/);
    assert.throws(() => runNode(lowRank, { params: { n: 4, rank: 5, alpha: 1 } }), /rank must be at most n \(got rank=5, n=4\)/);
    assert.throws(() => runNode(asymmetric, { params: { n: 4, sigma: -1 } }), /params\.sigma must be ≥ 0 but got -1/);
  });
});
