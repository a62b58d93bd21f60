/**
 * Files written by Python's numpy (and the `safetensors` package when installed) read back
 * exactly. Skips, saying why, when python3 or numpy is missing (.ci/run installs both).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint, readTensor, selectTensors } from '../../../nodes/io/tensorFormatsInternals.ts';

const probe = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
const numpyMissing = probe.status !== 0 ? `python3 with numpy is not available (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()}); install it with: pip install numpy safetensors` : false;

// 3×4 values exactly representable in every dtype: (i − 5)·0.25 for i = 0…11.
const EXPECTED = Array.from({ length: 12 }, (_, i) => (i - 5) * 0.25);

const SCRIPT = String.raw`
import json, struct, sys, numpy as np
d = sys.argv[1]
a = ((np.arange(12) - 5) * 0.25).reshape(3, 4)
for dt in ['<f2', '<f4', '<f8', '>f4', '>f8']:
    for order in ['C', 'F']:
        np.save(f"{d}/a_{dt[1:]}_{'be' if dt[0] == '>' else 'le'}_{order}.npy", np.asarray(a, dtype=dt, order=order))
np.savez(f"{d}/stored.npz", w=a.astype('<f4'), v=np.asfortranarray(a.T.astype('<f8')))
np.savez_compressed(f"{d}/deflated.npz", w=a.astype('<f4'), v=np.asfortranarray(a.T.astype('<f8')))
def bf16(x):
    return (np.asarray(x, '<f4').view('<u4') >> 16).astype('<u2').tobytes()
blobs = {'w64': ('F64', a.astype('<f8').tobytes()), 'w32': ('F32', a.astype('<f4').tobytes()), 'w16': ('F16', a.astype('<f2').tobytes()), 'wbf16': ('BF16', bf16(a))}
header, off, data = {}, 0, b''
for k, (dt, b) in blobs.items():
    header[k] = {'dtype': dt, 'shape': [3, 4], 'data_offsets': [off, off + len(b)]}; off += len(b); data += b
h = json.dumps(header).encode()
open(f"{d}/manual.safetensors", 'wb').write(struct.pack('<Q', len(h)) + h + data)
try:
    from safetensors.numpy import save_file
    save_file({'w64': a.astype(np.float64), 'w32': a.astype(np.float32), 'w16': a.astype(np.float16)}, f"{d}/package.safetensors")
    print('safetensors')
except ImportError:
    print('no-safetensors')
`;

describe('io loaders on files written by numpy', { skip: numpyMissing }, () => {
  let dir = '', hasSafetensors = false;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'eigenflow-numpy-'));
    const r = spawnSync('python3', ['-c', SCRIPT, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    hasSafetensors = r.stdout.includes('safetensors') && !r.stdout.includes('no-safetensors');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const read = (file: string, name = '*') => { const ck = openCheckpoint(join(dir, file), 'test'); return readTensor(selectTensors(ck, name, 'test')[0], 'test'); };

  it('should read np.save files: f2/f4/f8, little and big endian, C and Fortran order', () => {
    for (const dt of ['f2_le', 'f4_le', 'f8_le', 'f4_be', 'f8_be']) for (const order of ['C', 'F']) {
      const t = read(`a_${dt}_${order}.npy`);
      assert.deepEqual(t.shape, [3, 4]);
      assert.deepEqual(Array.from(t.data), EXPECTED, `${dt} ${order}`);
    }
  });

  it('should read np.savez (stored) and np.savez_compressed (deflated) archives', () => {
    const transposed = [0, 1, 2, 3].flatMap((j) => [0, 1, 2].map((i) => EXPECTED[i * 4 + j]));
    for (const f of ['stored.npz', 'deflated.npz']) {
      assert.deepEqual(Array.from(read(f, 'w').data), EXPECTED, f);
      const v = read(f, 'v');
      assert.deepEqual(v.shape, [4, 3]);
      assert.deepEqual(Array.from(v.data), transposed, `${f} Fortran-order member`);
    }
  });

  it('should read safetensors written by Python (by hand, and by the safetensors package when installed)', (t) => {
    for (const name of ['w64', 'w32', 'w16', 'wbf16']) assert.deepEqual(Array.from(read('manual.safetensors', name).data), EXPECTED, name);
    if (!hasSafetensors) { t.diagnostic('the safetensors Python package is not installed; checked the hand-written file only'); return; }
    for (const name of ['w64', 'w32', 'w16']) assert.deepEqual(Array.from(read('package.safetensors', name).data), EXPECTED, `package ${name}`);
  });
});
