/**
 * Readers for the checkpoint formats of the io nodes: `.npy`, `.npz` (stored or deflated zip
 * members), `.safetensors` (one file, or shards listed by a `*.index.json`).
 *
 * Opening a checkpoint reads only headers (and, for deflated `.npz` members, the first few
 * kilobytes of the stream); a tensor's bytes are read at its offset with `fs.readSync` when
 * `readTensor` is called. Every error names `where` (node and field) and the file.
 */
import { closeSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { inflateRawSync, constants as zlibConstants } from 'node:zlib';
import { formatBytes } from '../../src/format.ts';
import { memoryLimit } from '../../src/graph/validate.ts';
import { containedPath, openRegular, readFdAt, readRegular, UnreadableFile } from '../../src/safeRead.ts';

/** Element types the readers decode. */
export type FloatDtype = 'f16' | 'bf16' | 'f32' | 'f64';

export interface TensorEntry {
  /** Name in the checkpoint (`.npz`: the member name without `.npy`; `.npy`: the file's base name). */
  name: string;
  /** Shape as stored, C order (row-major) after any Fortran-order conversion. */
  shape: number[];
  /** The decoded dtype, or null when the dtype is not a float type the readers decode. */
  dtype: FloatDtype | null;
  /** The dtype as the file spells it (`<f4`, `BF16`, `I64` …). */
  storedDtype: string;
  file: string;
  /** Byte offset of the data inside the file (deflated npz: inside the inflated member). */
  offset: number;
  byteLength: number;
  littleEndian: boolean;
  fortran: boolean;
  /** Deflated `.npz` member: where its compressed bytes are and how many bytes it declares it inflates to. */
  deflated?: { start: number; size: number; inflated: number };
}

export interface Checkpoint {
  /** The path the user gave. */
  path: string;
  format: 'npy' | 'npz' | 'safetensors';
  tensors: TensorEntry[];
}

export interface LoadedTensor {
  shape: number[];
  /** Row-major float64 values. */
  data: Float64Array;
}

const BYTES: Record<FloatDtype, number> = { f16: 2, bf16: 2, f32: 4, f64: 8 };

function fail(where: string, file: string, msg: string): never {
  throw new Error(`Error in ${where}: ${msg} (file ${file})`);
}

/** Open a regular file (a FIFO, device or directory is refused after opening, so nothing blocks). */
function openFile(file: string, where: string): { fd: number; size: number } {
  try { return openRegular(file); } catch (e) { if (e instanceof UnreadableFile) fail(where, file, e.why); throw e; }
}

/** Read `length` bytes at `offset`; a short read is a truncated file. */
function readAt(file: string, offset: number, length: number, where: string): Uint8Array {
  const { fd } = openFile(file, where);
  try {
    const buf = readFdAt(fd, offset, length);
    if (buf.length < length) fail(where, file, `truncated file: wanted ${length} bytes at offset ${offset} but the file ends after ${offset + buf.length}`);
    return buf;
  } finally {
    closeSync(fd);
  }
}

function fileSize(file: string, where: string): number {
  const { fd, size } = openFile(file, where);
  closeSync(fd);
  return size;
}

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

// ---------------------------------------------------------------- npy

interface NpyHeader { dtype: FloatDtype | null; storedDtype: string; shape: number[]; fortran: boolean; littleEndian: boolean; dataStart: number }

/** Parse a `.npy` header from its first bytes (must contain the whole header). */
function parseNpyHeader(b: Uint8Array, file: string, where: string, member = ''): NpyHeader | 'short' {
  const what = member ? `npz member '${member}'` : 'npy file';
  if (b.length < 10) return 'short';
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (!magic.every((m, i) => b[i] === m)) fail(where, file, `not a ${what}: the magic string \\x93NUMPY is missing`);
  const major = b[6];
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let hlen: number, start: number;
  if (major === 1) { hlen = dv.getUint16(8, true); start = 10; }
  else if (major === 2 || major === 3) { if (b.length < 12) return 'short'; hlen = dv.getUint32(8, true); start = 12; }
  else fail(where, file, `${what}: unsupported npy format version ${major}`);
  if (b.length < start + hlen) return 'short';
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(b.subarray(start, start + hlen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text)?.[1];
  const fo = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fo === undefined || shapeText === undefined) fail(where, file, `${what}: malformed header ${JSON.stringify(text.trim())}`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) fail(where, file, `${what}: malformed shape (${shapeText})`);
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  let dtype: FloatDtype | null = null;
  let littleEndian = true;
  if (m && m[2] === 'f' && ['2', '4', '8'].includes(m[3])) {
    dtype = ({ 2: 'f16', 4: 'f32', 8: 'f64' } as const)[m[3] as '2' | '4' | '8'];
    littleEndian = m[1] !== '>';
  }
  return { dtype, storedDtype: descr, shape, fortran: fo === 'True', littleEndian, dataStart: start + hlen };
}

function openNpy(file: string, where: string): Checkpoint {
  const size = fileSize(file, where);
  const head = readAt(file, 0, Math.min(size, 65536 + 12), where);
  const h = parseNpyHeader(head, file, where);
  if (h === 'short') fail(where, file, `truncated file: the npy header is incomplete (${size} bytes)`);
  const byteLength = h.dtype ? prod(h.shape) * BYTES[h.dtype] : NaN;
  const entry: TensorEntry = {
    name: basename(file).replace(/\.npy$/i, ''), shape: h.shape, dtype: h.dtype, storedDtype: h.storedDtype, file,
    offset: h.dataStart, byteLength, littleEndian: h.littleEndian, fortran: h.fortran,
  };
  if (h.dtype && h.dataStart + byteLength > size) fail(where, file, `truncated file: shape (${h.shape.join(', ')}) of ${h.storedDtype} needs ${byteLength} data bytes but only ${size - h.dataStart} follow the header`);
  return { path: file, format: 'npy', tensors: [entry] };
}

// ---------------------------------------------------------------- npz (zip)

/**
 * The start of a deflated member, enough for its npy header: at most the first 8 KB of compressed
 * bytes, inflated to at most 64 KB + 12 (the longest version-1 header) and never past the size the
 * member declares — so a member that inflates to gigabytes costs kilobytes here.
 */
function inflatedHead(file: string, start: number, csize: number, usize: number, name: string, where: string): Uint8Array {
  const raw = readAt(file, start, Math.min(csize, 8192), where);
  try {
    return inflateRawSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: Math.min(usize, 65536 + 12) });
  } catch (e) {
    // More output than allowed: the header is in the first 64 KB + 12 bytes; inflate exactly those.
    if ((e as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') fail(where, file, `npz member '${name}' is not valid deflate data (${(e as Error).message})`);
    return inflatePrefix(raw, Math.min(usize, 65536 + 12));
  }
}

/**
 * Nearly the first `n` bytes `raw` inflates to (at least n − 1032: one compressed byte inflates
 * to at most 1032), never holding more than `n`: the longest compressed prefix whose inflation
 * fits in `n`, found by bisection.
 */
function inflatePrefix(raw: Uint8Array, n: number): Uint8Array {
  let best = new Uint8Array(0), lo = 0, hi = raw.length;
  while (lo < hi) {
    const k = Math.ceil((lo + hi) / 2);
    try {
      best = inflateRawSync(raw.subarray(0, k), { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: n });
      lo = k;
    } catch {
      hi = k - 1;
    }
  }
  return best;
}

function openNpz(file: string, where: string): Checkpoint {
  const size = fileSize(file, where);
  const tailLen = Math.min(size, 65536 + 22);
  const tail = readAt(file, size - tailLen, tailLen, where);
  const tv = new DataView(tail.buffer);
  let eocd = -1;
  for (let i = tailLen - 22; i >= 0; i--) if (tv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) fail(where, file, 'not a zip archive (no end-of-central-directory record): truncated or not an .npz');
  let count = tv.getUint16(eocd + 10, true);
  let cdSize = tv.getUint32(eocd + 12, true);
  let cdOffset = tv.getUint32(eocd + 16, true);
  if (cdOffset === 0xffffffff || count === 0xffff) {
    // zip64: the locator sits just before the EOCD
    const loc = eocd - 20;
    if (loc < 0 || tv.getUint32(loc, true) !== 0x07064b50) fail(where, file, 'zip64 archive without a zip64 locator');
    const rec = Number(tv.getBigUint64(loc + 8, true));
    const r = new DataView(readAt(file, rec, 56, where).buffer);
    if (r.getUint32(0, true) !== 0x06064b50) fail(where, file, 'zip64 end-of-central-directory record not found');
    count = Number(r.getBigUint64(32, true)); cdSize = Number(r.getBigUint64(40, true)); cdOffset = Number(r.getBigUint64(48, true));
  }
  if (cdOffset + cdSize > size) fail(where, file, `truncated file: the central directory (${cdSize} bytes at ${cdOffset}) runs past the end (${size} bytes)`);
  const cd = readAt(file, cdOffset, cdSize, where);
  const cv = new DataView(cd.buffer);
  const tensors: TensorEntry[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cdSize || cv.getUint32(p, true) !== 0x02014b50) fail(where, file, `corrupt zip central directory at entry ${k}`);
    const method = cv.getUint16(p + 10, true);
    let csize = cv.getUint32(p + 20, true), usize = cv.getUint32(p + 24, true);
    const nlen = cv.getUint16(p + 28, true), xlen = cv.getUint16(p + 30, true), clen = cv.getUint16(p + 32, true);
    let local = cv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(cd.subarray(p + 46, p + 46 + nlen));
    // zip64 extra field: the fields that overflowed, in order usize, csize, offset
    for (let e = p + 46 + nlen; e + 4 <= p + 46 + nlen + xlen;) {
      const id = cv.getUint16(e, true), len = cv.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        if (usize === 0xffffffff) { usize = Number(cv.getBigUint64(q, true)); q += 8; }
        if (csize === 0xffffffff) { csize = Number(cv.getBigUint64(q, true)); q += 8; }
        if (local === 0xffffffff) { local = Number(cv.getBigUint64(q, true)); q += 8; }
      }
      e += 4 + len;
    }
    p += 46 + nlen + xlen + clen;
    if (!name.endsWith('.npy')) continue;
    const lh = new DataView(readAt(file, local, 30, where).buffer);
    if (lh.getUint32(0, true) !== 0x04034b50) fail(where, file, `corrupt zip: no local header for '${name}' at ${local}`);
    const start = local + 30 + lh.getUint16(26, true) + lh.getUint16(28, true);
    if (start + csize > size) fail(where, file, `truncated file: member '${name}' (${csize} bytes at ${start}) runs past the end (${size} bytes)`);
    if (method !== 0 && method !== 8) fail(where, file, `member '${name}' uses zip compression method ${method}; only stored (0) and deflated (8) are supported`);
    const head = method === 0 ? readAt(file, start, Math.min(csize, 65536 + 12), where) : inflatedHead(file, start, csize, usize, name, where);
    const h = parseNpyHeader(head, file, where, name);
    if (h === 'short') fail(where, file, `truncated npz member '${name}': its npy header is incomplete${method === 8 ? ` in the first ${head.length} inflated bytes` : ''}`);
    const byteLength = h.dtype ? prod(h.shape) * BYTES[h.dtype] : NaN;
    if (h.dtype && h.dataStart + byteLength !== usize) {
      fail(where, file, `member '${name}' header lies about its size: shape (${h.shape.join(', ')}) of ${h.storedDtype} needs ${h.dataStart + byteLength} bytes but the member holds ${usize}`);
    }
    tensors.push({
      name: name.slice(0, -4), shape: h.shape, dtype: h.dtype, storedDtype: h.storedDtype, file,
      offset: method === 0 ? start + h.dataStart : h.dataStart, byteLength, littleEndian: h.littleEndian, fortran: h.fortran,
      ...(method === 8 ? { deflated: { start, size: csize, inflated: usize } } : {}),
    });
  }
  return { path: file, format: 'npz', tensors };
}

