/**
 * The node library: every family's explicit list, registered once. This is the only place that
 * knows which families exist; the engine (src/) finds node types by name through the registry.
 */
import type { AnyNodeDef } from '../src/node.ts';
import { registerNodes, getNode, registerRunInfo } from '../src/registry.ts';
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

/** Register the whole library (idempotent, so tests and the CLI can both call it). */
export function registerAllNodes(): void {
  registerNodes(allNodes.filter((def) => getNode(def.type) !== def));
  registerRunInfo({ spectralMethod: () => spectralMethod() });
}
