/**
 * Checkpoints built to hurt: loose safetensors headers (each also given to the official
 * safetensors library, which must agree on every verdict), special files where a checkpoint
 * should be, decompression bombs, and shard indexes that point outside their directory.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { openCheckpoint, parseSafetensorsHeader, readTensor, selectTensors } from '../../../nodes/io/tensorFormatsInternals.ts';
import { concat, npyBytes, safetensorsBytes, writeBytes, zipBytes } from './formatWriters.ts';

const W = 'io.tensor.params.path';
const VALUES = [1, 2, 3, 4, 5, 6];

/** A safetensors file from raw header text and data bytes. */
function rawSafetensors(header: string, data: Uint8Array | number): Uint8Array {
  const h = new TextEncoder().encode(header), len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(h.length), true);
  return concat([len, h, typeof data === 'number' ? new Uint8Array(data) : data]);
}
const st = (entries: Record<string, unknown>, dataBytes: number): Uint8Array => rawSafetensors(JSON.stringify(entries), dataBytes);
const f32 = (shape: unknown, data_offsets: unknown, dtype: unknown = 'F32') => ({ dtype, shape, data_offsets });

// [case, file bytes, the message our reader must give]; the official library must refuse every one.
const LOOSE: [string, Uint8Array, RegExp][] = [
  ['header null', rawSafetensors('null', 0), /the safetensors header must be a JSON object but starts with "null"/],
  ['header an array', rawSafetensors('[1,2]', 0), /must be a JSON object but starts with/],
  ['header a string', rawSafetensors('"w"', 0), /must be a JSON object/],
  ['header not JSON', rawSafetensors('{"w": ', 0), /the safetensors header is not valid JSON/],
  ['shape fractional', st({ w: f32([20.5, 20], [0, 1640]) }, 1640), /tensor 'w' field 'shape' must be a list of non-negative integers but is \[20\.5,20\]/],
  ['shape strings', st({ w: f32(['20', '20'], [0, 1600]) }, 1600), /tensor 'w' field 'shape' must be a list of non-negative integers but is \["20","20"\]/],
  ['shape negative', st({ w: f32([-1, -1, 16, 15], [0, 960]) }, 960), /tensor 'w' field 'shape' must be a list of non-negative integers but is \[-1,-1,16,15\]/],
  ['shape missing', st({ w: { dtype: 'F32', data_offsets: [0, 4] } }, 4), /tensor 'w' field 'shape' must be a list/],
  ['offsets fractional', st({ w: f32([2, 3], [0.5, 24.5]) }, 25), /tensor 'w' field 'data_offsets' must be \[begin, end\], integers with 0 ≤ begin ≤ end but is \[0\.5,24\.5\]/],
  ['offsets strings', st({ w: f32([2, 3], ['0', '24']) }, 24), /tensor 'w' field 'data_offsets' must be .* but is \["0","24"\]/],
  ['offsets reversed', st({ w: f32([0], [8, 0]) }, 8), /tensor 'w' field 'data_offsets'/],
  ['offsets three numbers', st({ w: f32([2, 3], [0, 24, 48]) }, 24), /tensor 'w' field 'data_offsets'/],
  ['offsets negative', st({ w: f32([2, 3], [-24, 0]) }, 24), /tensor 'w' field 'data_offsets'/],
  ['offsets overlapping', st({ a: f32([2, 3], [0, 24]), b: f32([2, 3], [16, 40]) }, 40), /tensor 'b' field 'data_offsets' \[16, 40\] overlaps 'a'/],
  ['offsets leave a gap', st({ a: f32([2, 3], [0, 24]), b: f32([2, 3], [32, 56]) }, 56), /tensor 'b' field 'data_offsets' \[32, 56\] leaves bytes 24\.\.32 unused/],
  ['offsets not from 0', st({ a: f32([2, 3], [8, 32]) }, 32), /tensor 'a' field 'data_offsets' \[8, 32\] leaves bytes 0\.\.8 unused/],
  ['trailing bytes', st({ a: f32([2, 3], [0, 24]) }, 40), /16 trailing bytes after the last tensor's data/],
  ['offsets past the end', st({ a: f32([2, 3], [0, 24]) }, 20), /truncated file: 'a' ends at byte \d+ but the file has \d+/],
  ['size lies', st({ a: f32([2, 4], [0, 24]) }, 24), /header lies about 'a': shape \[2, 4\] of F32 needs 32 bytes but data_offsets \[0, 24\] span 24/],
  ['unknown dtype', st({ a: f32([2, 3], [0, 24], 'F33') }, 24), /tensor 'a' field 'dtype' must be one of BOOL, .* but is "F33"/],
  ['dtype a number', st({ a: f32([2, 3], [0, 24], 4) }, 24), /tensor 'a' field 'dtype' must be one of/],
  ['tensor entry null', st({ a: null }, 0), /tensor 'a' must be an object \{dtype, shape, data_offsets\} but is null/],
  ['metadata not strings', st({ __metadata__: { step: 5 }, a: f32([0], [0, 0]) }, 0), /'__metadata__' field 'step' must be a string but is 5/],
  ['metadata an array', st({ __metadata__: ['x'] }, 0), /'__metadata__' must be an object of strings/],
  ['header length beyond 100 MB', (() => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 200_000_000n, true); return b; })(), /the header claims 200000000 bytes, more than the 100000000 the format allows/],
];
const GOOD: [string, Uint8Array][] = [
  ['two tensors', safetensorsBytes([{ name: 'a', shape: [2, 3], values: VALUES, dtype: 'f32' }, { name: 'b', shape: [3], values: [1, 2, 3], dtype: 'f64' }])],
  ['listed out of offset order', st({ b: f32([2], [24, 32]), a: f32([2, 3], [0, 24]) }, 32)],
  ['an empty tensor', st({ e: f32([0, 5], [0, 0]), a: f32([2, 3], [0, 24]) }, 24)],
  ['metadata only', st({ __metadata__: { format: 'pt' } }, 0)],
];