// ---------------------------------------------------------------- safetensors

const ST_DTYPES: Record<string, FloatDtype> = { F16: 'f16', BF16: 'bf16', F32: 'f32', F64: 'f64' };
/** Bits per element of every dtype the safetensors library knows (safetensors/src/tensor.rs `Dtype::bitsize`). */
const ST_BITS: Record<string, number> = {
  BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8,
  I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, C64: 64, I64: 64, U64: 64, F64: 64,
};
/** The safetensors library refuses longer headers (`MAX_HEADER_SIZE`). */
const ST_MAX_HEADER = 100_000_000;

export interface SafetensorsTensor { name: string; dtype: string; shape: number[]; begin: number; end: number }

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const shown = (v: unknown): string => { const t = JSON.stringify(v); return t === undefined ? String(v) : t.length > 60 ? `${t.slice(0, 57)}...` : t; };

/**
 * Parse and validate a safetensors header as strictly as the reference library (safetensors
 * `Metadata::validate` and `deserialize`): a JSON object; `__metadata__` an object of strings;
 * every tensor a known dtype, a shape of non-negative integers, integer `data_offsets`
 * [begin, end] with end − begin = its byte size; sorted by offset, the tensors tile the data
 * exactly from byte 0 — no gap, no overlap, nothing past the end, no trailing bytes. Every error
 * names file, tensor and field (`dataStart`: where the data begins in the file, for messages).
 */
