/**
 * Conventions of the node library (nodes/README.md), checked over every registered node and every
 * file under nodes/: declared metrics, matrix ports with a precision, types-only `types.ts`
 * modules, helper-file naming, and doc examples that name real node types.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allNodes } from '../../nodes/index.ts';
import type { AnyNodeDef, MetricMap, PortMap } from '../../src/node.ts';

const ROOT = new URL('../../nodes/', import.meta.url).pathname;
const families = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const filesOf = (family: string) => readdirSync(join(ROOT, family)).filter((f) => f.endsWith('.ts'));
const source = (family: string, file: string) => readFileSync(join(ROOT, family, file), 'utf8');
const fileOf = (def: AnyNodeDef) => { const [family, name] = def.type.split('.'); return { family: family!, file: `${name}.ts` }; };

/** A declared name matches itself; one `*` matches any run of characters. */
function declares(metrics: MetricMap | undefined, name: string): boolean {
  return Object.keys(metrics ?? {}).some((pattern) => {
    const star = pattern.indexOf('*');
    if (star < 0) return pattern === name;
    const head = pattern.slice(0, star), tail = pattern.slice(star + 1);
    return name.length >= head.length + tail.length && name.startsWith(head) && name.endsWith(tail);
  });
}

describe('node library conventions', () => {
  it('should declare every metric a node file emits by a literal name', () => {
    const missing: string[] = [];
    for (const def of allNodes) {
      const { family, file } = fileOf(def);
      for (const m of source(family, file).matchAll(/ctx\.metric\(\s*['"`]([A-Za-z0-9_]+)['"`]/g)) {
        if (!declares(def.metrics, m[1]!)) missing.push(`${def.type}: ${m[1]}`);
      }
      if (/ctx\.metric\(|emitSpectrum\(|emitTaskMetrics\(|report\(ctx/.test(source(family, file))) {
        assert.ok(def.metrics && Object.keys(def.metrics).length > 0, `${def.type} emits metrics but declares none`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('should give every metric a kind and a doc, and use `when: step` only on generators', () => {
    for (const def of allNodes) {
      for (const [name, spec] of Object.entries((def.metrics ?? {}) as MetricMap)) {
        assert.ok(['scalar', 'array', 'series', 'matrix'].includes(spec.kind), `${def.type}.${name}: kind ${spec.kind}`);
        assert.ok(spec.doc.length > 5, `${def.type}.${name}: doc`);
        assert.ok((name.match(/\*/g) ?? []).length <= 1, `${def.type}.${name}: at most one *`);
        if (spec.when === 'step') assert.match(def.run.toString(), /^\*|^function\*|yield/, `${def.type}.${name}: when step on a value node`);
      }
    }
  });

  it('should type matrix ports as `matrix` with a precision, never `any` or `matrix64`', () => {
    for (const def of allNodes) {
      for (const [side, ports] of [['inputs', def.inputs], ['outputs', def.outputs]] as const) {
        for (const [name, spec] of Object.entries(ports as PortMap)) {
          const where = `${def.type}.${side}.${name}`;
          assert.ok(!['any', 'matrix64'].includes(String(spec.type)), `${where}: type ${spec.type}`);
          if (spec.type === 'matrix') assert.ok(spec.precision === 'float32' || spec.precision === 'float64', `${where}: precision`);
        }
      }
    }
  });

  it('should name files after their node, `*Internals.ts` helpers, `types.ts`, `index.ts` or a kernel built from kernels/*.wat', () => {
    const byFile = new Map(allNodes.map((d) => { const f = fileOf(d); return [`${f.family}/${f.file}`, d]; }));
    for (const family of families) {
      for (const file of filesOf(family)) {
        if (file === 'index.ts' || file === 'types.ts') continue;
        if (file.endsWith('KernelBinary.ts')) {
          const wat = `${file.slice(0, -'KernelBinary.ts'.length)}.wat`;
          assert.ok(existsSync(new URL(`../../nodes/${family}/kernels/${wat}`, import.meta.url)), `${family}/${file} is a generated kernel without its source kernels/${wat}`);
          continue;
        }
        if (file.endsWith('Internals.ts')) {
          assert.doesNotMatch(source(family, file), /defineNode\(/, `${family}/${file} is a helper file but defines a node`);
          continue;
        }
        assert.ok(byFile.has(`${family}/${file}`), `${family}/${file} is neither a node named after the file nor a helper (*Internals.ts)`);
      }
    }
  });

  it('should keep types.ts free of runtime code, and import other families only through types.ts or helpers', () => {
    for (const family of families) {
      for (const file of filesOf(family)) {
        const src = source(family, file);
        if (file === 'types.ts') {
          assert.doesNotMatch(src, /^import (?!type )/m, `${family}/types.ts: a value import`);
          assert.doesNotMatch(src, /^export (const|let|function|class|default)/m, `${family}/types.ts: runtime code`);
        }
        for (const m of src.matchAll(/^import\s+(type\s+)?(?:[^'"]*from\s+)?['"]\.\.\/([a-z]+)\/([A-Za-z]+)\.ts['"]/gm)) {
          const [, , other, target] = m;
          if (other === family) continue;
          assert.ok(target === 'types' || target!.endsWith('Internals'), `${family}/${file} imports the node file ${other}/${target}.ts`);
        }
        assert.doesNotMatch(src, /^import\s+['"]\.\.\//m, `${family}/${file}: a side-effect import of another family`);
      }
    }
  });

  it('should give every node a doc example naming its real type, parameters and input ports', () => {
    const byType = new Map(allNodes.map((d) => [d.type, d]));
    for (const def of allNodes) {
      const { family, file } = fileOf(def);
      const src = source(family, file);
      const m = /## Example\n \* `([^`]+)`/.exec(src);
      assert.ok(m, `${def.type}: no ## Example`);
      const text = m[1]!.replace(/\n \*\s*/g, ' ');
      const parsed = JSON.parse(text.trim().startsWith('{"type"') ? `{"x": ${text}}` : `{${text}}`) as Record<string, { type: string; params?: object; inputs?: object }>;
      for (const [id, node] of Object.entries(parsed)) {
        const target = byType.get(node.type);
        assert.ok(target, `${def.type}: example node ${id} names ${node.type}`);
        for (const k of Object.keys(node.params ?? {})) assert.ok(k in target.params, `${def.type}: example sets unknown param ${k}`);
        for (const k of Object.keys(node.inputs ?? {})) assert.ok(k in target.inputs, `${def.type}: example wires unknown input ${k}`);
      }
    }
  });
});
