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

export function deriveRng(seed: number, label: string): Rng {
  const key = `${seed}/${label}`;
  return sfc32(hash32(key, 1), hash32(key, 2), hash32(key, 3), hash32(key, 4), key);
}

function sfc32(a: number, b: number, c: number, d: number, key: string): Rng {
  let spare: number | null = null;
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 mixes its seed in over ~12 rounds.
  for (let i = 0; i < 15; i++) next32();
  const uniform = (): number => next32() / 4294967296;
  const normal = (): number => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = 0;
    while (u === 0) u = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * uniform();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return {
    uniform,
    normal,
    int: (n) => Math.floor(uniform() * n),
    fillUniform(out, lo = 0, hi = 1) {
      const w = hi - lo;
      for (let i = 0; i < out.length; i++) out[i] = lo + w * uniform();
      return out;
    },
    fillNormal(out, mean = 0, std = 1) {
      for (let i = 0; i < out.length; i++) out[i] = mean + std * normal();
      return out;
    },
    tfSeed: () => next32() >>> 1,
    fork: (label) => deriveRng(hash32(key, 5), label),
  };
}
