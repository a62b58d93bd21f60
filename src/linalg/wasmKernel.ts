/**
 * The inner row loop of the one-pass bidiagonalisation (see bidiag.ts) as a WebAssembly SIMD
 * (f64x2) kernel. There is no WebAssembly toolchain in the environment, so the module is
 * assembled here, byte by byte, from a few opcodes. If the runtime rejects it (no SIMD),
 * `loadBidiagKernel` returns null and the plain TypeScript loop is used instead.
 *
 * Kernel `tri` does the same for the symmetric rank-2 update + product of tridiag.ts.
 *
 * Kernel `rows(a, n, m, k, w, u, p, tl, tr, scale)`: a, w, u, p are byte offsets into the
 * module's memory (a is the m×n row-major matrix; w, u, p are length-n vectors). For each row
 * i in k+1..m-1 it does exactly what the TypeScript loop in `bidiagonalize` does.
 */

// ---- a minimal assembler ------------------------------------------------------------------
const uleb = (v: number): number[] => {
  const out: number[] = [];
  do { let b = v & 0x7f; v >>>= 7; if (v) b |= 0x80; out.push(b); } while (v);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f; v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f, F64 = 0x7c, V128 = 0x7b;
const op = {
  get: (i: number) => [0x20, ...uleb(i)], set: (i: number) => [0x21, ...uleb(i)], tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  f64: (v: number) => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)],
  add: [0x6a], sub: [0x6b], mul: [0x6c], gtS: [0x4a], geS: [0x4e], ltS: [0x48],
  fadd: [0xa0], fsub: [0xa1], fmul: [0xa2],
  fload: [0x2b, 3, 0], fstore: [0x39, 3, 0],
  vload: [0xfd, 0x00, 3, 0], vstore: [0xfd, 0x0b, 3, 0],
  splat: [0xfd, 0x14], lane: (l: number) => [0xfd, 0x21, l],
  vadd: [0xfd, 0xf0, 0x01], vsub: [0xfd, 0xf1, 0x01], vmul: [0xfd, 0xf2, 0x01],
  block: [0x02, 0x40], loop: [0x03, 0x40], if: [0x04, 0x40], end: [0x0b],
  br: (d: number) => [0x0c, d], brIf: (d: number) => [0x0d, d], select: [0x1b],
};

// parameters
const A = 0, N = 1, M = 2, K = 3, W = 4, U = 5, P = 6, TL = 7, TR = 8, SC = 9;
// locals
const I = 10, R = 11, J = 12, END = 13, K1 = 14; // i32
const VI = 15, CL = 16, S = 17, X0 = 18, XS = 19; // f64
const ACC = 20, CLV = 21, SV = 22, X = 23, X0V = 24; // v128

