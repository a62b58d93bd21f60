/**
 * What the package's tests and benchmarks share: seeded random numbers (the same sfc32 streams as
 * eigenflow's `deriveRng`, so a fixed seed gives the same matrices as before the package moved
 * out of the engine) and a tolerance assertion. Test code only: the package itself draws no
 * random numbers (`randomOrthogonal` takes the caller's generator).
 */
import assert from 'node:assert/strict';

export interface TestRng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller, spare kept). */
  normal(): number;
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean?: number, std?: number): T;
}

/** 32-bit FNV-1a then a murmur3 finaliser. */
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

/** A reproducible stream named by `seed` and `label`. */
export function deriveRng(seed: number, label: string): TestRng {
  const key = `${seed}/${label}`;
  let a = hash32(key, 1), b = hash32(key, 2), c = hash32(key, 3), d = hash32(key, 4);
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
    fillNormal(out, mean = 0, std = 1) {
      for (let i = 0; i < out.length; i++) out[i] = mean + std * normal();
      return out;
    },
  };
}

/** Elementwise |a − e| ≤ atol + rtol·|e|, with the first offending index in the message. */
export function expectArraysClose(actual: number | ArrayLike<number>, expected: number | ArrayLike<number>, atol = 1e-5, rtol = 0): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  assert.equal(a.length, e.length, `length ${a.length} ≠ expected ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const tol = atol + rtol * Math.abs(e[i]!);
    if (!(Math.abs(a[i]! - e[i]!) <= tol)) assert.fail(`index ${i}: got ${a[i]}, expected ${e[i]} (tolerance ${tol})`);
  }
}
