/**
 * `--members NAME=VALUES` (repeatable; several form a product): `seed=0:31` (START:STOP, integers
 * inclusive), `sigma=0:0.1:0.01` (START:STOP:STEP, inclusive), `wn=asymmetric,symmetric` (a list).
 * NAME is `seed` (the run seed), a graph parameter, or `node.param`. Bad input throws UsageError
 * (exit 2) naming the flag and the value.
 */
import { readFileSync } from 'node:fs';
import { parseValue, type GraphSpec } from '../graph/spec.ts';
import type { MemberAxes, MemberOverrides } from '../run/members.ts';
import { parseRange } from './sweepOptions.ts';
import { UsageError } from './args.ts';

/** Above this many members a run is refused (a typo such as `0:1:1e-9`). */
const MAX_MEMBERS = 10_000;

const INT_RANGE = /^(\d+):(\d+)$/;

export function parseMemberAxes(items: readonly string[], spec: GraphSpec): MemberAxes {
  const axes: Record<string, unknown[]> = {};
  for (const item of items) {
    const what = `--members ${item}`;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what}: expected NAME=V1,V2,... or NAME=START:STOP[:STEP], e.g. --members seed=0:31`);
    const name = item.slice(0, eq), text = item.slice(eq + 1);
    if (Object.hasOwn(axes, name)) throw new UsageError(`${what}: '${name}' is given by more than one --members; list all its values in one`);
    if (text === '') throw new UsageError(`${what}: no values after '='`);
    const dot = name.indexOf('.');
    if (name !== 'seed' && dot < 0 && !Object.hasOwn(spec.params, name)) {
      throw new UsageError(`${what}: '${name}' is not a graph parameter of ${spec.name} (graph parameters: ${Object.keys(spec.params).join(', ') || 'none'}); use seed, a graph parameter or node.param`);
    }
    if (dot > 0 && !Object.hasOwn(spec.nodes, name.slice(0, dot))) throw new UsageError(`${what}: there is no node '${name.slice(0, dot)}' (nodes: ${Object.keys(spec.nodes).join(', ')})`);
    const ints = INT_RANGE.exec(text);
    let values: unknown[];
    if (ints) {
      const [a, b] = [Number(ints[1]), Number(ints[2])];
      if (b < a) throw new UsageError(`${what}: a range START:STOP needs STOP ≥ START`);
      if (b - a + 1 > MAX_MEMBERS) throw new UsageError(`${what}: ${b - a + 1} values, more than the cap of ${MAX_MEMBERS} members`);
      values = Array.from({ length: b - a + 1 }, (_, i) => a + i);
    } else values = parseRange(text, what, MAX_MEMBERS) ?? text.split(',').map(parseValue);
    if (name === 'seed' && values.some((v) => !Number.isSafeInteger(v) || (v as number) < 0)) {
      throw new UsageError(`${what}: seeds must be non-negative integers (0:31, 0,1,2 or 0:30:2)`);
    }
    if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) throw new UsageError(`${what}: a value is repeated`);
    axes[name] = values;
  }
  const count = Object.values(axes).reduce((n, v) => n * v.length, 1);
  if (count > MAX_MEMBERS) throw new UsageError(`--members: ${count} members in all, more than the cap of ${MAX_MEMBERS}`);
  return axes;
}

/**
 * `--member-list FILE`: an explicit member list, as `sweep --pack` writes it —
 * `{"members": [{"sigma": 0.1, "seed": 0}, …], "dirs": ["/abs/run/dir", …]}` (`dirs` optional:
 * where each member's run directory goes).
 */
export function readMemberList(file: string): { members: MemberOverrides[]; dirs?: string[] } {
  const what = `--member-list ${file}`;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${what}: cannot read it as JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const { members, dirs } = (data ?? {}) as { members?: unknown; dirs?: unknown };
  const isObject = (v: unknown): v is MemberOverrides => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!Array.isArray(members) || members.length === 0 || !members.every(isObject)) throw new UsageError(`${what}: "members" must be a non-empty array of objects (NAME: value)`);
  if (dirs !== undefined && (!Array.isArray(dirs) || dirs.length !== members.length || !dirs.every((d) => typeof d === 'string' && d !== ''))) {
    throw new UsageError(`${what}: "dirs" must list one directory per member (${members.length})`);
  }
  return { members, dirs: dirs as string[] | undefined };
}
