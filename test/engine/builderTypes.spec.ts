/**
 * The builder's compile-time checks, by the TypeScript compiler itself: every line of
 * test/fixtures/types/builder.ts marked `// @ts-expect-error -- <text>` must fail with a
 * diagnostic containing <text> when the mark is removed, no other line may fail, and the file as
 * written type-checks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = new URL('../..', import.meta.url).pathname;
const FIXTURE = join(ROOT, 'test/fixtures/types/builder.ts');

function diagnostics(text: string): { line: number; message: string }[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const host = ts.createCompilerHost(config.options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === FIXTURE ? ts.createSourceFile(name, text, lang) : read(name, lang, ...rest));
  const program = ts.createProgram([FIXTURE], config.options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(FIXTURE)).map((d) => ({
    line: d.file!.getLineAndCharacterOfPosition(d.start!).line,
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}

describe('typed composition', () => {
  const lines = readFileSync(FIXTURE, 'utf8').split('\n');
  const expected = lines.flatMap((l, i) => {
    const m = /\/\/ @ts-expect-error -- (.*)$/.exec(l);
    return m ? [{ line: i + 1, text: m[1]! }] : [];
  });

  it('should reject each marked builder call with the diagnostic it names, and nothing else', () => {
    assert.ok(expected.length >= 12, `the fixture marks its rejections (${expected.length})`);
    const stripped = lines.map((l) => l.replace(/\/\/ @ts-expect-error -- .*$/, '')).join('\n');
    const found = diagnostics(stripped);
    for (const { line, text } of expected) {
      const at = found.filter((d) => d.line === line);
      assert.ok(at.some((d) => d.message.includes(text)), `line ${line + 1} (${lines[line]!.trim()}) fails with "${text}"; got: ${at.map((d) => d.message).join(' | ') || 'no error'}`);
    }
    const unexpected = found.filter((d) => !expected.some((e) => e.line === d.line));
    assert.deepEqual(unexpected, [], 'no other line fails');
  });

  it('should accept the correct calls as written', () => {
    assert.deepEqual(diagnostics(lines.join('\n')), []);
  });
});
