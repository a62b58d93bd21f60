/**
 * A strict JSON reader for graph files. `JSON.parse` silently keeps the last of two equal keys and
 * overflows the stack on deep nesting; this reader reports every duplicate key with its path and
 * line, refuses nesting deeper than `MAX_DEPTH` with a clear message, accepts (and drops) a UTF-8
 * byte-order mark, and stores every key — `__proto__` included — as an ordinary own property.
 */

/** Deepest nesting of objects and arrays a graph file may use. */
export const MAX_DEPTH = 64;

export class JsonError extends Error {
  constructor(message: string, readonly problems: string[] = [message]) {
    super(message);
    this.name = 'JsonError';
  }
}

/** Parse `text`; throws JsonError with every duplicate key, or the first syntax error with its line and column. */
export function parseJsonStrict(text: string): unknown {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let i = 0;
  const duplicates: string[] = [];
  const where = (at: number): string => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    return `line ${line}, column ${at - before.lastIndexOf('\n')}`;
  };
  const fail = (what: string, at = i): never => {
    throw new JsonError(`not valid JSON: ${what} at ${where(at)}`);
  };
  const ws = (): void => { while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++; };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('a control character inside a string');
      i++;
    }
    if (i >= text.length) fail('an unterminated string', start);
    i++;
    try { return JSON.parse(text.slice(start, i)) as string; } catch { return fail('a bad escape in a string', start); }
  };
  const value = (path: string, depth: number): unknown => {
    ws();
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels (at ${path || 'the top'})`);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a "key"');
        const keyAt = i;
        const key = str();
        ws();
        if (text[i] !== ':') fail("expected ':' after a key");
        i++;
        const at = path ? `${path}.${key}` : key;
        const v = value(at, depth + 1);
        if (Object.hasOwn(obj, key)) duplicates.push(`duplicate key '${at}' at ${where(keyAt)} (JSON keeps only one; remove the other)`);
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return obj; }
        fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(value(`${path}[${arr.length}]`, depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    const m = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) return fail(i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[i])}`);
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const result = value('', 0);
  ws();
  if (i < text.length) fail('unexpected text after the end of the JSON value');
  if (duplicates.length) throw new JsonError(duplicates.join('; '), duplicates);
  return result;
}
