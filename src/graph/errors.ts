/**
 * Errors the engine reports to users. Messages are complete sentences that name the node and
 * field, what was expected and what was found; the CLI prints them without a stack trace.
 */

/** Every problem found in a graph, collected before anything runs. */
export class GraphValidationError extends Error {
  readonly problems: readonly string[];
  constructor(readonly graph: string, problems: string[]) {
    const sorted = [...new Set(problems)].sort();
    super(`${sorted.length} problem${sorted.length === 1 ? '' : 's'} in graph '${graph}':\n${sorted.map((p) => `  Error: ${p}`).join('\n')}`);
    this.name = 'GraphValidationError';
    this.problems = sorted;
  }
}

/** A node's run threw: the message names the node, its type and, when it has one, the step (`at step 12`, `after step 11`). */
export class NodeError extends Error {
  constructor(readonly nodeId: string, readonly nodeType: string, readonly cause: unknown, readonly where?: string) {
    super(`node '${nodeId}' (${nodeType}) failed${where ? ` ${where}` : ''}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'NodeError';
  }
}

/** A loss metric became NaN or infinite. */
export class DivergedError extends Error {
  constructor(readonly nodeId: string, readonly metric: string, readonly step: number | null, readonly value: number) {
    super(`${nodeId}.${metric} became ${value} at step ${step ?? '—'}: the run diverged (try a smaller learning rate)`);
    this.name = 'DivergedError';
  }
}

/** The run was cancelled (Ctrl-C, AbortSignal or unsubscribe). */
export class CancelledError extends Error {
  constructor(reason = 'cancelled') {
    super(`run ${reason}`);
    this.name = 'CancelledError';
  }
}

/** The run cannot start where it was asked to (an unusable or busy `--out`); nothing was run. */
export class RunSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunSetupError';
  }
}
