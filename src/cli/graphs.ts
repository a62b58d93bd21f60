/** `eigenflow graphs [--json]`: the graphs shipped with the package, by the name `run` accepts. */
import { listShippedGraphs } from '../graph/shipped.ts';
import type { Parsed } from './args.ts';
import type { CliIo } from './io.ts';

/** The first sentence of a description (up to a full stop before a capital), at most `max` characters. */
function summary(description: string, max = 100): string {
  const first = description.match(/^.*?\.(?=\s+\p{Lu}|$)/u)?.[0] ?? description;
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

export function graphsCommand(p: Parsed, io: CliIo): number {
  const graphs = listShippedGraphs();
  if (p.flags.has('json')) {
    io.out(`${JSON.stringify(graphs, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...graphs.map((g) => g.name.length));
  for (const g of graphs) io.out(`${g.name.padEnd(width)}  ${summary(g.description)}\n`);
  io.out(`\nrun one: eigenflow run ${graphs[0]?.name ?? 'NAME'} [--set NAME=VALUE]…   copy one to edit: cp ${graphs[0]?.file ?? 'FILE'} .\n`);
  return 0;
}
