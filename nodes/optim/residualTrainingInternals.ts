/**
 * The training loop of optim.trainResidualMLP over its members, on one thread or several. Members
 * are independent (each samples from its own stream, takes its own step and keeps its own optimizer
 * state), so with threads each one trains a contiguous slice of members: the calling thread the
 * first, worker threads (residualTrainWorkerInternals.ts) the others. They run one logging window of steps
 * at a time in lockstep, on weights and per-window sums in shared memory, so the trainer reads every
 * member's weights and losses between windows as if it had run them itself. A member's numbers do
 * not depend on the thread it ran on (tested).
 *
 * Threads: EIGENFLOW_MEMBER_THREADS, else every core (`os.availableParallelism()`), never more
 * than the members, and one when the run is too short to repay starting a worker (~0.2 s).
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { restoreRng, rngState, type Rng, type RngState } from '../../src/rng.ts';
import { createCsrSamplers, type SparseFeatures } from '../data/dataInternals.ts';
import { createOptimizer, type OptimizerSpec } from './optimInternals.ts';
import { createResidualSteps } from './residualStepInternals.ts';

/** Weights and per-window results of every member, in memory every thread sees. */
export interface SharedTraining {
  /** count blocks of n × m: W1 transposed, and W2. */
  readonly W1T: Float32Array;
  readonly W2: Float32Array;
  /** Sum of the member's losses over the current window. */
  readonly acc: Float64Array;
  /** The learning rate of the member's last step. */
  readonly lrs: Float64Array;
  /** The step at which the member's loss stopped being finite (0: it has not), and that loss. */
  readonly divergedAt: Int32Array;
  readonly divergedLoss: Float64Array;
}

/** What one thread needs to train members k0 … k1 − 1: plain data, so it crosses to a worker as is. */
export interface SliceSetup {
  readonly n: number;
  readonly m: number;
  readonly k0: number;
  readonly k1: number;
  readonly steps: number;
  readonly batch: number;
  /** The slice's members' Wn, (k1 − k0) blocks of n × n. */
  readonly Wn: Float32Array;
  readonly data: readonly SparseFeatures[];
  readonly specs: readonly OptimizerSpec[];
  readonly shared: SharedTraining;
}

/**
 * Train a slice: `run(t0, t1)` takes steps t0 … t1 for its members that have not diverged, one
 * member after another (a member's weights, optimizer state and batch stay in cache for the
 * window; members are independent, so the order changes no number).
 */
export function createSlice(setup: SliceSetup, rng: readonly Rng[]): { run(t0: number, t1: number): void } {
  const { n, m, k0, k1, steps, batch, shared } = setup;
  const count = k1 - k0, nm = n * m;
  const step = createResidualSteps(n, m, count, setup.Wn);
  const samplers = createCsrSamplers(setup.data);
  const opts = setup.specs.map((spec) => createOptimizer(spec, [nm, nm]));
  const gW1T = new Float32Array(nm), gW2 = new Float32Array(nm);
  return {
    run(t0, t1) {
      for (let j = 0, k = k0; j < count; j++, k++) {
        const W1T = shared.W1T.subarray(k * nm, (k + 1) * nm), W2 = shared.W2.subarray(k * nm, (k + 1) * nm);
        for (let t = t0; t <= t1 && !shared.divergedAt[k]; t++) {
          const loss = step.lossAndGrad(j, samplers[j].sample(rng[j], batch), W1T, W2, gW1T, gW2);
          if (!Number.isFinite(loss)) { shared.divergedAt[k] = t; shared.divergedLoss[k] = loss; break; }
          shared.lrs[k] = opts[j].step([W1T, W2], [gW1T, gW2], t, steps);
          shared.acc[k] += loss;
        }
      }
    },
  };
}

/** Control words shared with the workers (Int32Array indices). */
export const CONTROL = { GEN: 0, STOP: 1, T0: 2, T1: 3, DONE: 4, FAILED: 5, LENGTH: 8 } as const;
/** Room for a worker's error message (UTF-8 bytes, after the control words). */
export const MESSAGE_BYTES = 2048;

