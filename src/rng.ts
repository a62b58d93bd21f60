/**
 * Seeded random numbers. One run seed; every node derives its own stream from the seed and its
 * node id (`deriveRng(seed, 'train')`), so adding a node never shifts another node's numbers and
 * the same graph + seed + backend reproduces every metric.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting RNG): 128 bits of state,
 * passes PractRand, and is a few ns per draw in V8. Normals use Box–Muller with the spare kept.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  fillUniform<T extends Float32Array | Float64Array>(out: T, lo?: number, hi?: number): T;
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean?: number, std?: number): T;
  /** A 31-bit integer to pass as `seed` to tf.random* ops. */
  tfSeed(): number;
  /** An independent stream named by `label`, reproducible from this one's seed. */
  fork(label: string): Rng;
}

/** 32-bit FNV-1a then a murmur3 finaliser: spreads similar strings far apart. */
function hash32(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A stream's complete state: enough to continue it elsewhere (a worker thread) and hand it back. */
export interface RngState {
  readonly key: string;
  /** sfc32's four 32-bit words. */
  readonly words: readonly [number, number, number, number];
  /** The second normal of the last Box–Muller pair, not yet drawn. */
  readonly spare: number | null;
}

/** The state of a stream from `deriveRng` (or `rngFromState`). */
export function rngState(rng: Rng): RngState {
  if (!(rng instanceof Sfc32)) throw new Error('rngState: not a stream made by deriveRng');
  return rng.state();
}

/** A stream that continues from `state`, drawing exactly what the stream it came from would have. */
export function rngFromState(state: RngState): Rng {
  const rng = new Sfc32(0, 0, 0, 0, state.key, 0);
  rng.restore(state);
  return rng;
}

/** Move `rng` to `state` (the state a copy reached elsewhere), so it goes on from there. */
export function restoreRng(rng: Rng, state: RngState): void {
  if (!(rng instanceof Sfc32)) throw new Error('restoreRng: not a stream made by deriveRng');
  rng.restore(state);
}

export function deriveRng(seed: number, label: string): Rng {
  const key = `${seed}/${label}`;
  return new Sfc32(hash32(key, 1), hash32(key, 2), hash32(key, 3), hash32(key, 4), key);
}

/**
 * A class, not a closure per stream, so that V8 sees one `uniform` wherever many streams are drawn
 * from (members: one per model) and inlines it; the state is a typed array because int32 values
 * beyond V8's small-integer range would be boxed on every store (7 ns per draw instead of ~1.5).
 */
class Sfc32 implements Rng {
  private readonly s: Int32Array;
  private spare: number | null = null;

  /** `warmup`: outputs to discard; sfc32 mixes its seed in over ~12 rounds. */
  constructor(a: number, b: number, c: number, d: number, private readonly key: string, warmup = 15) {
    this.s = Int32Array.of(a, b, c, d);
    for (let i = 0; i < warmup; i++) this.next32();
  }

  state(): RngState {
    const s = this.s;
    return { key: this.key, words: [s[0], s[1], s[2], s[3]], spare: this.spare };
  }

  restore(state: RngState): void {
    if (state.key !== this.key) throw new Error(`restoreRng: the state of stream ${state.key} cannot continue stream ${this.key}`);
    this.s.set(state.words);
    this.spare = state.spare;
  }

  private next32(): number {
    const s = this.s, a = s[0], b = s[1], c = s[2], d = s[3];
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  uniform(): number {
    return this.next32() / 4294967296;
  }

  normal(): number {
    if (this.spare !== null) { const s = this.spare; this.spare = null; return s; }
    let u = 0;
    while (u === 0) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  fillUniform<T extends Float32Array | Float64Array>(out: T, lo = 0, hi = 1): T {
    const w = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + w * this.uniform();
    return out;
  }

  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  tfSeed(): number {
    return this.next32() >>> 1;
  }

  fork(label: string): Rng {
    return deriveRng(hash32(this.key, 5), label);
  }
}
