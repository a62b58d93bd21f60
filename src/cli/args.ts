/** A small argv parser: positionals, `--flag`, `--key value` and repeatable `--key`. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Parsed {
  positional: string[];
  flags: Set<string>;
  options: Map<string, string[]>;
}

export function parseArgs(argv: string[], spec: { flags: string[]; options: string[] }, command: string): Parsed {
  const out: Parsed = { positional: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { out.positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq > 0 ? eq : undefined);
    if (spec.flags.includes(name)) { out.flags.add(name); continue; }
    if (!spec.options.includes(name)) {
      throw new UsageError(`eigenflow ${command}: unknown option --${name} (options: ${[...spec.flags, ...spec.options].map((o) => `--${o}`).join(', ') || 'none'})`);
    }
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`eigenflow ${command}: --${name} needs a value`);
    out.options.set(name, [...(out.options.get(name) ?? []), value]);
  }
  return out;
}

/** `--set a=1 --set train.lr=0.001` → {a: 1, 'train.lr': 0.001}; values parse as JSON, else strings. */
export function parseAssignments(items: string[], option: string, parse: (text: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--${option} ${item}: expected NAME=VALUE, e.g. --${option} sigma=0.03`);
    const name = item.slice(0, eq);
    // An own property even for names such as __proto__ (rejected later with a clear message).
    Object.defineProperty(out, name, { value: parse(item.slice(eq + 1)), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function single(p: Parsed, name: string): string | undefined {
  const v = p.options.get(name);
  if (v && v.length > 1) throw new UsageError(`--${name} given ${v.length} times`);
  return v?.[0];
}

export function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Decimal digits only: no '', ' 1', '0x10', '1e3', '1.0', '+1' or integers past 2^53 that would silently round.
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`--seed must be a non-negative integer in decimal digits (0 to ${Number.MAX_SAFE_INTEGER}) but got '${text}'`);
  return n;
}