function rowsBody(): number[] {
  const g = op.get;
  return [
    // END = n*8, K1 = (k+1)*8, i = k+1
    ...g(N), ...op.i32(8), ...op.mul, ...op.set(END),
    ...g(K), ...op.i32(1), ...op.add, ...op.tee(I), ...op.i32(8), ...op.mul, ...op.set(K1),
    ...op.block, ...op.loop,
    ...g(I), ...g(M), ...op.geS, ...op.brIf(1),
    // R = a + i*n*8
    ...g(A), ...g(I), ...g(END), ...op.mul, ...op.add, ...op.set(R),
    // vi = a[r + k*8]*scale; store; cl = tl*vi
    ...g(R), ...g(K), ...op.i32(8), ...op.mul, ...op.add,
    ...g(R), ...g(K), ...op.i32(8), ...op.mul, ...op.add, ...op.fload, ...g(SC), ...op.fmul, ...op.tee(VI), ...op.fstore,
    ...g(TL), ...g(VI), ...op.fmul, ...op.tee(CL), ...op.splat, ...op.set(CLV),
    ...op.f64(0), ...op.splat, ...op.set(ACC),
    // loop 1: x = a[j] − cl·w[j]; a[j] = x; acc += x·u[j]
    ...g(K1), ...op.set(J),
    ...op.block, ...op.loop,
    ...g(J), ...op.i32(16), ...op.add, ...g(END), ...op.gtS, ...op.brIf(1),
    ...g(R), ...g(J), ...op.add,
    ...g(R), ...g(J), ...op.add, ...op.vload, ...g(CLV), ...g(W), ...g(J), ...op.add, ...op.vload, ...op.vmul, ...op.vsub, ...op.tee(X),
    ...op.vstore,
    ...g(ACC), ...g(X), ...g(U), ...g(J), ...op.add, ...op.vload, ...op.vmul, ...op.vadd, ...op.set(ACC),
    ...g(J), ...op.i32(16), ...op.add, ...op.set(J), ...op.br(0),
    ...op.end, ...op.end,
    ...g(ACC), ...op.lane(0), ...g(ACC), ...op.lane(1), ...op.fadd, ...op.set(S),
    ...g(J), ...g(END), ...op.ltS, ...op.if,
    ...g(R), ...g(J), ...op.add,
    ...g(R), ...g(J), ...op.add, ...op.fload, ...g(CL), ...g(W), ...g(J), ...op.add, ...op.fload, ...op.fmul, ...op.fsub, ...op.tee(XS),
    ...op.fstore,
    ...g(S), ...g(XS), ...g(U), ...g(J), ...op.add, ...op.fload, ...op.fmul, ...op.fadd, ...op.set(S),
    ...op.end,
    ...g(S), ...g(TR), ...op.fmul, ...op.set(S),
    // column k+1: xs = a[k1] − s; store; x0 = i > k+1 ? xs : 0
    ...g(R), ...g(K1), ...op.add,
    ...g(R), ...g(K1), ...op.add, ...op.fload, ...g(S), ...op.fsub, ...op.tee(XS), ...op.fstore,
    ...g(XS), ...op.f64(0), ...g(I), ...g(K), ...op.i32(1), ...op.add, ...op.gtS, ...op.select, ...op.set(X0),
    ...g(S), ...op.splat, ...op.set(SV), ...g(X0), ...op.splat, ...op.set(X0V),
    // loop 2: x = a[j] − s·u[j]; a[j] = x; p[j] += x0·x
    ...g(K1), ...op.i32(8), ...op.add, ...op.set(J),
    ...op.block, ...op.loop,
    ...g(J), ...op.i32(16), ...op.add, ...g(END), ...op.gtS, ...op.brIf(1),
    ...g(R), ...g(J), ...op.add,
    ...g(R), ...g(J), ...op.add, ...op.vload, ...g(SV), ...g(U), ...g(J), ...op.add, ...op.vload, ...op.vmul, ...op.vsub, ...op.tee(X),
    ...op.vstore,
    ...g(P), ...g(J), ...op.add,
    ...g(P), ...g(J), ...op.add, ...op.vload, ...g(X0V), ...g(X), ...op.vmul, ...op.vadd,
    ...op.vstore,
    ...g(J), ...op.i32(16), ...op.add, ...op.set(J), ...op.br(0),
    ...op.end, ...op.end,
    ...g(J), ...g(END), ...op.ltS, ...op.if,
    ...g(R), ...g(J), ...op.add,
    ...g(R), ...g(J), ...op.add, ...op.fload, ...g(S), ...g(U), ...g(J), ...op.add, ...op.fload, ...op.fmul, ...op.fsub, ...op.tee(XS),
    ...op.fstore,
    ...g(P), ...g(J), ...op.add,
    ...g(P), ...g(J), ...op.add, ...op.fload, ...g(X0), ...g(XS), ...op.fmul, ...op.fadd,
    ...op.fstore,
    ...op.end,
    ...g(I), ...op.i32(1), ...op.add, ...op.set(I), ...op.br(0),
    ...op.end, ...op.end,
  ];
}

// ---- the tridiagonalisation kernel ---------------------------------------------------------
// tri(a, n, lo, v, w, vn, yn): for rows i ≥ lo of the lower triangle, a_ij −= v_i w_j + w_i v_j
// (j in lo..i), and yn += A·vn accumulated from the updated entries (row-dot and column-axpy).
const TA = 0, TN = 1, TLO = 2, TV = 3, TW = 4, TVN = 5, TYN = 6;
const TI = 7, TROW = 8, TJ = 9, TLIM = 10, TLO8 = 11; // i32
const TVI = 12, TWI = 13, TVNI = 14, TS = 15, TX = 16, TD = 17; // f64
const TVIV = 18, TWIV = 19, TVNIV = 20, TACC = 21, TXV = 22; // v128

