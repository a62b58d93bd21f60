/**
 * The command line's one I/O layer: where output goes, which signals cancel what, the exit codes
 * and the timestamps in default directory names. Every command goes through it; the libraries
 * below the CLI (run/, sweep/, view/, serve/) never touch process.stdout, process.stderr or signals.
 *
 * Exit codes: 0 success, 1 a run failed or diverged, 2 bad input (usage, invalid graph, unusable
 * --out), and for a command cancelled by a signal 128 + its number: 130 SIGINT (Ctrl-C), 143
 * SIGTERM, 129 SIGHUP.
 */

/** Where the CLI's output goes; the default is the process's stdout and stderr. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Is stderr a terminal (progress bars, dashboard linger)? */
  isTTY: boolean;
  /** Emits SIGINT/SIGTERM/SIGHUP (default: `process`). */
  signals: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
  /** How long a user sink's write/close may hang before it is detached (ms). */
  sinkTimeoutMs?: number;
}

export function processIo(): CliIo {
  // A reader that stops early (`eigenflow nodes | head`) ends the output, not the command: after
  // EPIPE the rest of stdout is dropped instead of crashing the process mid-run.
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutClosed = true;
  });
  return {
    out: (t) => { if (!stdoutClosed) process.stdout.write(t); },
    err: (t) => { process.stderr.write(t); },
    isTTY: Boolean(process.stderr.isTTY),
    signals: process,
  };
}

export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type SignalName = keyof typeof SIGNAL_EXIT;
const SIGNALS = Object.keys(SIGNAL_EXIT) as SignalName[];

/** The exit code of a command cancelled by `signal` (130 when it is not known). */
export const signalExitCode = (signal: SignalName | null): number => SIGNAL_EXIT[signal ?? 'SIGINT'];

/** The exit code of a run that ended `status`. */
export const runExitCode = (status: string, signal: SignalName | null): number =>
  status === 'completed' ? 0 : status === 'cancelled' ? signalExitCode(signal) : 1;

export interface Cancellation {
  /** Aborted on the first signal, with the signal's name as its reason. */
  signal: AbortSignal;
  received(): SignalName | null;
  dispose(): void;
}

/**
 * SIGINT, SIGTERM and SIGHUP cancel: the first aborts `signal` and says `first(name)` on stderr.
 * A second signal does not skip the clean-up — it only says `again(name)` (a stuck process can
 * still be ended with SIGKILL).
 */
export function cancelOnSignals(io: CliIo, say: { first(name: SignalName): string; again(name: SignalName): string }): Cancellation {
  const controller = new AbortController();
  let first: SignalName | null = null;
  const handlers = SIGNALS.map((name) => {
    const handler = (): void => {
      if (first) { io.err(say.again(name)); return; }
      first = name;
      io.err(say.first(name));
      controller.abort(name);
    };
    io.signals.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => first,
    dispose: () => { for (const [name, h] of handlers) io.signals.off(name, h); },
  };
}

/** Resolves at the first SIGINT or SIGTERM (a server that runs until Ctrl-C), or when `done` settles. */
export function untilInterrupted(io: CliIo, done?: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => { io.signals.off('SIGINT', stop); io.signals.off('SIGTERM', stop); resolve(); };
    io.signals.on('SIGINT', stop); io.signals.on('SIGTERM', stop);
    done?.then(stop, stop);
  });
}

/** `2026-01-01_12-00-00`: the time in default run and sweep directory names. */
export function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
}
