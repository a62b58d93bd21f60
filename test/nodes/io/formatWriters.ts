/**
 * Small writers for the checkpoint formats, used by the tests to build files with known
 * contents (and by the weights-report example to write a 3-layer MLP checkpoint).
 */
import { writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';

export type WriteDtype = 'f16' | 'bf16' | 'f32' | 'f64';
const BYTES: Record<WriteDtype, number> = { f16: 2, bf16: 2, f32: 4, f64: 8 };

/** IEEE half of a value exactly representable as one (tests pick such values). */
function toHalf(v: number): number {
  if (v === 0) return Object.is(v, -0) ? 0x8000 : 0;
  const s = v < 0 ? 0x8000 : 0, a = Math.abs(v);
  let e = Math.floor(Math.log2(a));
  if (e < -14) return s | Math.round(a / 2 ** -24); // subnormal
  let f = Math.round((a / 2 ** e - 1) * 1024);
  if (f === 1024) { f = 0; e++; }
  return s | ((e + 15) << 10) | f;
}

/** Values (row-major) encoded in `dtype`; `order` lays them out C or Fortran. */
export function encode(values: ArrayLike<number>, dtype: WriteDtype, littleEndian = true): Uint8Array {
  const n = values.length, out = new Uint8Array(n * BYTES[dtype]), dv = new DataView(out.buffer);
  const f32 = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (dtype === 'f64') dv.setFloat64(8 * i, v, littleEndian);
    else if (dtype === 'f32') dv.setFloat32(4 * i, v, littleEndian);
    else if (dtype === 'f16') dv.setUint16(2 * i, toHalf(v), littleEndian);
    else { f32.setFloat32(0, v); dv.setUint16(2 * i, f32.getUint32(0) >>> 16, littleEndian); }
  }
  return out;
}

/** Row-major values of `shape` re-laid in Fortran (column-major) order. */
export function toFortran(values: ArrayLike<number>, shape: readonly number[]): number[] {
  const n = values.length, r = shape.length, out = new Array<number>(n), idx = new Array<number>(r).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0, stride = 1;
    for (let k = 0; k < r; k++) { f += idx[k] * stride; stride *= shape[k]; }
    out[f] = values[c];
    for (let k = r - 1; k >= 0; k--) { if (++idx[k] < shape[k]) break; idx[k] = 0; }
  }
  return out;
}

export interface NpyOptions { dtype?: WriteDtype | 'i4'; fortran?: boolean; bigEndian?: boolean; version?: 1 | 2 }

/** A `.npy` file's bytes. */
export function npyBytes(values: ArrayLike<number>, shape: readonly number[], o: NpyOptions = {}): Uint8Array {
  const dtype = o.dtype ?? 'f64', le = !o.bigEndian;
  const descr = dtype === 'i4' ? `${le ? '<' : '>'}i4` : `${le ? '<' : '>'}f${dtype === 'f16' ? 2 : dtype === 'f32' ? 4 : 8}`;
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${o.fortran ? 'True' : 'False'}, 'shape': ${shapeStr}, }`;
  const version = o.version ?? 1, pre = version === 1 ? 10 : 12;
  header += ' '.repeat(63 - ((pre + header.length) % 64)) + '\n';
  const laid = o.fortran ? toFortran(values, shape) : Array.from(values);
  let data: Uint8Array;
  if (dtype === 'i4') { data = new Uint8Array(4 * laid.length); const dv = new DataView(data.buffer); laid.forEach((v, i) => dv.setInt32(4 * i, v, le)); }
  else data = encode(laid, dtype as WriteDtype, le);
  const out = new Uint8Array(pre + header.length + data.length), dv = new DataView(out.buffer);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) dv.setUint16(8, header.length, true); else dv.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), pre);
  out.set(data, pre + header.length);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
function crc32(b: Uint8Array): number { let c = 0xffffffff; for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; }

/** A zip archive (an `.npz`) of named members, stored or deflated. */
export function zipBytes(members: { name: string; data: Uint8Array }[], deflate: boolean): Uint8Array {
  const parts: Uint8Array[] = [], central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = new TextEncoder().encode(m.name), body = deflate ? deflateRawSync(m.data) : m.data, crc = crc32(m.data);
    const lh = new Uint8Array(30 + name.length), lv = new DataView(lh.buffer);
    lv.setUint32(0, 0x04034b50, true); lv.setUint16(4, 20, true); lv.setUint16(8, deflate ? 8 : 0, true);
    lv.setUint32(14, crc, true); lv.setUint32(18, body.length, true); lv.setUint32(22, m.data.length, true); lv.setUint16(26, name.length, true);
    lh.set(name, 30);
    const ch = new Uint8Array(46 + name.length), cv = new DataView(ch.buffer);
    cv.setUint32(0, 0x02014b50, true); cv.setUint16(4, 20, true); cv.setUint16(6, 20, true); cv.setUint16(10, deflate ? 8 : 0, true);
    cv.setUint32(16, crc, true); cv.setUint32(20, body.length, true); cv.setUint32(24, m.data.length, true); cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true); ch.set(name, 46);
    parts.push(lh, body); central.push(ch);
    offset += lh.length + body.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const end = new Uint8Array(22), ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); ev.setUint16(8, members.length, true); ev.setUint16(10, members.length, true);
  ev.setUint32(12, cdSize, true); ev.setUint32(16, offset, true);
  return concat([...parts, ...central, end]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export interface StTensor { name: string; shape: number[]; values: ArrayLike<number>; dtype: WriteDtype }
const ST_NAME: Record<WriteDtype, string> = { f16: 'F16', bf16: 'BF16', f32: 'F32', f64: 'F64' };

/** A `.safetensors` file's bytes (tensors in the given order; `lie` edits the header after layout). */
export function safetensorsBytes(tensors: StTensor[], lie?: (header: Record<string, any>) => void): Uint8Array {
  const header: Record<string, any> = { __metadata__: { format: 'pt' } }, datas: Uint8Array[] = [];
  let off = 0;
  for (const t of tensors) {
    const d = encode(t.values, t.dtype);
    header[t.name] = { dtype: ST_NAME[t.dtype], shape: t.shape, data_offsets: [off, off + d.length] };
    datas.push(d); off += d.length;
  }
  lie?.(header);
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const h = new TextEncoder().encode(json), len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(h.length), true);
  return concat([len, h, ...datas]);
}

export function writeBytes(path: string, bytes: Uint8Array): string {
  writeFileSync(path, bytes);
  return path;
}