export function parseSafetensorsHeader(text: string, dataBytes: number, file: string, where: string, dataStart = 0): SafetensorsTensor[] {
  if (!text.startsWith('{')) fail(where, file, `the safetensors header must be a JSON object but starts with ${shown(text.slice(0, 12))}`);
  let header: unknown;
  try { header = JSON.parse(text); } catch (e) { fail(where, file, `the safetensors header is not valid JSON (${(e as Error).message})`); }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail(where, file, `the safetensors header must be a JSON object but is ${shown(header)}`);
  const out: SafetensorsTensor[] = [];
  for (const [name, t] of Object.entries(header)) {
    const bad = (field: string, rule: string, v: unknown): never => fail(where, file, `safetensors header: tensor '${name}' field '${field}' must be ${rule} but is ${shown(v)}`);
    if (name === '__metadata__') {
      if (t === null || typeof t !== 'object' || Array.isArray(t)) fail(where, file, `safetensors header: '__metadata__' must be an object of strings but is ${shown(t)}`);
      for (const [k, v] of Object.entries(t)) if (typeof v !== 'string') fail(where, file, `safetensors header: '__metadata__' field '${k}' must be a string but is ${shown(v)}`);
      continue;
    }
    if (t === null || typeof t !== 'object' || Array.isArray(t)) fail(where, file, `safetensors header: tensor '${name}' must be an object {dtype, shape, data_offsets} but is ${shown(t)}`);
    const { dtype, shape, data_offsets: off } = t as Record<string, unknown>;
    if (typeof dtype !== 'string' || ST_BITS[dtype] === undefined) bad('dtype', `one of ${Object.keys(ST_BITS).join(', ')}`, dtype);
    if (!Array.isArray(shape) || !shape.every(isCount)) bad('shape', 'a list of non-negative integers', shape);
    if (!Array.isArray(off) || off.length !== 2 || !off.every(isCount) || off[1] < off[0]) bad('data_offsets', '[begin, end], integers with 0 ≤ begin ≤ end', off);
    const [begin, end] = off as number[];
    const bits = (shape as number[]).reduce((a, d) => a * BigInt(d), 1n) * BigInt(ST_BITS[dtype as string]);
    if (bits % 8n !== 0n) bad('shape', `a whole number of bytes of ${dtype as string}`, shape);
    if (bits / 8n !== BigInt(end - begin)) {
      fail(where, file, `header lies about '${name}': shape [${(shape as number[]).join(', ')}] of ${dtype as string} needs ${bits / 8n} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
    }
    if (end > dataBytes) fail(where, file, `truncated file: '${name}' ends at byte ${dataStart + end} but the file has ${dataStart + dataBytes}`);
    out.push({ name, dtype: dtype as string, shape: (shape as number[]).slice(), begin, end });
  }
  const byOffset = [...out].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const t of byOffset) {
    if (t.begin !== at) {
      const other = byOffset.find((u) => u !== t && u.begin < t.end && t.begin < u.end);
      fail(where, file, `safetensors header: tensor '${t.name}' field 'data_offsets' [${t.begin}, ${t.end}] ${t.begin < at ? `overlaps '${other?.name ?? '?'}'` : `leaves bytes ${at}..${t.begin} unused`}; tensors must tile the data`);
    }
    at = t.end;
  }
  if (at !== dataBytes) fail(where, file, `safetensors file has ${dataBytes - at} trailing bytes after the last tensor's data (byte ${at} of ${dataBytes})`);
  return out;
}

function safetensorsEntries(file: string, where: string, only?: Set<string>): TensorEntry[] {
  const size = fileSize(file, where);
  if (size < 8) fail(where, file, `truncated file: ${size} bytes, fewer than the 8-byte header length`);
  const n = Number(new DataView(readAt(file, 0, 8, where).buffer).getBigUint64(0, true));
  if (n > ST_MAX_HEADER) fail(where, file, `not a safetensors file: the header claims ${n} bytes, more than the ${ST_MAX_HEADER} the format allows`);
  if (8 + n > size) fail(where, file, `truncated file or not a safetensors file: the header claims ${n} bytes but the file has ${size}`);
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(readAt(file, 8, n, where)); } catch (e) { fail(where, file, `the safetensors header is not valid UTF-8 (${(e as Error).message})`); }
  const base = 8 + n;
  return parseSafetensorsHeader(text, size - base, file, where, base)
    .filter((t) => !only || only.has(t.name))
    .map((t) => ({ name: t.name, shape: t.shape, dtype: ST_DTYPES[t.dtype] ?? null, storedDtype: t.dtype, file, offset: base + t.begin, byteLength: t.end - t.begin, littleEndian: true, fortran: false }));
}

/** The longest shard index read (a 100,000-tensor index is about 10 MB). */
const INDEX_MAX_BYTES = 256 << 20;

function openShardIndex(file: string, where: string): Checkpoint {
  let index: unknown;
  try { index = JSON.parse(new TextDecoder().decode(readRegular(file, INDEX_MAX_BYTES))); } catch (e) {
    if (e instanceof UnreadableFile) fail(where, file, e.why);
    fail(where, file, `the shard index is not valid JSON (${(e as Error).message})`);
  }
  const map = (index as { weight_map?: unknown } | null)?.weight_map;
  if (!map || typeof map !== 'object' || Array.isArray(map)) fail(where, file, 'a safetensors index needs a "weight_map" object (tensor name → shard file)');
  const root = dirname(file), byShard = new Map<string, Set<string>>(), order = new Map<string, number>();
  for (const [name, shard] of Object.entries(map)) {
    // A shard is a file next to the index: a path leading elsewhere is refused, not followed.
    const path = containedPath(root, shard);
    if (path === null) fail(where, file, `weight_map['${name}'] must name a shard file inside the index's directory but is ${shown(shard)}`);
    if (!byShard.has(path)) byShard.set(path, new Set());
    byShard.get(path)!.add(name);
    order.set(name, order.size);
  }
  const tensors: TensorEntry[] = [];
  for (const [shard, names] of byShard) {
    const got = safetensorsEntries(shard, where, names);
    const held = new Set(got.map((t) => t.name));
    const missing = [...names].filter((x) => !held.has(x));
    if (missing.length) fail(where, shard, `the index lists ${missing.slice(0, 3).map((x) => `'${x}'`).join(', ')}${missing.length > 3 ? ' …' : ''} in this shard but it does not hold them`);
    tensors.push(...got);
  }
  tensors.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
  return { path: file, format: 'safetensors', tensors };
}

function openSafetensors(file: string, where: string): Checkpoint {
  if (file.endsWith('.json')) return openShardIndex(file, where);
  return { path: file, format: 'safetensors', tensors: safetensorsEntries(file, where) };
}

// ---------------------------------------------------------------- public

/** Open a checkpoint by extension: `.npy`, `.npz`, `.safetensors`, or a safetensors `*.index.json`. Reads headers only. */
export function openCheckpoint(path: string, where: string): Checkpoint {
  if (!path) throw new Error(`Error in ${where}: a checkpoint path is required`);
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return openNpy(path, where);
  if (lower.endsWith('.npz')) return openNpz(path, where);
  if (lower.endsWith('.safetensors') || lower.endsWith('.index.json')) return openSafetensors(path, where);
  throw new Error(`Error in ${where}: cannot tell the format of '${path}': expected .npy, .npz, .safetensors or a safetensors .index.json`);
}

/** Decode one IEEE half. */
function half(u: number): number {
  const s = u & 0x8000 ? -1 : 1, e = (u >> 10) & 0x1f, f = u & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/**
 * Refuse, before reading anything, a tensor whose bytes (a deflated member: all it inflates to)
 * plus its float64 copy exceed the memory limit (`EIGENFLOW_MAX_BYTES`, else 80% of the machine).
 */
function checkMemory(t: TensorEntry, where: string): void {
  const raw = t.deflated ? t.deflated.inflated : t.byteLength, need = raw + 8 * prod(t.shape), limit = memoryLimit();
  if (need > limit.bytes) {
    fail(where, t.file, `tensor '${t.name}' [${t.shape.join('×')}] needs ${formatBytes(need)} to read (${formatBytes(raw)} ${t.deflated ? 'inflated' : 'stored'} + ${formatBytes(8 * prod(t.shape))} as float64), more than the limit of ${formatBytes(limit.bytes)} (${limit.why}); set EIGENFLOW_MAX_BYTES to raise it`);
  }
}

/** Read one tensor's values (row-major float64). Only this tensor's bytes are read (a deflated npz member is inflated whole). */
export function readTensor(t: TensorEntry, where: string): LoadedTensor {
  if (!t.dtype) fail(where, t.file, `tensor '${t.name}' has dtype ${t.storedDtype}; supported: float16, bfloat16, float32, float64`);
  const count = prod(t.shape);
  checkMemory(t, where);
  let bytes: Uint8Array;
  if (t.deflated) {
    const { start, size, inflated } = t.deflated;
    let all: Uint8Array;
    try {
      all = inflateRawSync(readAt(t.file, start, size, where), { maxOutputLength: Math.max(inflated, 1) });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') fail(where, t.file, `npz member '${t.name}' inflates to more than the ${inflated} bytes it declares`);
      fail(where, t.file, `npz member '${t.name}' is not valid deflate data (${(e as Error).message})`);
    }
    if (all.length < t.offset + t.byteLength) fail(where, t.file, `truncated npz member '${t.name}': inflates to ${all.length} bytes, needs ${t.offset + t.byteLength}`);
    bytes = all.subarray(t.offset, t.offset + t.byteLength);
  } else bytes = readAt(t.file, t.offset, t.byteLength, where);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = t.littleEndian, raw = new Float64Array(count);
  switch (t.dtype) {
    case 'f64': for (let i = 0; i < count; i++) raw[i] = dv.getFloat64(8 * i, le); break;
    case 'f32': for (let i = 0; i < count; i++) raw[i] = dv.getFloat32(4 * i, le); break;
    case 'f16': for (let i = 0; i < count; i++) raw[i] = half(dv.getUint16(2 * i, le)); break;
    case 'bf16': {
      const f = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) { f.setUint32(0, dv.getUint16(2 * i, le) << 16, false); raw[i] = f.getFloat32(0, false); }
      break;
    }
  }
  if (!t.fortran || t.shape.length < 2) return { shape: t.shape.slice(), data: raw };
  // Fortran order: element (i0, i1, …) sits at i0 + s0·(i1 + s1·(…)); write it row-major.
  const s = t.shape, r = s.length, out = new Float64Array(count), idx = new Array<number>(r).fill(0);
  const cStride = new Array<number>(r);
  cStride[r - 1] = 1;
  for (let k = r - 2; k >= 0; k--) cStride[k] = cStride[k + 1] * s[k + 1];
  for (let f = 0; f < count; f++) {
    let c = 0;
    for (let k = 0; k < r; k++) c += idx[k] * cStride[k];
    out[c] = raw[f];
    for (let k = 0; k < r; k++) { if (++idx[k] < s[k]) break; idx[k] = 0; }
  }
  return { shape: s.slice(), data: out };
}

/** A glob as a RegExp: `*` any run of characters (dots included), `?` one; several globs separated by commas. */
export function globToRegExp(glob: string): RegExp {
  const one = (g: string): string => g.trim().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^(?:${glob.split(',').map(one).join('|')})$`);
}

/** The tensors whose names match `pattern` (a name or glob); none is an error listing what exists. */
export function selectTensors(ck: Checkpoint, pattern: string, where: string): TensorEntry[] {
  const re = globToRegExp(pattern);
  const hit = ck.tensors.filter((t) => re.test(t.name));
  if (hit.length === 0) {
    const names = ck.tensors.map((t) => `${t.name} [${t.shape.join('×')}]`);
    const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, … (${names.length} in all)` : '');
    throw new Error(`Error in ${where}: '${pattern}' matches no tensor in ${ck.path}; it holds ${names.length ? shown : 'no tensors'}`);
  }
  return hit;
}

/**
 * Validation-time check for a node's `check` hook: open the checkpoint (headers only) and select
 * `pattern`, returning the problems as messages (`path: no such file (file …)`) instead of throwing,
 * so a bad file stops the run before it starts.
 */
export function checkpointProblems(path: string, pattern: string, patternField: string): string[] {
  let ck: Checkpoint;
  try { ck = openCheckpoint(path, 'path'); } catch (e) { return [(e as Error).message.replace(/^Error in /, '')]; }
  try { selectTensors(ck, pattern, patternField); } catch (e) { return [(e as Error).message.replace(/^Error in /, '')]; }
  return [];
}

