/**
 * Every relative link in the Markdown the package ships resolves inside the package: the target
 * file is in `npm pack`'s file list, and a `#anchor` names a heading of the target. A user reading
 * node_modules/eigenflow/README.md or its docs/ never meets a dead link.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The files `npm pack` would put in the tarball (scripts skipped: `dist/` is whatever was built). */
function packedFiles(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

const withoutCode = (md: string): string => md.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');

function anchors(md: string): Set<string> {
  return new Set([...md.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6}\s+(.*)$/gm)].map((m) => slug(m[1]!.replace(/`/g, ''))));
}

describe('links in the shipped Markdown', () => {
  const files = packedFiles();
  const markdown = [...files].filter((f) => f.endsWith('.md'));

  it('should ship the README and the docs', () => {
    assert.ok(markdown.includes('README.md') && markdown.some((f) => f.startsWith('docs/')), markdown.join(', '));
  });

  it('should name, in every eigenflow command, a graph a project that installed the package can reach', () => {
    const shipped = new Set([...files].filter((f) => /^graphs\/[^/]+\.json$/.test(f)).map((f) => f.slice('graphs/'.length, -'.json'.length)));
    const unreachable: string[] = [];
    for (const md of markdown) {
      for (const [command, arg] of readFileSync(join(ROOT, md), 'utf8').matchAll(/eigenflow (?:run|sweep|validate|graph) ([^\s`|]+)/g)) {
        // graphs/X.json exists only in a clone; a bare name must be a shipped graph. Files of the user's own (x.json) and placeholders pass.
        if (arg!.startsWith('graphs/') || (/^[a-z][a-z0-9-]*$/.test(arg!) && !['status', 'wait', 'summarize', 'run-point'].includes(arg!) && !shipped.has(arg!))) unreachable.push(`${md}: ${command}`);
      }
    }
    assert.deepEqual(unreachable, []);
  });

  it('should resolve every relative link to a packed file, and every anchor to a heading', () => {
    const broken: string[] = [];
    for (const md of markdown) {
      const text = readFileSync(join(ROOT, md), 'utf8');
      for (const [, target] of withoutCode(text).matchAll(/\]\(<?([^)\s>]+)>?(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const file = path === '' ? md : normalize(join(dirname(md), decodeURI(path)));
        if (!files.has(file) && ![...files].some((f) => f.startsWith(`${file}/`))) { broken.push(`${md}: ${target} (${file} is not in the package)`); continue; }
        if (anchor && file.endsWith('.md') && !anchors(readFileSync(join(ROOT, file), 'utf8')).has(anchor)) broken.push(`${md}: ${target} (no heading '#${anchor}' in ${file})`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
