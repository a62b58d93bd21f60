/**
 * Shared by the `ssm` nodes: checks of explicit JSON matrices/vectors
 * (messages name the field, the shape expected and the shape found), and random systems.
 */
import { matrix64, svd, type Matrix64 } from '@eigenflow/linalg';
import type { Rng } from '../../src/rng.ts';
import { argError } from '../../src/check.ts';

function shapeOf(v: unknown): string {
  if (Array.isArray(v)) {
    if (v.length && v.every(Array.isArray)) return `${v.length} rows of lengths [${(v as unknown[][]).slice(0, 6).map((r) => r.length).join(', ')}${v.length > 6 ? ', …' : ''}]`;
    return `an array of length ${v.length}`;
  }
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** What is wrong with an explicit value: `size` problems can fall back to a random draw, others cannot. */
export interface ValueProblem { msg: string; size: boolean }

const badEntry = (x: unknown): boolean => typeof x !== 'number' || !Number.isFinite(x);
const show = (x: unknown): string => (typeof x === 'number' ? String(x) : JSON.stringify(x) ?? String(x));

/** Problem with `v` as a length-n vector of finite numbers, or null when it is fine. */
export function vectorProblem(name: string, v: unknown, n: number, fix: string): ValueProblem | null {
  if (!Array.isArray(v)) return { msg: `${name} must be an array of ${n} finite numbers (or null: ${fix}) but got ${shapeOf(v)}`, size: false };
  const i = v.findIndex(badEntry);
  if (i >= 0) return { msg: `${name} must be an array of ${n} finite numbers but ${name}[${i}] = ${show(v[i])}`, size: false };
  if (v.length !== n) return { msg: `${name} must have n = ${n} entries (the state size) but got ${v.length}; set n = ${v.length} or ${name} = null (${fix})`, size: true };
  return null;
}

/** Problem with `v` as an n×n array of rows of finite numbers, or null. */
export function matrixProblem(name: string, v: unknown, n: number, fix: string): ValueProblem | null {
  if (!Array.isArray(v) || !v.every(Array.isArray)) {
    return { msg: `${name} must be an n×n array of rows of finite numbers (or null: ${fix}) but got ${shapeOf(v)}`, size: false };
  }
  const rows = v as unknown[][];
  for (let r = 0; r < rows.length; r++) {
    const c = rows[r].findIndex(badEntry);
    if (c >= 0) return { msg: `${name} must hold finite numbers but ${name}[${r}][${c}] = ${show(rows[r][c])}`, size: false };
  }
  if (rows.length !== n || rows.some((r) => r.length !== n)) {
    return { msg: `${name} must be ${n}×${n} (n = ${n}) but got ${shapeOf(v)}; set n to match or ${name} = null (${fix})`, size: true };
  }
  return null;
}

interface GivenParams {
  kind: string; n: number; onMismatch: string;
  A: unknown; lambda: unknown; p: unknown; B: unknown; C: unknown;
}

/** The structure parameters each kind takes (dplr: p, and optionally the diagonal λ). */
const STRUCTURE: Record<string, readonly string[]> = { dense: ['A'], diagonal: ['lambda'], dplr: ['p', 'lambda'] };
const OWNER: Record<string, string> = { A: 'dense', lambda: 'diagonal" or "dplr', p: 'dplr' };
const RANDOM = 'drawn at random from seed';

/**
 * Sort the explicit system values of `ssm.system` into used (as flat float64 arrays), replaced
 * by random draws (`onMismatch: "random"`, with a note each) and problems (`"error"`). Values
 * that are not numeric arrays at all are problems under both policies.
 */
export function givenValues(p: GivenParams): {
  A: Float64Array | null; lambda: Float64Array | null; p: Float64Array | null; B: Float64Array | null; C: Float64Array | null;
  problems: string[]; replaced: string[];
} {
  const out = { A: null, lambda: null, p: null, B: null, C: null, problems: [] as string[], replaced: [] as string[] } as ReturnType<typeof givenValues>;
  const lenient = p.onMismatch === 'random';
  for (const name of ['A', 'lambda', 'p', 'B', 'C'] as const) {
    const v = p[name];
    if (v === null) continue;
    const isStructure = name === 'A' || name === 'lambda' || name === 'p';
    const problem = name === 'A' ? matrixProblem(name, v, p.n, RANDOM) : vectorProblem(name, v, p.n, RANDOM);
    if (problem && !problem.size) { out.problems.push(problem.msg); continue; }
    if (isStructure && !STRUCTURE[p.kind].includes(name)) {
      const takes = STRUCTURE[p.kind].join(' and ');
      const msg = `${name} applies only to kind = "${OWNER[name]}" but kind = "${p.kind}" (which takes ${takes}); set ${name} = null`;
      if (lenient) out.replaced.push(`${name} ignored: kind = "${p.kind}" takes ${takes}`);
      else out.problems.push(msg);
      continue;
    }
    if (problem !== null) {
      if (lenient) out.replaced.push(`${name} replaced by a random draw: ${problem.msg.split(';')[0]}`);
      else out.problems.push(problem.msg);
      continue;
    }
    out[name] = Float64Array.from(name === 'A' ? (v as number[][]).flat() : (v as number[]));
  }
  return out;
}

export function gaussian(rng: Rng, len: number, std = 1): Float64Array {
  return rng.fillNormal(new Float64Array(len), 0, std);
}

/**
 * Largest singular value: exact (Jacobi SVD) up to n = 128; above, power iteration on AᵀA, which
 * converges from below (to ~1e-4 relative in 300 steps for Gaussian A), and the Jacobi SVD would
 * take seconds to minutes.
 */
export function spectralNorm(A: Matrix64, rng: Rng): number {
  const n = A.rows;
  if (n <= 128) return svd(A).s[0];
  let v = gaussian(rng, n), w = new Float64Array(n), s = 0;
  for (let it = 0; it < 300; it++) {
    // w = A v, then v = Aᵀ w / ‖Aᵀ w‖
    for (let i = 0; i < n; i++) { let t = 0; const o = i * n; for (let j = 0; j < n; j++) t += A.data[o + j] * v[j]; w[i] = t; }
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) { const wi = w[i], o = i * n; for (let j = 0; j < n; j++) z[j] += A.data[o + j] * wi; }
    const norm = Math.sqrt(z.reduce((acc, x) => acc + x * x, 0));
    const next = Math.sqrt(norm); // ‖AᵀA v‖ → σ² for unit v
    v = z.map((x) => x / norm);
    if (Math.abs(next - s) <= 1e-6 * next) { s = next; break; }
    s = next;
  }
  return s;
}

/** Gaussian n×n matrix rescaled to spectral norm `radius` (so every |eigenvalue| ≤ radius). */
export function randomDense(rng: Rng, n: number, radius: number): Matrix64 {
  const A = matrix64(n, n, gaussian(rng, n * n));
  const norm = spectralNorm(A, rng.fork('norm'));
  for (let i = 0; i < A.data.length; i++) A.data[i] *= radius / norm;
  return A;
}

/** Checks a numeric sequence input (u, y, a kernel) and names the node, port and first bad entry. */
export function sequenceOf(where: string, port: string, v: unknown): Float64Array {
  const isSeq = Array.isArray(v) || v instanceof Float64Array || v instanceof Float32Array;
  if (!isSeq) throw argError(where, port, 'be an array of finite numbers', shapeOf(v));
  const arr = v as ArrayLike<unknown>;
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw argError(where, port, 'be an array of finite numbers', `${port}[${i}] = ${typeof x === 'number' ? x : JSON.stringify(x)}`);
    }
  }
  if (arr.length === 0) throw argError(where, port, 'be a non-empty array', 'an empty one');
  return Float64Array.from(arr as ArrayLike<number>);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
