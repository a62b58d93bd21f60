/**
 * The WebAssembly SIMD kernels (kernels/linalg.wat) against plain TypeScript statements of what
 * each one computes, on odd and even lengths (the SIMD loops do two entries at a time, then a
 * scalar tail). Node ≥ 20 has WebAssembly SIMD, so these tests require the kernels to load: a
 * silent fallback to TypeScript would otherwise hide a broken build.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kernelArrays, kernelMemory, kernelsAvailable, loadKernels } from '../src/wasmKernel.ts';
import { bidiagonalize, formUt, formVt } from '../src/bidiagonalize.ts';
import { formQt, tridiagonalize } from '../src/tridiagonalize.ts';
import { bidiagQr } from '../src/bidiagQr.ts';
import { deriveRng } from './helpers.ts';
import { expectArraysClose } from './helpers.ts';

const rng = deriveRng(14, 'wasm-kernels');
const fillRandom = (x: Float64Array) => { for (let i = 0; i < x.length; i++) x[i] = rng.normal(); };

/** One memory holding arrays of the given lengths, filled with normals, and a plain copy of each. */
function workspace(lengths: number[]) {
  const ws = kernelArrays(lengths);
  assert.ok(ws, 'the SIMD kernels must load on Node ≥ 20');
  ws.arrays.forEach(fillRandom);
  return { k: ws.k, arrays: ws.arrays, copies: ws.arrays.map((a) => Float64Array.from(a)) };
}

