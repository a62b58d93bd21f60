/**
 * Plot references (`node.metric` in a plot's y, spectrum or heatmap) against what the node's
 * type declares, so a typo fails validation instead of drawing an empty plot.
 */
import type { CompiledNode } from './compiled.ts';
import { declaredList, findDeclared } from './declarations.ts';
import { plotRefs, type GraphSpec } from './spec.ts';
import { closest } from './suggest.ts';

export function checkPlotMetrics(spec: GraphSpec, nodes: Map<string, CompiledNode>, problems: string[]): void {
  spec.plots?.forEach((p, i) => {
    for (const ref of plotRefs(p)) {
      const dot = ref.indexOf('.');
      const id = ref.slice(0, dot), name = ref.slice(dot + 1);
      const node = nodes.get(id);
      if (!node || findDeclared(node.def.metrics, name)) continue; // unknown nodes and types are reported elsewhere
      const names = Object.keys(node.def.metrics ?? {});
      const hint = closest(name, names.filter((n) => !n.includes('*')));
      problems.push(`plots[${i}] refers to ${ref}, but ${node.def.type} (node ${id}) declares no metric '${name}'`
        + `${hint ? ` (did you mean '${id}.${hint}'?)` : ''}; its metrics: ${declaredList(node.def.metrics)}`);
    }
  });
}
