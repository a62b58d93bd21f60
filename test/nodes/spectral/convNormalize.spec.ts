/**
 * Conv kernels as WeightWatcher's analyze() sees them: by default (`conv2d_norm=True`) it scales a
 * rank-4 weight by √½ before the SVD (weightwatcher.py `apply_normalize_Wmats`:
 * `norm = np.sqrt(ww_layer.conv2d_count/2.0)`, conv2d_count = 1 unsliced), then pools the slices'
 * squared singular values (`conv2D_Wmats`, `combined_eigenvalues`) and reports
 * `log_norm = log10(sum(evals))` (`apply_norm_metrics`). The reference below transcribes those
 * lines in numpy (weightwatcher itself is not installable here) and runs on the same kernel.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveRng } from '../../../src/rng.ts';
import { runNode } from '../../../src/testing.ts';
import { checkpoint } from '../../../nodes/io/checkpoint.ts';
import { weightsReport } from '../../../nodes/spectral/weightsReport.ts';
import { safetensorsBytes, writeBytes } from '../io/formatWriters.ts';

const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const skip = probe.status !== 0 ? 'python3 with numpy is not available; install it with: pip install numpy' : false;

const WW_CONV = String.raw`
import sys, json, numpy as np
inp = json.load(sys.stdin)
Wt = np.asarray(inp['values'], dtype=np.float64).reshape(inp['shape'])
out = {}
for conv2d_norm in (True, False):
    N, M, imax, jmax = Wt.shape
    assert N + M >= imax + jmax                                  # conv2D_Wmats: CHANNELS.LAST
    norm = np.sqrt(1 / 2.0) if conv2d_norm else 1.0              # apply_normalize_Wmats, conv2d_count = 1
    evals = np.array([])
    for i in range(imax):
        for j in range(jmax):
            W = Wt[:, :, i, j] * norm
            sv = np.linalg.svd(W.astype(float), compute_uv=False)  # combined_eigenvalues
            evals = np.concatenate((evals, sv * sv))
    evals = np.sort(evals)
    out[str(conv2d_norm)] = {'log_norm': float(np.log10(np.sum(evals))), 'log_spectral_norm': float(np.log10(np.max(evals)))}
print(json.dumps(out))
`;

describe('spectral.weightsReport on conv kernels (convNormalize)', { skip }, () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'eigenflow-conv-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("should match WeightWatcher's log_norm and log_spectral_norm on a conv kernel to 1e-10, with and without the √½ scaling", () => {
    const shape = [16, 8, 3, 3], rng = deriveRng(5, 'conv');
    const values = Array.from({ length: 16 * 8 * 9 }, () => rng.normal());
    const file = writeBytes(join(dir, 'conv.safetensors'), safetensorsBytes([{ name: 'conv.weight', shape, values, dtype: 'f64' }]));
    const ck = runNode(checkpoint, { params: { path: file } }).outputs.checkpoint;
    const py = spawnSync('python3', ['-c', WW_CONV], { input: JSON.stringify({ shape, values }), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const ref = JSON.parse(py.stdout) as Record<'True' | 'False', { log_norm: number; log_spectral_norm: number }>;
    for (const [convNormalize, key] of [[true, 'True'], [false, 'False']] as const) {
      const [row] = runNode(weightsReport, { inputs: { checkpoint: ck }, params: { convNormalize, randomize: false, figures: false } }).outputs.rows as { log_norm: number; log_spectral_norm: number }[];
      assert.ok(Math.abs(row.log_norm - ref[key].log_norm) < 1e-10, `convNormalize=${convNormalize}: log_norm ${row.log_norm} vs WeightWatcher ${ref[key].log_norm}`);
      assert.ok(Math.abs(row.log_spectral_norm - ref[key].log_spectral_norm) < 1e-10, `convNormalize=${convNormalize}: log_spectral_norm ${row.log_spectral_norm} vs ${ref[key].log_spectral_norm}`);
    }
    // the two conventions differ by exactly log10(2): the eigenvalues are halved
    assert.ok(Math.abs(ref.False.log_norm - ref.True.log_norm - Math.log10(2)) < 1e-12);
  });

  it('should leave dense (rank-2) weights unscaled', () => {
    const rng = deriveRng(6, 'fc'), values = Array.from({ length: 40 * 30 }, () => rng.normal());
    const file = writeBytes(join(dir, 'fc.safetensors'), safetensorsBytes([{ name: 'fc.weight', shape: [40, 30], values, dtype: 'f64' }]));
    const ck = runNode(checkpoint, { params: { path: file } }).outputs.checkpoint;
    const rows = [true, false].map((convNormalize) => (runNode(weightsReport, { inputs: { checkpoint: ck }, params: { convNormalize, randomize: false, figures: false } }).outputs.rows as { log_norm: number }[])[0].log_norm);
    assert.equal(rows[0], rows[1]);
  });

  it('should give colliding layer names distinct metric names and figure files (a/b beside a_b)', () => {
    const rng = deriveRng(7, 'names'), t = (name: string) => ({ name, shape: [20, 12], values: Array.from({ length: 240 }, () => rng.normal()), dtype: 'f32' as const });
    const file = writeBytes(join(dir, 'names.safetensors'), safetensorsBytes([t('a/b'), t('a_b'), t('a b'), t('a_b_2')]));
    const ck = runNode(checkpoint, { params: { path: file } }).outputs.checkpoint;
    const r = runNode(weightsReport, { inputs: { checkpoint: ck }, params: { randomize: false } });
    const rows = r.outputs.rows as { name: string; alpha: number }[];
    assert.deepEqual([...r.artifacts.keys()].filter((k) => k.startsWith('esd/')).sort(), ['esd/a_b.svg', 'esd/a_b_2.svg', 'esd/a_b_3.svg', 'esd/a_b_4.svg']);
    const byName = new Map(rows.map((x) => [x.name, x.alpha]));
    // the safe name keeps its own key; the others take the next free suffix in checkpoint order
    assert.equal(r.values('alpha_a_b')[0], byName.get('a_b'));
    assert.equal(r.values('alpha_a_b_2')[0], byName.get('a_b_2'));
    assert.equal(r.values('alpha_a_b_3')[0], byName.get('a/b'));
    assert.equal(r.values('alpha_a_b_4')[0], byName.get('a b'));
  });
});