const official = spawnSync('python3', ['-c', 'import safetensors.numpy'], { encoding: 'utf8' }).status === 0;
const OFFICIAL = String.raw`
import sys, json, safetensors.numpy as s
out = []
for f in json.load(sys.stdin):
    try:
        s.load_file(f); out.append('ok')
    except Exception as e:
        out.append('refused')
print(json.dumps(out))
`;

describe('hostile checkpoints', () => {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'eigenflow-hostile-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const p = (name: string) => join(dir, name);

  it('should refuse every loose safetensors header, naming file, tensor and field', () => {
    for (const [name, bytes, msg] of LOOSE) {
      const f = writeBytes(p(`${name.replace(/\W+/g, '-')}.safetensors`), bytes);
      assert.throws(() => openCheckpoint(f, W), (e: Error) => {
        assert.match(e.message, msg, name);
        assert.ok(e.message.startsWith(`Error in ${W}: `) && e.message.endsWith(`(file ${f})`), `${name}: ${e.message}`);
        return true;
      });
    }
    for (const [name, bytes] of GOOD) assert.doesNotThrow(() => openCheckpoint(writeBytes(p(`good-${name.replace(/\W+/g, '-')}.safetensors`), bytes), W), name);
  });

  it('should agree with the official safetensors library on every verdict', { skip: official ? false : 'python3 with safetensors is not available (pip install safetensors numpy)' }, () => {
    const files = [...LOOSE.map(([name, b]) => writeBytes(p(`o-${name.replace(/\W+/g, '-')}.safetensors`), b)), ...GOOD.map(([name, b]) => writeBytes(p(`og-${name.replace(/\W+/g, '-')}.safetensors`), b))];
    const py = spawnSync('python3', ['-c', OFFICIAL], { input: JSON.stringify(files), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const verdicts = JSON.parse(py.stdout) as string[];
    const ours = files.map((f) => { try { openCheckpoint(f, W); return 'ok'; } catch { return 'refused'; } });
    assert.deepEqual(ours, verdicts);
    assert.deepEqual(verdicts, [...LOOSE.map(() => 'refused'), ...GOOD.map(() => 'ok')]);
  });

  it('should parse a header on its own (the unit the loader and validation share)', () => {
    const t = parseSafetensorsHeader('{"b":{"dtype":"F16","shape":[2],"data_offsets":[24,28]},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}', 28, 'm.safetensors', W);
    assert.deepEqual(t.map((x) => [x.name, x.begin, x.end]), [['b', 24, 28], ['a', 0, 24]]);
  });

  it('should refuse a FIFO, a directory and a symlink to /dev/zero without blocking or reading', () => {
    const fifo = p('fifo.safetensors');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => openCheckpoint(fifo, W), /^Error: Error in io\.tensor\.params\.path: not a regular file \(a FIFO\) \(file .*fifo\.safetensors\)$/);
    mkdirSync(p('dir.npy'));
    assert.throws(() => openCheckpoint(p('dir.npy'), W), /not a regular file \(a directory\)/);
    symlinkSync('/dev/zero', p('zero.npz'));
    assert.throws(() => openCheckpoint(p('zero.npz'), W), /not a regular file \(a character device\) \(file .*zero\.npz\)/);
    symlinkSync('/dev/zero', p('zero.safetensors'));
    assert.throws(() => openCheckpoint(p('zero.safetensors'), W), /not a regular file \(a character device\)/);
  });

  it('should cap inflation at the size a member declares (a small npz that inflates to far more)', () => {
    // The header says 1000 float64 (8 KB); the deflated stream holds 64 MB.
    const header = npyBytes(new Array(1000).fill(0), [1000], { dtype: 'f64' });
    const body = new Uint8Array(64 << 20); body.set(header);
    const zip = zipBytes([{ name: 'w.npy', data: header }], true);
    // Replace the member's deflated bytes with the bomb's, keeping the declared (uncompressed) size.
    const bomb = deflateRawSync(body);
    const f = writeBytes(p('bomb.npz'), withDeflatedBody(zip, bomb));
    const ck = openCheckpoint(f, W);
    assert.throws(() => readTensor(selectTensors(ck, 'w', W)[0], W), /npz member 'w' inflates to more than the \d+ bytes it declares \(file .*bomb\.npz\)/);
  });

  it('should count what a member inflates to against the memory limit before inflating it', () => {
    const n = 4 << 20; // 4 Mi float64: 32 MB inflated, a few KB deflated
    const body = npyBytes(new Float64Array(n), [n], { dtype: 'f64' });
    const f = writeBytes(p('big.npz'), zipBytes([{ name: 'w.npy', data: body }], true));
    const saved = process.env.EIGENFLOW_MAX_BYTES;
    process.env.EIGENFLOW_MAX_BYTES = String(16 << 20);
    try {
      const t = selectTensors(openCheckpoint(f, W), 'w', W)[0];
      assert.throws(() => readTensor(t, W), /tensor 'w' \[4194304\] needs 64 MB to read \(32 MB inflated \+ 32 MB as float64\), more than the limit of 16 MB \(EIGENFLOW_MAX_BYTES\)/);
    } finally {
      if (saved === undefined) delete process.env.EIGENFLOW_MAX_BYTES; else process.env.EIGENFLOW_MAX_BYTES = saved;
    }
    assert.equal(readTensor(selectTensors(openCheckpoint(f, W), 'w', W)[0], W).data.length, n);
  });

  it('should keep shard paths inside the index directory', () => {
    const sub = p('model'); mkdirSync(sub);
    writeBytes(p('outside.safetensors'), safetensorsBytes([{ name: 'w', shape: [2, 3], values: VALUES, dtype: 'f32' }]));
    writeBytes(join(sub, 'shard.safetensors'), safetensorsBytes([{ name: 'w', shape: [2, 3], values: VALUES, dtype: 'f32' }]));
    symlinkSync(p('outside.safetensors'), join(sub, 'link.safetensors'));
    const index = join(sub, 'model.safetensors.index.json');
    for (const [shard, shown] of [['../outside.safetensors', '"../outside.safetensors"'], [p('outside.safetensors'), JSON.stringify(p('outside.safetensors'))], ['link.safetensors', '"link.safetensors"'], [5, '5'], ['', '""']] as const) {
      writeFileSync(index, JSON.stringify({ weight_map: { w: shard } }));
      assert.throws(() => openCheckpoint(index, W), (e: Error) => e.message === `Error in ${W}: weight_map['w'] must name a shard file inside the index's directory but is ${shown} (file ${index})`, String(shard));
    }
    writeFileSync(index, JSON.stringify({ weight_map: { w: './shard.safetensors' } }));
    assert.deepEqual(Array.from(readTensor(selectTensors(openCheckpoint(index, W), 'w', W)[0], W).data), VALUES);
  });

  it('should keep the index order of a shuffled 20,000-tensor index (sorted by a map, not by indexOf)', () => {
    const n = 20000, names = Array.from({ length: n }, (_, i) => `t${(i * 7919) % n}`);
    const header: Record<string, unknown> = {};
    names.forEach((name) => { header[name] = f32([0], [0, 0]); });
    writeBytes(p('many-1.safetensors'), st(header, 0));
    const index = p('many.safetensors.index.json');
    writeFileSync(index, JSON.stringify({ weight_map: Object.fromEntries(names.map((x) => [x, 'many-1.safetensors'])) }));
    assert.deepEqual(openCheckpoint(index, W).tensors.map((t) => t.name), names);
  });
});

/** A one-member zip whose member's compressed bytes are replaced by `body` (sizes in both headers patched; the declared uncompressed size kept). */
function withDeflatedBody(zip: Uint8Array, body: Uint8Array): Uint8Array {
  const v = new DataView(zip.buffer, zip.byteOffset);
  const nameLen = v.getUint16(26, true), oldSize = v.getUint32(18, true), dataStart = 30 + nameLen;
  const rest = zip.subarray(dataStart + oldSize);
  const out = concat([zip.subarray(0, dataStart), body, rest]);
  const o = new DataView(out.buffer);
  o.setUint32(18, body.length, true);
  const cd = dataStart + body.length;
  o.setUint32(cd + 20, body.length, true);
  const eocd = out.length - 22;
  o.setUint32(eocd + 16, cd, true);
  return out;
}
