/**
 * A worker thread of optim.trainResidualMLP (residualTrainingInternals.ts): trains its slice of members one
 * window of steps per command until told to stop, then leaves its members' random streams in
 * shared memory for the main thread.
 */
import { workerData } from 'node:worker_threads';
import { rngFromState, rngState } from '../../src/rng.ts';
import { CONTROL, MESSAGE_BYTES, createSlice, writeStream, type WorkerSetup } from './residualTrainingInternals.ts';

const { slice, rng: states, control, streams } = (workerData as { setup: WorkerSetup }).setup;
const I = new Int32Array(control, 0, CONTROL.LENGTH);
const rng = states.map(rngFromState);
let gen = 0;
try {
  const training = createSlice(slice, rng);
  for (;;) {
    Atomics.wait(I, CONTROL.GEN, gen);
    gen = Atomics.load(I, CONTROL.GEN);
    if (I[CONTROL.STOP]) break;
    training.run(I[CONTROL.T0], I[CONTROL.T1]);
    Atomics.add(I, CONTROL.DONE, 1);
    Atomics.notify(I, CONTROL.DONE);
  }
  rng.forEach((r, j) => writeStream(streams, slice.k0 + j, rngState(r)));
} catch (e) {
  const text = new TextEncoder().encode(String((e as Error)?.stack ?? e)).slice(0, MESSAGE_BYTES - 1);
  new Uint8Array(control, 4 * CONTROL.LENGTH, MESSAGE_BYTES).set(text);
  Atomics.store(I, CONTROL.FAILED, 1);
}
Atomics.add(I, CONTROL.DONE, 1);
Atomics.notify(I, CONTROL.DONE);
