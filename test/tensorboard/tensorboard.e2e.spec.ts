/**
 * The TensorBoard event file is read back by TensorBoard's own Python reader (EventAccumulator)
 * and every scalar must equal metrics.jsonl exactly. TensorBoard is installed from the machine's
 * Python package index into a venv cached under /tmp, keyed by this test's requirement, so it is
 * created once per machine. Skipped (with the reason) only when python3 or its venv module is absent.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { crc32c, maskedCrc32c } from '../../src/sinks/tensorboardRecord.ts';

const VENV = join(tmpdir(), 'eigenflow-tensorboard-venv-1');
const root = fileURLToPath(new URL('../../', import.meta.url));

/** The machine's own package index from `pip config list` (file:// URLs) as pip arguments; none: pip's defaults. */
function localIndex(): string[] {
  const list = spawnSync('python3', ['-m', 'pip', 'config', 'list'], { encoding: 'utf8' });
  const urls = [...(list.stdout ?? '').matchAll(/index-url='([^']*)'/g)].flatMap((m) => m[1]!.split(/\s+/)).filter((u) => u.startsWith('file://'));
  return urls.length ? ['--index-url', urls[0]!, ...urls.slice(1).flatMap((u) => ['--extra-index-url', u])] : [];
}

function tensorboardPython(): { python: string } | { skip: string } {
  const py = join(VENV, 'bin', 'python');
  if (existsSync(join(VENV, 'ok'))) return { python: py };
  const probe = spawnSync('python3', ['-c', 'import venv, ensurepip'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { skip: `python3 with the venv module is needed to read event files with TensorBoard (${probe.error?.message ?? probe.stderr.trim()}); install python3-venv` };
  rmSync(VENV, { recursive: true, force: true });
  const mk = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
  assert.equal(mk.status, 0, `python3 -m venv failed: ${mk.stderr}`);
  const pip = spawnSync(join(VENV, 'bin', 'pip'), ['install', '-q', ...localIndex(), 'tensorboard'], { encoding: 'utf8', timeout: 600_000 });
  assert.equal(pip.status, 0, `pip install tensorboard failed: ${pip.stderr}`);
  spawnSync('touch', [join(VENV, 'ok')]);
  return { python: py };
}

test('CRC-32C matches its published check value', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  assert.equal(typeof maskedCrc32c(Buffer.from('')), 'number');
});

test('TensorBoard reads every scalar of a run exactly as metrics.jsonl has it', { timeout: 900_000 }, (t) => {
  const env = tensorboardPython();
  if ('skip' in env) { t.skip(env.skip); return; }
  const out = mkdtempSync(join(tmpdir(), 'eigenflow-tb-'));
  try {
    const run = spawnSync(process.execPath, [join(root, 'bin/eigenflow.js'), 'run', join(root, 'test/fixtures/counter.json'), '--nodes', join(root, 'test/fixtures/nodes.ts'),
      '--out', join(out, 'run'), '--quiet', '--tensorboard', '--set', 'steps=60'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const file = readdirSync(join(out, 'run')).find((f) => f.startsWith('events.out.tfevents.'));
    assert.ok(file, 'no event file in the run directory');
    const read = spawnSync(env.python, [join(root, 'test/tensorboard/readEvents.py'), join(out, 'run', file!)], { encoding: 'utf8' });
    assert.equal(read.status, 0, read.stderr);
    const tb = JSON.parse(read.stdout) as { scalars: Record<string, [number, number][]>; texts: Record<string, string[]> };
    const want: Record<string, [number, number][]> = {};
    const once: Record<string, string> = {};
    for (const line of readFileSync(join(out, 'run', 'metrics.jsonl'), 'utf8').split('\n')) {
      if (!line) continue;
      const e = JSON.parse(line) as { node: string; name: string; step: number | null; value: unknown };
      if (typeof e.value !== 'number') continue;
      if (e.step === null) once[`${e.node}/${e.name}`] = String(e.value);
      else (want[`${e.node}/${e.name}`] ??= []).push([e.step, e.value]);
    }
    assert.ok(Object.keys(want).length >= 2, 'the run should have stepped scalars');
    assert.deepEqual(Object.keys(tb.scalars).sort(), Object.keys(want).sort());
    for (const [tag, points] of Object.entries(want)) assert.deepEqual(tb.scalars[tag], points, tag);
    for (const [tag, text] of Object.entries(once)) assert.deepEqual(tb.texts[tag], [text], tag);
    assert.match(tb.texts['run/manifest']![0]!, /status: \*\*completed\*\*/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
