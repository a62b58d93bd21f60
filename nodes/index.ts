/**
 * The node library: every family's explicit list, registered once. This is the only place that
 * knows which families exist; the engine (src/) finds node types by name through the registry.
 */
import type { AnyNodeDef, NodeTypesOf } from '../src/node.ts';
import { registerNodes, registerRunInfo } from '../src/registry.ts';
import { spectralMethod } from '@eigenflow/linalg';
import { attentionNodes } from './attention/index.ts';
import { cisNodes } from './cis/index.ts';
import { dataNodes } from './data/index.ts';
import { genNodes } from './gen/index.ts';
import { ioNodes } from './io/index.ts';
import { linearNodes } from './linear/index.ts';
import { modelsNodes } from './models/index.ts';
import { optimNodes } from './optim/index.ts';
import { purifyNodes } from './purify/index.ts';
import { spectralNodes } from './spectral/index.ts';
import { ssmNodes } from './ssm/index.ts';
import { wnNodes } from './wn/index.ts';

export const allNodes: AnyNodeDef[] = [
  ...attentionNodes,
  ...cisNodes,
  ...dataNodes,
  ...genNodes,
  ...ioNodes,
  ...linearNodes,
  ...modelsNodes,
  ...optimNodes,
  ...purifyNodes,
  ...spectralNodes,
  ...ssmNodes,
  ...wnNodes,
];

/**
 * Every built-in node type by name, for the graph builder's compile-time checks: importing
 * `eigenflow/nodes` fills `NodeTypes`, so `graph().node(id, 'gen.gaussian', …)` knows its
 * parameters, ports and metrics. (Written from the family lists' types, not from a value: the
 * shipped `.d.ts` then refers to them instead of spelling every definition out.)
 */
export type LibraryNodeTypes = NodeTypesOf<Array<
  | (typeof attentionNodes)[number] | (typeof cisNodes)[number] | (typeof dataNodes)[number] | (typeof genNodes)[number]
  | (typeof ioNodes)[number] | (typeof linearNodes)[number] | (typeof modelsNodes)[number] | (typeof optimNodes)[number]
  | (typeof purifyNodes)[number] | (typeof spectralNodes)[number] | (typeof ssmNodes)[number] | (typeof wnNodes)[number]
>>;

declare module '../src/index.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface NodeTypes extends LibraryNodeTypes {}
}

/** Register the whole library (idempotent, so tests and the CLI can both call it). */
export function registerAllNodes(): void {
  registerNodes(allNodes);
  registerRunInfo({ spectralMethod: () => spectralMethod() });
}