function triBody(): number[] {
  const g = op.get;
  const at = (base: number) => [...g(base), ...g(TJ), ...op.add];
  return [
    ...g(TLO), ...op.i32(8), ...op.mul, ...op.set(TLO8), ...g(TLO), ...op.set(TI),
    ...op.block, ...op.loop,
    ...g(TI), ...g(TN), ...op.geS, ...op.brIf(1),
    ...g(TA), ...g(TI), ...g(TN), ...op.mul, ...op.i32(8), ...op.mul, ...op.add, ...op.set(TROW),
    ...g(TI), ...op.i32(8), ...op.mul, ...op.set(TLIM),
    ...g(TV), ...g(TLIM), ...op.add, ...op.fload, ...op.tee(TVI), ...op.splat, ...op.set(TVIV),
    ...g(TW), ...g(TLIM), ...op.add, ...op.fload, ...op.tee(TWI), ...op.splat, ...op.set(TWIV),
    ...g(TVN), ...g(TLIM), ...op.add, ...op.fload, ...op.tee(TVNI), ...op.splat, ...op.set(TVNIV),
    ...op.f64(0), ...op.splat, ...op.set(TACC),
    ...g(TLO8), ...op.set(TJ),
    ...op.block, ...op.loop,
    ...g(TJ), ...op.i32(16), ...op.add, ...g(TLIM), ...op.gtS, ...op.brIf(1),
    ...at(TROW),
    ...at(TROW), ...op.vload, ...g(TVIV), ...at(TW), ...op.vload, ...op.vmul, ...op.vsub,
    ...g(TWIV), ...at(TV), ...op.vload, ...op.vmul, ...op.vsub, ...op.tee(TXV), ...op.vstore,
    ...g(TACC), ...g(TXV), ...at(TVN), ...op.vload, ...op.vmul, ...op.vadd, ...op.set(TACC),
    ...at(TYN), ...at(TYN), ...op.vload, ...g(TXV), ...g(TVNIV), ...op.vmul, ...op.vadd, ...op.vstore,
    ...g(TJ), ...op.i32(16), ...op.add, ...op.set(TJ), ...op.br(0),
    ...op.end, ...op.end,
    ...g(TACC), ...op.lane(0), ...g(TACC), ...op.lane(1), ...op.fadd, ...op.set(TS),
    ...g(TJ), ...g(TLIM), ...op.ltS, ...op.if,
    ...at(TROW),
    ...at(TROW), ...op.fload, ...g(TVI), ...at(TW), ...op.fload, ...op.fmul, ...op.fsub,
    ...g(TWI), ...at(TV), ...op.fload, ...op.fmul, ...op.fsub, ...op.tee(TX), ...op.fstore,
    ...g(TS), ...g(TX), ...at(TVN), ...op.fload, ...op.fmul, ...op.fadd, ...op.set(TS),
    ...at(TYN), ...at(TYN), ...op.fload, ...g(TX), ...g(TVNI), ...op.fmul, ...op.fadd, ...op.fstore,
    ...op.end,
    // diagonal: d = a_ii − 2 v_i w_i; yn_i += acc + d·vn_i
    ...g(TROW), ...g(TLIM), ...op.add,
    ...g(TROW), ...g(TLIM), ...op.add, ...op.fload, ...op.f64(2), ...g(TVI), ...op.fmul, ...g(TWI), ...op.fmul, ...op.fsub, ...op.tee(TD), ...op.fstore,
    ...g(TYN), ...g(TLIM), ...op.add,
    ...g(TYN), ...g(TLIM), ...op.add, ...op.fload, ...g(TS), ...op.fadd, ...g(TD), ...g(TVNI), ...op.fmul, ...op.fadd, ...op.fstore,
    ...g(TI), ...op.i32(1), ...op.add, ...op.set(TI), ...op.br(0),
    ...op.end, ...op.end,
  ];
}

