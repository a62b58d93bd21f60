/**
 * The node-type registry: a Map from type name to definition, filled from explicit lists
 * (`nodes/<family>/index.ts`). The engine knows node types only by name, through here.
 */
import type { AnyNodeDef } from './node.ts';

const registry = new Map<string, AnyNodeDef>();

/**
 * Register a node type. Registering the same definition again is a no-op (a module imported twice,
 * a watch-mode reload); a different definition under a registered name is an error.
 */
export function registerNode(def: AnyNodeDef): void {
  const known = registry.get(def.type);
  if (known === def) return;
  if (known) throw new Error(`Node type '${def.type}' is registered twice, by two different definitions (unregisterNode('${def.type}') first to replace it)`);
  if (!/^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/.test(def.type)) {
    throw new Error(`Node type '${def.type}' must be 'family.name' in camelCase, e.g. 'wn.symmetric'`);
  }
  registry.set(def.type, def);
}

export function registerNodes(defs: readonly AnyNodeDef[]): void {
  for (const def of defs) registerNode(def);
}

/** For tests that register temporary node types. */
export function unregisterNode(type: string): boolean {
  return registry.delete(type);
}

export function getNode(type: string): AnyNodeDef | undefined {
  return registry.get(type);
}

export function listNodes(): AnyNodeDef[] {
  return [...registry.values()].sort((a, b) => a.type.localeCompare(b.type));
}

/**
 * What the node library tells each run's manifest about itself, registered along with its node
 * types: which linear-algebra routines its spectral nodes call (`spectralMethod`). The engine
 * records it without knowing the library behind it.
 */
export interface RunInfo { spectralMethod?: () => string }

const runInfo: RunInfo = {};

export function registerRunInfo(info: RunInfo): void {
  Object.assign(runInfo, info);
}

/** The registered facts, evaluated now (as the manifest records them). */
export function describeRunInfo(): { spectralMethod?: string } {
  return runInfo.spectralMethod ? { spectralMethod: runInfo.spectralMethod() } : {};
}