/** What a worker receives: its slice, its members' streams, and where to hand them back. */
export interface WorkerSetup {
  readonly slice: SliceSetup;
  readonly rng: readonly RngState[];
  /** CONTROL.LENGTH int32 words, then MESSAGE_BYTES of error text. */
  readonly control: SharedArrayBuffer;
  /** STREAM_BYTES per member (all members, indexed by k): where a stopping worker leaves its members' streams. */
  readonly streams: SharedArrayBuffer;
}

/** A stream's state in shared memory: four int32 words, a float64 spare normal, a flag that it is set. */
const STREAM_BYTES = 32;

export function writeStream(streams: SharedArrayBuffer, k: number, state: RngState): void {
  new Int32Array(streams, k * STREAM_BYTES, 5).set([...state.words, state.spare === null ? 0 : 1]);
  new Float64Array(streams, k * STREAM_BYTES + 24, 1)[0] = state.spare ?? 0;
}

function readStream(streams: SharedArrayBuffer, k: number, key: string): RngState {
  const w = new Int32Array(streams, k * STREAM_BYTES, 5);
  return { key, words: [w[0], w[1], w[2], w[3]], spare: w[4] ? new Float64Array(streams, k * STREAM_BYTES + 24, 1)[0] : null };
}

export interface Training {
  readonly shared: SharedTraining;
  /** Threads training (1: only the calling thread). */
  readonly threads: number;
  /** Steps t0 … t1 for every member; returns when every thread is done. */
  run(t0: number, t1: number): void;
  /** Stop the workers and move every member's stream to where its worker left it (always call, in a finally). */
  close(): void;
}

/** Below this many member-steps a run stays on the calling thread: a worker takes ~0.2 s to start. */
const MIN_THREADED_WORK = 2000;
/** A window is at most seconds of work; a worker silent for this long has died. */
const WORKER_TIMEOUT_MS = 300_000;

export function memberThreads(count: number, steps: number, env: NodeJS.ProcessEnv = process.env): number {
  const v = env.EIGENFLOW_MEMBER_THREADS;
  if (v !== undefined && v !== '') {
    if (!/^[1-9]\d*$/.test(v)) throw new Error(`EIGENFLOW_MEMBER_THREADS must be a positive integer but got '${v}'`);
    return Math.min(count, Number(v));
  }
  return count * steps < MIN_THREADED_WORK ? 1 : Math.min(count, availableParallelism());
}

