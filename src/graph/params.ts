/**
 * Checking one node's parameters against its schema: types, ranges, choices, defaults,
 * unknown names, then the node's own cross-parameter `check`. Every problem is collected.
 */
import type { AnyNodeDef, ParamSpec } from '../node.ts';

export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length > 6 ? `[${v.slice(0, 6).map(describeValue).join(', ')}, …] (length ${v.length})` : `[${v.map(describeValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

function checkOne(spec: ParamSpec, v: unknown): string | null {
  switch (spec.type) {
    case 'number':
    case 'int': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a finite number but got ${describeValue(v)}`;
      if (spec.type === 'int' && !Number.isInteger(v)) return `must be an integer but got ${v}`;
      if (spec.min !== undefined && (v < spec.min || ('exclusiveMin' in spec && spec.exclusiveMin && v === spec.min))) {
        return `must be ${'exclusiveMin' in spec && spec.exclusiveMin ? '>' : '≥'} ${spec.min} but got ${v}`;
      }
      if (spec.max !== undefined && v > spec.max) return `must be ≤ ${spec.max} but got ${v}`;
      return null;
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : `must be true or false but got ${describeValue(v)}`;
    case 'string':
      if (typeof v !== 'string') return `must be a string but got ${describeValue(v)}`;
      if (spec.oneOf && !spec.oneOf.includes(v)) return `must be one of ${spec.oneOf.map((s) => JSON.stringify(s)).join(', ')} but got ${JSON.stringify(v)}`;
      return null;
    case 'numbers': {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'number' || !Number.isFinite(x))) return `must be an array of finite numbers but got ${describeValue(v)}`;
      if (spec.minLength !== undefined && v.length < spec.minLength) return `must have at least ${spec.minLength} values but got ${v.length}`;
      const bad = v.find((x) => (spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max));
      if (bad !== undefined) return `values must lie in [${spec.min ?? '-∞'}, ${spec.max ?? '∞'}] but got ${bad}`;
      return null;
    }
    case 'json':
      return null;
  }
}

/**
 * Resolve `raw` against `def.params`. Returns the full parameter object (defaults filled in)
 * and the problems, each phrased `<where>.<param> <rule> but got <value>`.
 */
export function resolveParams(def: AnyNodeDef, raw: Record<string, unknown>, where: string): { values: Record<string, unknown>; errors: string[] } {
  const errors: string[] = [];
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(def.params, name)) {
      const known = Object.keys(def.params);
      errors.push(`${where}.params.${name} is not a parameter of ${def.type} (it takes: ${known.length ? known.join(', ') : 'no parameters'})`);
    }
  }
  for (const [name, spec] of Object.entries(def.params as Record<string, ParamSpec>)) {
    const v = Object.hasOwn(raw, name) ? raw[name] : spec.default;
    if (v === undefined) {
      errors.push(`${where}.params.${name} is required (${spec.type}: ${spec.doc}) but is missing`);
      continue;
    }
    const problem = checkOne(spec, v);
    if (problem) errors.push(`${where}.params.${name} ${problem}`);
    else values[name] = Array.isArray(v) ? [...v] : v;
  }
  if (errors.length === 0 && def.check) {
    for (const msg of def.check(values)) errors.push(`${where}.params: ${msg}`);
  }
  return { values, errors };
}
