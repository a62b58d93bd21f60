/**
 * User code — a `--nodes` module while it loads, a node's `run`, a sink — that calls
 * `process.exit()` would end the process at once: exit code 0 and the run's manifest left
 * `running`. While a command runs, `process.exit` throws instead, so the call becomes an error of
 * whatever called it: a node fails (the run ends `failed` with its final manifest, exit 1), a
 * module fails to load (exit 2).
 */
export class ProcessExitCalled extends Error {
  constructor(readonly code: unknown) {
    super(`process.exit(${code === undefined ? '' : String(code)}) was called by user code; eigenflow ends its runs itself (throw an Error to fail a node)`);
  }
}

/** Make `process.exit` throw `ProcessExitCalled` until the returned function is called. */
export function trapProcessExit(): () => void {
  const original = process.exit;
  process.exit = ((code?: unknown): never => { throw new ProcessExitCalled(code); }) as typeof process.exit;
  return () => { process.exit = original; };
}
