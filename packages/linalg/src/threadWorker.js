// A helper thread of a team (threads.ts): instantiates the kernels on the shared memory, then for
// each new job takes its slice (unless the calling thread already took it) until the team stops.
// Plain JavaScript, like threadSlice.js, so it starts without a TypeScript loader.
import { workerData } from 'node:worker_threads';
import { CLAIM, CLOSED, DONE, GEN, KIND, SPIN, STOP, runSlice } from './threadSlice.js';

const { module, memory, control, index, partial } = workerData;
const I = new Int32Array(control), F = new Float64Array(control), M = new Float64Array(memory.buffer);
const k = new WebAssembly.Instance(module, { env: { mem: memory } }).exports;
let gen = Atomics.load(I, GEN);
while (Atomics.load(I, CLOSED) === 0) {
  for (let s = 0; s < SPIN && Atomics.load(I, GEN) === gen; s++);
  Atomics.wait(I, GEN, gen);
  gen = Atomics.load(I, GEN);
  if (I[KIND] === STOP) break;
  if (Atomics.compareExchange(I, CLAIM + index, gen - 1, gen) !== gen - 1) continue;
  runSlice(k, I, F, M, index, partial);
  Atomics.add(I, DONE, 1);
  Atomics.notify(I, DONE);
}
