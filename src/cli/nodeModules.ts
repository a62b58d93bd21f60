/**
 * Checking a `--nodes MODULE` before anything from it is registered: it must export `nodes`, an
 * array of node definitions, each well-formed and none reusing a type name. Every message names
 * the module and the definition (by position and type).
 */
import type { AnyNodeDef } from '../node.ts';
import { UsageError } from './args.ts';

const TYPE = /^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v === 'string' ? JSON.stringify(v) : `${typeof v} ${String(v)}`;
}

/** The definitions of a loaded module, checked; throws UsageError listing every problem. */
export function checkNodeModule(mod: string, loaded: Record<string, unknown>, registered: (type: string) => AnyNodeDef | undefined): AnyNodeDef[] {
  const nodes = Object.hasOwn(loaded, 'nodes') ? loaded.nodes : undefined;
  if (!Array.isArray(nodes)) {
    throw new UsageError(`--nodes ${mod}: the module must export \`nodes\`, an array of node definitions, but ${nodes === undefined ? 'it exports no `nodes`' : `its \`nodes\` is ${describe(nodes)}`}`);
  }
  const problems: string[] = [];
  const seen = new Map<string, number>();
  nodes.forEach((def: unknown, i) => {
    const name = isObject(def) && typeof def.type === 'string' ? `definition ${i} ('${def.type}')` : `definition ${i}`;
    if (!isObject(def)) { problems.push(`${name} must be a node definition object but is ${describe(def)}`); return; }
    if (typeof def.type !== 'string' || !TYPE.test(def.type)) problems.push(`${name}: type must be 'family.name' in camelCase, e.g. 'my.probe', but is ${describe(def.type)}`);
    if (typeof def.doc !== 'string') problems.push(`${name}: doc must be a string but is ${describe(def.doc)}`);
    for (const k of ['params', 'inputs', 'outputs'] as const) if (!isObject(def[k])) problems.push(`${name}: ${k} must be an object but is ${describe(def[k])}`);
    for (const k of ['inputs', 'outputs'] as const) {
      if (!isObject(def[k])) continue;
      for (const [port, spec] of Object.entries(def[k] as Record<string, unknown>)) {
        if (!isObject(spec) || typeof spec.type !== 'string') problems.push(`${name}: ${k}.${port} must be a port {type, doc} but is ${describe(spec)}`);
      }
    }
    if (isObject(def.params)) {
      for (const [param, spec] of Object.entries(def.params)) {
        if (!isObject(spec) || typeof spec.type !== 'string') problems.push(`${name}: params.${param} must be a parameter {type, doc} but is ${describe(spec)}`);
      }
    }
    if (typeof def.run !== 'function') problems.push(`${name}: run must be a function but is ${describe(def.run)}`);
    for (const k of ['check', 'cost'] as const) if (def[k] !== undefined && typeof def[k] !== 'function') problems.push(`${name}: ${k} must be a function but is ${describe(def[k])}`);
    for (const k of ['metrics', 'artifacts'] as const) if (def[k] !== undefined && !isObject(def[k])) problems.push(`${name}: ${k} must be an object but is ${describe(def[k])}`);
    if (typeof def.type !== 'string') return;
    if (seen.has(def.type)) problems.push(`${name} has the same type as definition ${seen.get(def.type)}`);
    else seen.set(def.type, i);
    const existing = registered(def.type);
    if (existing && existing !== (def as unknown)) problems.push(`${name}: node type '${def.type}' is already registered (by the built-in library or an earlier --nodes module); rename it`);
  });
  if (problems.length) throw new UsageError(`--nodes ${mod}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return nodes as AnyNodeDef[];
}