describe('WebAssembly SIMD kernels', () => {
  it('should compile in this runtime', () => {
    assert.equal(kernelsAvailable(), true);
    assert.ok(loadKernels(kernelMemory(65536)));
  });

  for (const n of [9, 10]) {
    it(`rows: one bidiagonalisation step on a 12×${n} matrix equals the TypeScript statement`, () => {
      const m = 12, k = 2, tl = 0.7, tr = 1.3, scale = 0.9;
      const { k: kern, arrays: [a, w, u, p], copies: [A, W, U, P] } = workspace([m * n, n, n, n]);
      kern.rows(a.byteOffset, n, k + 1, m, k, w.byteOffset, u.byteOffset, p.byteOffset, tl, tr, scale);
      for (let i = k + 1; i < m; i++) {
        const r = i * n;
        A[r + k] *= scale;
        const cl = tl * A[r + k];
        let s = 0;
        for (let j = k + 1; j < n; j++) { A[r + j] -= cl * W[j]; s += A[r + j] * U[j]; }
        s *= tr;
        A[r + k + 1] -= s;
        const x0 = i > k + 1 ? A[r + k + 1] : 0;
        P[k + 1] += x0 * x0; // the next column's sum of squares
        for (let j = k + 2; j < n; j++) { A[r + j] -= s * U[j]; P[j] += x0 * A[r + j]; }
      }
      expectArraysClose(a, A, 1e-12);
      expectArraysClose(p, P, 1e-12);
    });

    it(`tri: the rank-2 update and product on an ${n}×${n} lower triangle equals the TypeScript statement`, () => {
      const lo = 2;
      const { k: kern, arrays: [a, v, w, vn, yn], copies: [A, V, W, VN, YN] } = workspace([n * n, n, n, n, n]);
      kern.tri(a.byteOffset, n, lo, lo, n, v.byteOffset, w.byteOffset, vn.byteOffset, yn.byteOffset);
      for (let i = lo; i < n; i++) {
        let acc = 0;
        for (let j = lo; j < i; j++) {
          A[i * n + j] -= V[i] * W[j] + W[i] * V[j];
          acc += A[i * n + j] * VN[j];
          YN[j] += A[i * n + j] * VN[i];
        }
        A[i * n + i] -= 2 * V[i] * W[i];
        YN[i] += acc + A[i * n + i] * VN[i];
      }
      expectArraysClose(a, A, 1e-12);
      expectArraysClose(yn, YN, 1e-12);
    });

    it(`refl and rot on rows of length ${n} equal the TypeScript statements`, () => {
      const rows = 5, tau = 1.4, c = 0.6, s = 0.8;
      const { k: kern, arrays: [x, v], copies: [X, V] } = workspace([rows * n, n]);
      kern.refl(x.byteOffset, rows, n * 8, n, v.byteOffset, tau);
      for (let r = 0; r < rows; r++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += X[r * n + j] * V[j];
        for (let j = 0; j < n; j++) X[r * n + j] -= tau * dot * V[j];
      }
      expectArraysClose(x, X, 1e-12);
      kern.rot(x.byteOffset, x.byteOffset + 3 * n * 8, n, c, s);
      for (let j = 0; j < n; j++) {
        const p = X[j], q = X[3 * n + j];
        X[j] = c * p + s * q; X[3 * n + j] = c * q - s * p;
      }
      expectArraysClose(x, X, 1e-12);
    });
  }

  it('should run inside the reductions from 64×64 and agree with their TypeScript paths', () => {
    const m = 70, n = 65;
    const a = new Float64Array(m * n); fillRandom(a);
    const x = Float64Array.from(a), y = Float64Array.from(a);
    const p = bidiagonalize(x, m, n), q = bidiagonalize(y, m, n, { wasm: false });
    assert.equal(p.simd, true); assert.equal(q.simd, false);
    expectArraysClose(p.d, q.d, 1e-10); expectArraysClose(p.e, q.e, 1e-10);
    expectArraysClose(x, y, 1e-10);
    // Uᵀ and Vᵀ by the refl kernel equal the TypeScript loops; rotations by rot likewise
    const mem = kernelArrays([n * m, n * n, m, n, n, n, n]);
    assert.ok(mem);
    const [cs, sn, cs2, sn2] = mem.arrays.slice(3);
    const utK = formUt(x, m, n, p.tauL, { k: mem.k, out: mem.arrays[0], scratch: mem.arrays[2] });
    const vtK = formVt(x, n, p.tauR, { k: mem.k, out: mem.arrays[1], scratch: mem.arrays[2] });
    const utT = formUt(x, m, n, p.tauL), vtT = formVt(x, n, p.tauR);
    expectArraysClose(utK, utT, 1e-12); expectArraysClose(vtK, vtT, 1e-12);
    const dK = Float64Array.from(p.d), eK = Float64Array.from(p.e), dT = Float64Array.from(p.d), eT = Float64Array.from(p.e);
    bidiagQr(dK, eK, utK, m, vtK, { k: mem.k, team: null, cs, sn, cs2, sn2 });
    bidiagQr(dT, eT, utT, m, vtT, null);
    expectArraysClose(dK, dT, 1e-12); expectArraysClose(utK, utT, 1e-10); expectArraysClose(vtK, vtT, 1e-10);

    const s = new Float64Array(n * n); fillRandom(s);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) s[j * n + i] = s[i * n + j];
    const t1 = Float64Array.from(s), t2 = Float64Array.from(s);
    const tk = tridiagonalize(t1, n), tt = tridiagonalize(t2, n, { wasm: false });
    assert.equal(tk.simd, true); assert.equal(tt.simd, false);
    expectArraysClose(tk.d, tt.d, 1e-10); expectArraysClose(tk.e, tt.e, 1e-10);
    const qmem = kernelArrays([n * n, n]);
    assert.ok(qmem);
    expectArraysClose(formQt(t1, n, tk.tau, { k: qmem.k, out: qmem.arrays[0], scratch: qmem.arrays[1] }), formQt(t1, n, tk.tau), 1e-12);
  });

  it('should stay on the TypeScript path below 64×64', () => {
    const a = new Float64Array(40 * 30); fillRandom(a);
    assert.equal(bidiagonalize(a, 40, 30).simd, false);
    assert.equal(tridiagonalize(new Float64Array(30 * 30), 30).simd, false);
  });
});