// ---- reflector and rotation kernels for forming vectors ------------------------------------
// refl(base, rows, stride, len, v, tau): for each of `rows` rows starting at byte `base`, `stride`
// bytes apart: s = row·v (len entries), row −= τ s v.
const FB = 0, FROWS = 1, FSTRIDE = 2, FLEN = 3, FV = 4, FTAU = 5;
const FR = 6, FJ = 7, FEND = 8, FI = 9; // i32
const FS = 10, FX = 11; // f64
const FACC = 12, FSV = 13; // v128

function reflBody(): number[] {
  const g = op.get;
  const at = (base: number) => [...g(base), ...g(FJ), ...op.add];
  return [
    ...g(FLEN), ...op.i32(8), ...op.mul, ...op.set(FEND), ...op.i32(0), ...op.set(FI),
    ...op.block, ...op.loop,
    ...g(FI), ...g(FROWS), ...op.geS, ...op.brIf(1),
    ...g(FB), ...g(FI), ...g(FSTRIDE), ...op.mul, ...op.add, ...op.set(FR),
    ...op.f64(0), ...op.splat, ...op.set(FACC), ...op.i32(0), ...op.set(FJ),
    ...op.block, ...op.loop,
    ...g(FJ), ...op.i32(16), ...op.add, ...g(FEND), ...op.gtS, ...op.brIf(1),
    ...g(FACC), ...at(FR), ...op.vload, ...at(FV), ...op.vload, ...op.vmul, ...op.vadd, ...op.set(FACC),
    ...g(FJ), ...op.i32(16), ...op.add, ...op.set(FJ), ...op.br(0),
    ...op.end, ...op.end,
    ...g(FACC), ...op.lane(0), ...g(FACC), ...op.lane(1), ...op.fadd, ...op.set(FS),
    ...g(FJ), ...g(FEND), ...op.ltS, ...op.if,
    ...g(FS), ...at(FR), ...op.fload, ...at(FV), ...op.fload, ...op.fmul, ...op.fadd, ...op.set(FS),
    ...op.end,
    ...g(FS), ...g(FTAU), ...op.fmul, ...op.tee(FS), ...op.splat, ...op.set(FSV),
    ...op.i32(0), ...op.set(FJ),
    ...op.block, ...op.loop,
    ...g(FJ), ...op.i32(16), ...op.add, ...g(FEND), ...op.gtS, ...op.brIf(1),
    ...at(FR), ...at(FR), ...op.vload, ...g(FSV), ...at(FV), ...op.vload, ...op.vmul, ...op.vsub, ...op.vstore,
    ...g(FJ), ...op.i32(16), ...op.add, ...op.set(FJ), ...op.br(0),
    ...op.end, ...op.end,
    ...g(FJ), ...g(FEND), ...op.ltS, ...op.if,
    ...at(FR), ...at(FR), ...op.fload, ...g(FS), ...at(FV), ...op.fload, ...op.fmul, ...op.fsub, ...op.fstore,
    ...op.end,
    ...g(FI), ...op.i32(1), ...op.add, ...op.set(FI), ...op.br(0),
    ...op.end, ...op.end,
  ];
}

// rot(p, q, len, c, s): rows at bytes p and q: p ← c·p + s·q, q ← c·q − s·p.
const GP = 0, GQ = 1, GLEN = 2, GC = 3, GS = 4;
const GJ = 5, GEND = 6; // i32
const GX = 7, GY = 8; // f64
const GCV = 9, GSV = 10, GXV = 11, GYV = 12; // v128

