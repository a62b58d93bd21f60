/**
 * The bytes of a TensorBoard event file, hand-encoded (no protobuf or native dependency):
 * TFRecord framing (length, masked CRC-32C of the length, payload, masked CRC-32C of the payload)
 * around `tensorflow.Event` protocol buffers carrying summaries.
 *
 * Field numbers follow tensorflow/core/util/event.proto, framework/summary.proto, tensor.proto and
 * tensor_shape.proto:
 *   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 *   Summary { repeated Value value = 1; }
 *   Value   { string tag = 1; HistogramProto histo = 5; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
 *   SummaryMetadata { PluginData plugin_data = 1; }  PluginData { string plugin_name = 1; bytes content = 2; }
 *   TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2; repeated double double_val = 6; repeated bytes string_val = 8; }
 *   HistogramProto { double min = 1, max = 2, num = 3, sum = 4, sum_squares = 5; repeated double bucket_limit = 6, bucket = 7; }
 */

const CRC_TABLE = ((): Uint32Array => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1; // Castagnoli, reflected
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C (Castagnoli) of `bytes`. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: u64 length, u32 masked CRC of the length, payload, u32 masked CRC of the payload (little-endian). */
export function tfRecord(payload: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + payload.length + 4);
  out.writeBigUInt64LE(BigInt(payload.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(payload, 12);
  out.writeUInt32LE(maskedCrc32c(payload), 12 + payload.length);
  return out;
}

// ---- protobuf wire format ----------------------------------------------------------------------

class Proto {
  private readonly parts: Uint8Array[] = [];
  private varint(v: number | bigint): void {
    let n = BigInt.asUintN(64, BigInt(v));
    const bytes: number[] = [];
    do { let b = Number(n & 0x7fn); n >>= 7n; if (n) b |= 0x80; bytes.push(b); } while (n);
    this.parts.push(Uint8Array.from(bytes));
  }
  private key(field: number, wire: number): void { this.varint((field << 3) | wire); }
  int(field: number, v: number): this { this.key(field, 0); this.varint(Math.trunc(v)); return this; }
  double(field: number, v: number): this { this.key(field, 1); const b = Buffer.alloc(8); b.writeDoubleLE(v); this.parts.push(b); return this; }
  bytes(field: number, v: Uint8Array | string): this {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.key(field, 2); this.varint(b.length); this.parts.push(b); return this;
  }
  message(field: number, m: Proto): this { return this.bytes(field, m.finish()); }
  packedDoubles(field: number, vs: readonly number[]): this {
    const b = Buffer.alloc(8 * vs.length);
    vs.forEach((v, i) => b.writeDoubleLE(v, 8 * i));
    return this.bytes(field, b);
  }
  finish(): Uint8Array { return Buffer.concat(this.parts); }
}

const DT_DOUBLE = 2, DT_STRING = 7;

const pluginMetadata = (plugin: string): Proto => new Proto().message(1, new Proto().bytes(1, plugin));

function event(wallTimeSeconds: number, step: number, value: Proto | null, fileVersion?: string): Buffer {
  const e = new Proto().double(1, wallTimeSeconds).int(2, step);
  if (fileVersion) e.bytes(3, fileVersion);
  if (value) e.message(5, new Proto().message(1, value));
  return tfRecord(e.finish());
}

/** The first record of every event file. */
export const fileVersionRecord = (wallTimeSeconds: number): Buffer => event(wallTimeSeconds, 0, null, 'brain.Event:2');

/** A scalar as a float64 tensor of the `scalars` plugin (TensorBoard 2's form; no float32 rounding). */
export function scalarRecord(tag: string, step: number, value: number, wallTimeSeconds: number): Buffer {
  const tensor = new Proto().int(1, DT_DOUBLE).message(2, new Proto()).packedDoubles(6, [value]);
  return event(wallTimeSeconds, step, new Proto().bytes(1, tag).message(8, tensor).message(9, pluginMetadata('scalars')), undefined);
}

/** Markdown text of the `text` plugin. */
export function textRecord(tag: string, step: number, text: string, wallTimeSeconds: number): Buffer {
  const tensor = new Proto().int(1, DT_STRING).message(2, new Proto()).bytes(8, text);
  return event(wallTimeSeconds, step, new Proto().bytes(1, tag).message(8, tensor).message(9, pluginMetadata('text')), undefined);
}

/** A histogram of `values` (finite ones) in up to `buckets` equal-width buckets. */
export function histogramRecord(tag: string, step: number, values: readonly number[], wallTimeSeconds: number, buckets = 30): Buffer {
  const v = values.filter(Number.isFinite);
  let min = Infinity, max = -Infinity, sum = 0, sumSq = 0;
  for (const x of v) { if (x < min) min = x; if (x > max) max = x; sum += x; sumSq += x * x; }
  if (v.length === 0) { min = 0; max = 0; }
  const k = v.length === 0 ? 1 : min === max ? 1 : Math.min(buckets, v.length);
  const width = (max - min) / k;
  const limits: number[] = [], counts: number[] = new Array(k).fill(0);
  for (let i = 1; i <= k; i++) limits.push(i === k ? max : min + width * i);
  for (const x of v) counts[Math.min(k - 1, width > 0 ? Math.floor((x - min) / width) : 0)]++;
  const histo = new Proto().double(1, min).double(2, max).double(3, v.length).double(4, sum).double(5, sumSq).packedDoubles(6, limits).packedDoubles(7, counts);
  return event(wallTimeSeconds, step, new Proto().bytes(1, tag).message(5, histo), undefined);
}
