/**
 * Experiment (not used by eigenflow): the `gemm` kernel with fused multiply–add, f64x2.relaxed_madd
 * from WebAssembly relaxed SIMD, in its 4×4 block, against the committed kernel, one thread,
 * alternating in the same process. Relaxed SIMD is behind a V8 flag in Node 20, set here with
 * v8.setFlagsFromString before compiling; the fused results differ from the unfused ones in the
 * last bits (printed).
 *
 *   node bench/gemm-fma.mjs [n]
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const wabt = await wabtInit();
const text = readFileSync(fileURLToPath(new URL('../kernels/linalg.wat', import.meta.url)), 'utf8');
const re = /\(local\.set \$(s\d\d) \(f64x2\.add \(local\.get \$s\d\d\) \(f64x2\.mul \(local\.get \$x\) \(local\.get \$(b\d)\)\)\)\)/g;
const fmaText = text.replace(re, (_, s, b) => `(local.set $${s} (f64x2.relaxed_madd (local.get $x) (local.get $${b}) (local.get $${s})))`);
console.log('replaced', (text.match(re) || []).length);
const build = (t, f) => { const m = wabt.parseWat('k.wat', t, f); m.resolveNames(); m.validate(f); return m.toBinary({}).buffer; };
const plain = new WebAssembly.Module(build(text, { simd: true, threads: true }));
const fma = new WebAssembly.Module(build(fmaText, { simd: true, threads: true, relaxed_simd: true }));
const n = Number(process.argv[2] ?? 1024), mem = new WebAssembly.Memory({ initial: Math.ceil((3 * n * n * 8 + 256 * 64 * 8) / 65536), maximum: Math.ceil((3 * n * n * 8 + 256 * 64 * 8) / 65536), shared: true });
const F = new Float64Array(mem.buffer);
for (let i = 0; i < 2 * n * n; i++) F[i] = Math.random() - 0.5;
const kp = new WebAssembly.Instance(plain, { env: { mem } }).exports, kf = new WebAssembly.Instance(fma, { env: { mem } }).exports;
const A = 0, B = n * n * 8, C = 2 * n * n * 8, P = 3 * n * n * 8;
const time = (k) => { F.fill(0, 2 * n * n, 3 * n * n); const t = performance.now(); k.gemm(C, n, A, n, B, n, 0, n, n, n, 1, P); return performance.now() - t; };
const res = { plain: [], fma: [] };
for (let r = 0; r < 6; r++) { res.plain.push(time(kp)); res.fma.push(time(kf)); }
const best = (x) => Math.min(...x);
const load = (await import('node:os')).loadavg()[0].toFixed(2);
console.log(`${n}³, one thread, best of 6 (load ${load}): plain ${best(res.plain).toFixed(1)} ms = ${(2 * n ** 3 / best(res.plain) / 1e6).toFixed(1)} GF/s; fma ${best(res.fma).toFixed(1)} ms = ${(2 * n ** 3 / best(res.fma) / 1e6).toFixed(1)} GF/s; fma ÷ plain ${(best(res.fma) / best(res.plain)).toFixed(2)}`);
// difference in results
time(kp); const c1 = F.slice(2 * n * n, 3 * n * n); time(kf); let d = 0; for (let i = 0; i < n * n; i++) d = Math.max(d, Math.abs(c1[i] - F[2 * n * n + i])); console.log('max |plain − fma|', d);