function rotBody(): number[] {
  const g = op.get;
  const at = (base: number) => [...g(base), ...g(GJ), ...op.add];
  return [
    ...g(GLEN), ...op.i32(8), ...op.mul, ...op.set(GEND), ...op.i32(0), ...op.set(GJ),
    ...g(GC), ...op.splat, ...op.set(GCV), ...g(GS), ...op.splat, ...op.set(GSV),
    ...op.block, ...op.loop,
    ...g(GJ), ...op.i32(16), ...op.add, ...g(GEND), ...op.gtS, ...op.brIf(1),
    ...at(GP), ...op.vload, ...op.set(GXV), ...at(GQ), ...op.vload, ...op.set(GYV),
    ...at(GP), ...g(GCV), ...g(GXV), ...op.vmul, ...g(GSV), ...g(GYV), ...op.vmul, ...op.vadd, ...op.vstore,
    ...at(GQ), ...g(GCV), ...g(GYV), ...op.vmul, ...g(GSV), ...g(GXV), ...op.vmul, ...op.vsub, ...op.vstore,
    ...g(GJ), ...op.i32(16), ...op.add, ...op.set(GJ), ...op.br(0),
    ...op.end, ...op.end,
    ...g(GJ), ...g(GEND), ...op.ltS, ...op.if,
    ...at(GP), ...op.fload, ...op.set(GX), ...at(GQ), ...op.fload, ...op.set(GY),
    ...at(GP), ...g(GC), ...g(GX), ...op.fmul, ...g(GS), ...g(GY), ...op.fmul, ...op.fadd, ...op.fstore,
    ...at(GQ), ...g(GC), ...g(GY), ...op.fmul, ...g(GS), ...g(GX), ...op.fmul, ...op.fsub, ...op.fstore,
    ...op.end,
  ];
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const localDecl = (i32: number, f64: number, v128: number) => vec([[i32, I32], [f64, F64], [v128, V128]].map(([c, t]) => [...uleb(c), t]));
  const rowsType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [F64], [F64], [F64]]), 0];
  const triType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0];
  const reflType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [F64]]), 0];
  const rotType = [0x60, ...vec([[I32], [I32], [I32], [F64], [F64]]), 0];
  const rows = [...localDecl(5, 5, 5), ...rowsBody(), ...op.end];
  const tri = [...localDecl(5, 6, 5), ...triBody(), ...op.end];
  const refl = [...localDecl(4, 2, 2), ...reflBody(), ...op.end];
  const rot = [...localDecl(2, 2, 4), ...rotBody(), ...op.end];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([rowsType, triType, reflType, rotType])),
    ...section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, 0x01]])), // memory, min 1 page
    ...section(3, vec([[0], [1], [2], [3]])),
    ...section(7, vec([[...str('rows'), 0x00, 0], [...str('tri'), 0x00, 1], [...str('refl'), 0x00, 2], [...str('rot'), 0x00, 3]])),
    ...section(10, vec([rows, tri, refl, rot].map((b) => [...uleb(b.length), ...b]))),
  ]);
}

export type RowsKernel = (a: number, n: number, m: number, k: number, w: number, u: number, p: number, tl: number, tr: number, scale: number) => void;
export type TriKernel = (a: number, n: number, lo: number, v: number, w: number, vn: number, yn: number) => void;
export interface Kernels {
  rows: RowsKernel;
  tri: TriKernel;
  refl: (base: number, rows: number, stride: number, len: number, v: number, tau: number) => void;
  rot: (p: number, q: number, len: number, c: number, s: number) => void;
  memory: WebAssembly.Memory;
}

let compiled: WebAssembly.Module | null | undefined;

/** The kernels bound to `memory`, or null when WebAssembly SIMD is unavailable. */
export function loadKernels(memory: WebAssembly.Memory): Kernels | null {
  if (compiled === undefined) {
    try { compiled = new WebAssembly.Module(moduleBytes()); } catch { compiled = null; }
  }
  if (!compiled) return null;
  const inst = new WebAssembly.Instance(compiled, { env: { mem: memory } });
  const x = inst.exports as unknown as Omit<Kernels, 'memory'>;
  return { rows: x.rows, tri: x.tri, refl: x.refl, rot: x.rot, memory };
}

/** The bidiagonalisation row kernel bound to `memory`, or null. */
export function loadBidiagKernel(memory: WebAssembly.Memory): RowsKernel | null {
  return loadKernels(memory)?.rows ?? null;
}

/** Fresh zeroed arrays of the given lengths in one WebAssembly memory, with its kernels; or null. */
export function kernelArrays(lengths: number[]): { k: Kernels; arrays: Float64Array[] } | null {
  const total = lengths.reduce((a, b) => a + b, 0) + 2;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((total * 8) / 65536) });
  const k = loadKernels(memory);
  if (!k) return null;
  let off = 0;
  const arrays = lengths.map((len) => { const a = new Float64Array(memory.buffer, off * 8, len); off += len; return a; });
  return { k, arrays };
}

/** Optional vector workspace for formUt / formVt / formQt and the rotation loops. */
export interface VectorWork { k: Kernels; out: Float64Array; scratch: Float64Array }