/** Start training `count` members on up to `threads` threads; W1T and W2 hold the initial weights (copied). */
export function startTraining(o: {
  n: number; m: number; count: number; steps: number; batch: number; threads: number;
  W1T: Float32Array; W2: Float32Array; Wn: Float32Array; data: readonly SparseFeatures[]; specs: readonly OptimizerSpec[]; rng: readonly Rng[];
}): Training {
  const { n, m, count } = o, nm = n * m, nn = n * n;
  const threads = Math.max(1, Math.min(o.threads, count));
  const f32 = (len: number) => new Float32Array(new SharedArrayBuffer(4 * len));
  const f64 = (len: number) => new Float64Array(new SharedArrayBuffer(8 * len));
  const shared: SharedTraining = {
    W1T: f32(count * nm), W2: f32(count * nm), acc: f64(count), lrs: f64(count),
    divergedAt: new Int32Array(new SharedArrayBuffer(4 * count)), divergedLoss: f64(count),
  };
  shared.W1T.set(o.W1T); shared.W2.set(o.W2);
  // Contiguous slices of as equal size as possible; slice 0 is the caller's.
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((t * count) / threads));
  const slice = (t: number): SliceSetup => {
    const k0 = bounds[t], k1 = bounds[t + 1];
    return { n, m, k0, k1, steps: o.steps, batch: o.batch, Wn: o.Wn.slice(k0 * nn, k1 * nn), data: o.data.slice(k0, k1), specs: o.specs.slice(k0, k1), shared };
  };
  const own = createSlice(slice(0), o.rng.slice(bounds[0], bounds[1]));
  const control = new SharedArrayBuffer(4 * CONTROL.LENGTH + MESSAGE_BYTES);
  const I = new Int32Array(control, 0, CONTROL.LENGTH);
  const streams = new SharedArrayBuffer(STREAM_BYTES * count);
  const workers = Array.from({ length: threads - 1 }, (_, i) => {
    const t = i + 1;
    const setup: WorkerSetup = { slice: slice(t), rng: o.rng.slice(bounds[t], bounds[t + 1]).map(rngState), control, streams };
    return startWorker(setup);
  });
  const helpers = workers.length;

  const waitForHelpers = (what: string) => {
    const start = Date.now();
    for (;;) {
      const done = Atomics.load(I, CONTROL.DONE);
      if (Atomics.load(I, CONTROL.FAILED)) {
        const bytes = new Uint8Array(control, 4 * CONTROL.LENGTH, MESSAGE_BYTES);
        const text = new TextDecoder().decode(bytes.slice(0, bytes.indexOf(0) < 0 ? MESSAGE_BYTES : bytes.indexOf(0)));
        throw new Error(`a member worker thread failed: ${text} (EIGENFLOW_MEMBER_THREADS=1 trains every member on the main thread)`);
      }
      if (done === helpers) return;
      if (Date.now() - start > WORKER_TIMEOUT_MS) throw new Error(`a member worker thread did not finish ${what} within ${WORKER_TIMEOUT_MS / 1000} s (EIGENFLOW_MEMBER_THREADS=1 trains every member on the main thread)`);
      Atomics.wait(I, CONTROL.DONE, done, 1000);
    }
  };
  const command = (stop: boolean, t0 = 0, t1 = 0) => {
    I[CONTROL.STOP] = stop ? 1 : 0; I[CONTROL.T0] = t0; I[CONTROL.T1] = t1;
    Atomics.store(I, CONTROL.DONE, 0);
    Atomics.add(I, CONTROL.GEN, 1);
    Atomics.notify(I, CONTROL.GEN);
  };
  let closed = false, healthy = true;
  return {
    shared,
    threads,
    run(t0, t1) {
      healthy = false;
      if (helpers > 0) command(false, t0, t1);
      own.run(t0, t1);
      if (helpers > 0) waitForHelpers(`steps ${t0}–${t1}`);
      healthy = true;
    },
    close() {
      if (closed) return;
      closed = true;
      if (helpers === 0) return;
      // After a failed window the streams do not matter (the run has failed): just stop the workers.
      if (!healthy) { for (const w of workers) void w.terminate(); return; }
      command(true);
      try {
        waitForHelpers('its last window');
        // The workers' members go on from where their streams are now, as after a run on this thread.
        for (let k = bounds[1]; k < count; k++) restoreRng(o.rng[k], readStream(streams, k, rngState(o.rng[k]).key));
      } finally {
        for (const w of workers) void w.terminate();
      }
    },
  };
}

/** The worker module next to this one: .ts from the sources (through tsx's loader), .js when compiled. */
const WORKER_URL = new URL(`./residualTrainWorkerInternals${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * Starts a worker by a small CommonJS bootstrap that registers the TypeScript loader when the
 * worker module is TypeScript (as bin/eigenflow.js does for the main thread) and imports it. A
 * failure to load is reported through the control words like any other, instead of an 'error'
 * event the blocked main thread could never receive.
 */
function startWorker(setup: WorkerSetup): Worker {
  const tsx = WORKER_URL.pathname.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : null;
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    (async () => {
      if (workerData.tsx) (await import(workerData.tsx)).register();
      await import(workerData.url);
    })().catch((e) => {
      const I = new Int32Array(workerData.setup.control, 0, ${CONTROL.LENGTH});
      new Uint8Array(workerData.setup.control, ${4 * CONTROL.LENGTH}, ${MESSAGE_BYTES}).set(new TextEncoder().encode(String(e && e.stack || e)).slice(0, ${MESSAGE_BYTES - 1}));
      Atomics.store(I, ${CONTROL.FAILED}, 1);
      Atomics.add(I, ${CONTROL.DONE}, 1);
      Atomics.notify(I, ${CONTROL.DONE});
    });`;
  return new Worker(bootstrap, { eval: true, workerData: { setup, tsx, url: WORKER_URL.href } });
}
