/**
 * The one scheduler rule, checked before anything runs. A node lifted onto a generator's stream
 * runs inside that generator's loop, so the generator cannot start until every value that node
 * reads is ready. What a generator waits for is therefore its own value inputs plus the value
 * inputs of every node lifted onto its stream; a value node waits for its own inputs. A graph
 * in which some generator (through that relation) waits for itself would hang, and is rejected.
 */
import { isStreamEdge, waitsOf, type CompiledNode, type Wait } from './compiled.ts';

/** The stream edge a lifted node follows, as `node.port`, for messages. */
const streamRead = (nodes: Map<string, CompiledNode>, n: CompiledNode): string => {
  const e = Object.values(n.inputs).find((x) => isStreamEdge(nodes, x));
  return e ? `${e.node}.${e.port}` : `${n.origin}'s stream`;
};

/** Push one problem per generator that would wait on itself, saying how to wire it instead. */
export function checkGeneratorWaits(nodes: Map<string, CompiledNode>, problems: string[]): void {
  const waits = waitsOf(nodes);
  const state = new Map<string, 'visiting' | 'done'>();
  const path: Wait[] = [];
  const reported = new Set<string>();
  const visit = (task: string): void => {
    state.set(task, 'visiting');
    for (const w of waits.get(task) ?? []) {
      const next = w.from.node;
      if (state.get(next) === 'visiting') {
        const cycle = [...path.slice(path.findIndex((p) => p.task === next)), w];
        const k = cycle.map((c) => `${c.node.id}.${c.port}`).sort().join();
        if (!reported.has(k)) { reported.add(k); problems.push(describe(nodes, next, cycle)); }
      } else if (state.get(next) !== 'done' && waits.has(next)) {
        path.push(w);
        visit(next);
        path.pop();
      }
    }
    state.set(task, 'done');
  };
  for (const task of [...waits.keys()].sort()) if (!state.has(task)) visit(task);
}

function describe(nodes: Map<string, CompiledNode>, closing: string, loop: Wait[]): string {
  // Tell it from a generator's point of view: rotate the cycle to start at one.
  const at = Math.max(0, loop.findIndex((w) => nodes.get(w.task)!.generator));
  const cycle = [...loop.slice(at), ...loop.slice(0, at)];
  const generator = cycle.length ? cycle[0]!.task : closing;
  if (cycle.length === 1) {
    const { node, port, from } = cycle[0]!;
    return `nodes.${node.id}.inputs.${port}: ${node.id} runs during ${generator}'s stream (it reads ${streamRead(nodes, node)}) `
      + `but also waits for ${from.node}.${from.port}, which exists only once ${generator} has finished, so ${generator} would wait on itself. `
      + `Wire ${node.id} to the stream only, and read ${from.node}.${from.port} in a separate node that does not follow ${generator}'s stream`;
  }
  const steps = cycle.map((w) => (w.node.id === w.task
    ? `${w.task} waits for ${w.from.node} (${w.node.id}.${w.port} reads ${w.from.node}.${w.from.port})`
    : `${w.task} waits for ${w.from.node} (${w.node.id}, which runs during ${w.task}'s stream, reads ${w.from.node}.${w.from.port})`));
  return `${generator} would wait on itself: ${steps.join('; ')}. A node that runs during a generator's stream cannot read a value `
    + 'that needs that generator to finish; read such values in a separate node that does not follow the stream';
}
