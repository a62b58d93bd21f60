import { describe, it, before, after, mock } from 'node:test';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, readTensor, selectTensors } from '../../../nodes/io/tensorFormatsInternals.ts';
import { runNode } from '../../../src/testing.ts';
import { tensor } from '../../../nodes/io/tensor.ts';
import { checkpoint } from '../../../nodes/io/checkpoint.ts';
import { npyBytes, zipBytes, safetensorsBytes, writeBytes, type WriteDtype } from './formatWriters.ts';

// Every value is exactly representable in float16 and bfloat16, so every dtype must read back exactly.
const VALUES = [0, 1, -2, 0.5, 3.75, -0.125, 1024, 0.0078125, -6, 96, 0.25, 7];
const SHAPE = [3, 4];
const W = 'test.io';

function load(path: string, name = '*') {
  const ck = openCheckpoint(path, W);
  return readTensor(selectTensors(ck, name, W)[0], W);
}

describe('io loaders', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'eigenflow-io-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const p = (name: string) => join(dir, name);

  it('should read .npy exactly for f2/f4/f8, C and Fortran order, little and big endian, header v1 and v2', () => {
    for (const dtype of ['f16', 'f32', 'f64'] as WriteDtype[]) for (const fortran of [false, true]) for (const bigEndian of [false, true]) for (const version of [1, 2] as const) {
      const file = writeBytes(p(`a-${dtype}-${fortran}-${bigEndian}-${version}.npy`), npyBytes(VALUES, SHAPE, { dtype, fortran, bigEndian, version }));
      const t = load(file);
      assert.deepEqual(t.shape, SHAPE);
      assert.deepEqual(Array.from(t.data), VALUES, `${dtype} fortran=${fortran} bigEndian=${bigEndian} v${version}`);
    }
  });

  it('should read Fortran order of a rank-3 array as row-major', () => {
    const vals = Array.from({ length: 24 }, (_, i) => i - 5);
    const t = load(writeBytes(p('r3.npy'), npyBytes(vals, [2, 3, 4], { fortran: true })));
    assert.deepEqual(t.shape, [2, 3, 4]);
    assert.deepEqual(Array.from(t.data), vals);
  });

  it('should read .npz members, stored and deflated, selected by name and glob', () => {
    for (const deflate of [false, true]) {
      const file = writeBytes(p(`m-${deflate}.npz`), zipBytes([
        { name: 'fc1.weight.npy', data: npyBytes(VALUES, SHAPE, { dtype: 'f32' }) },
        { name: 'fc2.weight.npy', data: npyBytes(VALUES.map((v) => -v), [4, 3], { dtype: 'f64', fortran: true }) },
        { name: 'fc2.bias.npy', data: npyBytes([1, 2, 3], [3], { dtype: 'f16' }) },
      ], deflate));
      const ck = openCheckpoint(file, W);
      assert.deepEqual(ck.tensors.map((t) => t.name), ['fc1.weight', 'fc2.weight', 'fc2.bias']);
      assert.deepEqual(Array.from(load(file, 'fc1.weight').data), VALUES);
      const t2 = load(file, 'fc2.w*');
      assert.deepEqual(t2.shape, [4, 3]);
      assert.deepEqual(Array.from(t2.data), VALUES.map((v) => -v));
      assert.deepEqual(Array.from(load(file, '*.bias').data), [1, 2, 3]);
      assert.deepEqual(selectTensors(ck, '*.weight', W).map((t) => t.name), ['fc1.weight', 'fc2.weight']);
    }
  });

  it('should read .safetensors F64, F32, F16 and BF16 exactly, single file and sharded through *.index.json', () => {
    const tensors = (['f64', 'f32', 'f16', 'bf16'] as WriteDtype[]).map((dtype, i) => ({ name: `layer${i}.${dtype}`, shape: SHAPE, values: VALUES.map((v) => v * (i + 1)), dtype }));
    const single = writeBytes(p('one.safetensors'), safetensorsBytes(tensors));
    for (const t of tensors) assert.deepEqual(Array.from(load(single, t.name).data), Array.from(t.values), t.name);
    writeBytes(p('model-00001-of-00002.safetensors'), safetensorsBytes(tensors.slice(0, 2)));
    writeBytes(p('model-00002-of-00002.safetensors'), safetensorsBytes(tensors.slice(2)));
    const index = p('model.safetensors.index.json');
    writeFileSync(index, JSON.stringify({ metadata: {}, weight_map: Object.fromEntries(tensors.map((t, i) => [t.name, `model-0000${i < 2 ? 1 : 2}-of-00002.safetensors`])) }));
    const ck = openCheckpoint(index, W);
    assert.deepEqual(ck.tensors.map((t) => t.name), tensors.map((t) => t.name));
    for (const t of tensors) assert.deepEqual(Array.from(load(index, t.name).data), Array.from(t.values), `sharded ${t.name}`);
  });

  it('should read a tensor without reading the rest of the file (of a 3 GB sparse file, only the header and that tensor are read)', () => {
    const file = p('big.safetensors');
    const bytes = safetensorsBytes([{ name: 'small', shape: SHAPE, values: VALUES, dtype: 'f32' }, { name: 'huge', shape: [2, 2], values: [0, 0, 0, 0], dtype: 'f32' }], (h) => {
      h.huge.shape = [3 * 2 ** 28]; h.huge.data_offsets = [h.huge.data_offsets[0], h.huge.data_offsets[0] + 3 * 2 ** 30];
    });
    writeBytes(file, bytes);
    const headerEnd = 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true));
    truncateSync(file, headerEnd + 48 + 3 * 2 ** 30);
    // Count the bytes actually read: the header and the small tensor, nothing of the 3 GB.
    let read = 0;
    const original = fs.readSync;
    const spy = mock.method(fs, 'readSync', function (this: unknown, ...args: Parameters<typeof fs.readSync>) {
      const n = (original as (...a: unknown[]) => number).apply(this, args);
      read += n;
      return n;
    });
    syncBuiltinESMExports();
    try {
      assert.deepEqual(Array.from(load(file, 'small').data), VALUES);
    } finally {
      spy.mock.restore();
      syncBuiltinESMExports();
    }
    assert.ok(read > 0 && read <= 8 + headerEnd + 48, `read ${read} bytes; the header and the small tensor are ${headerEnd + 48}`);
  });

  it('should name node, field and file for a missing file, at validation (before the run starts)', () => {
    assert.throws(() => runNode(tensor, { params: { path: p('nope.safetensors'), name: 'x' } }),
      (e: Error) => /^io\.tensor\.params: path: no such file \(file .*nope\.safetensors\)$/.test(e.message));
    assert.throws(() => runNode(checkpoint, { params: { path: p('nope.npz') } }), /io\.checkpoint\.params: path: no such file/);
    assert.throws(() => runNode(checkpoint, { params: { path: p('model.pt') } }), /io\.checkpoint\.params: path: cannot tell the format of .*model\.pt.*\.safetensors/);
    assert.throws(() => openCheckpoint(p('nope.npy'), 'io.tensor.params.path'), /^Error: Error in io\.tensor\.params\.path: no such file \(file .*nope\.npy\)$|^Error in io\.tensor\.params\.path: no such file \(file .*nope\.npy\)$/);
  });

  it('should report truncated files', () => {
    const npy = npyBytes(VALUES, SHAPE, { dtype: 'f64' });
    assert.throws(() => load(writeBytes(p('t1.npy'), npy.subarray(0, npy.length - 8))), /truncated file: shape \(3, 4\) of <f8 needs 96 data bytes but only 88 follow the header/);
    assert.throws(() => load(writeBytes(p('t2.npy'), npy.subarray(0, 40))), /truncated file: the npy header is incomplete/);
    const st = safetensorsBytes([{ name: 'w', shape: SHAPE, values: VALUES, dtype: 'f32' }]);
    assert.throws(() => load(writeBytes(p('t3.safetensors'), st.subarray(0, st.length - 4))), /truncated file: 'w' ends at byte \d+ but the file has \d+ \(file .*t3\.safetensors\)/);
    assert.throws(() => load(writeBytes(p('t4.safetensors'), st.subarray(0, 20))), /truncated file or not a safetensors file: the header claims \d+ bytes but the file has 20/);
    assert.throws(() => load(writeBytes(p('t5.safetensors'), st.subarray(0, 5))), /truncated file: 5 bytes/);
    const npz = zipBytes([{ name: 'w.npy', data: npy }], true);
    assert.throws(() => load(writeBytes(p('t6.npz'), npz.subarray(0, npz.length - 30))), /not a zip archive \(no end-of-central-directory record\): truncated/);
  });

  it('should refuse unsupported dtypes when the tensor is read, naming the dtype', () => {
    const f = writeBytes(p('int.npy'), npyBytes([1, 2, 3, 4], [2, 2], { dtype: 'i4' }));
    assert.throws(() => load(f), /tensor 'int' has dtype <i4; supported: float16, bfloat16, float32, float64 \(file .*int\.npy\)/);
    const st = safetensorsBytes([{ name: 'ids', shape: [2], values: [0, 0, 0, 0], dtype: 'f32' }], (h) => { h.ids.dtype = 'I64'; });
    assert.throws(() => load(writeBytes(p('int.safetensors'), st), 'ids'), /tensor 'ids' has dtype I64/);
  });

  it('should refuse a header that lies about sizes', () => {
    const st = safetensorsBytes([{ name: 'w', shape: SHAPE, values: VALUES, dtype: 'f32' }], (h) => { h.w.shape = [4, 4]; });
    assert.throws(() => load(writeBytes(p('lie.safetensors'), st)), /header lies about 'w': shape \[4, 4\] of F32 needs 64 bytes but data_offsets \[0, 48\] span 48/);
    const liar = npyBytes(VALUES, SHAPE, { dtype: 'f64' });
    const bigger = new Uint8Array(liar.length + 16); bigger.set(liar);
    assert.throws(() => load(writeBytes(p('lie.npz'), zipBytes([{ name: 'w.npy', data: bigger }], false))), /member 'w\.npy' header lies about its size: shape \(3, 4\) of <f8 needs \d+ bytes but the member holds \d+/);
  });

  it('should list what exists when a name matches nothing (a few, then …)', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ name: `block${i}.weight`, shape: [2, 2], values: [1, 2, 3, 4], dtype: 'f32' as const }));
    const f = writeBytes(p('many.safetensors'), safetensorsBytes(many));
    assert.throws(() => runNode(tensor, { params: { path: f, name: 'head.weight' } }),
      /^Error: io\.tensor\.params: name: 'head\.weight' matches no tensor in .*many\.safetensors; it holds block0\.weight \[2×2\], .*block7\.weight \[2×2\], … \(12 in all\)$/);
    assert.throws(() => runNode(tensor, { params: { path: f, name: 'block1*' } }), /'block1\*' matches 3 tensors .*block1\.weight, block10\.weight, block11\.weight\); name one/);
  });

  it('io.tensor should return a float64 matrix with the stored values', () => {
    const f = writeBytes(p('one2.safetensors'), safetensorsBytes([{ name: 'w', shape: SHAPE, values: VALUES, dtype: 'bf16' }]));
    const r = runNode(tensor, { params: { path: f, name: 'w' } });
    const w = r.outputs.w as { rows: number; cols: number; data: Float64Array };
    assert.equal(w.rows, 3); assert.equal(w.cols, 4);
    assert.ok(w.data instanceof Float64Array);
    assert.deepEqual(Array.from(w.data), VALUES);
  });
});
