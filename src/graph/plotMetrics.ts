/**
 * Plot references (`node.metric` in a plot's y, spectrum, heatmap or series) against what the
 * node's type declares: the name, so a typo fails validation instead of drawing an empty plot,
 * and the kind, so an array is not silently dropped from a line plot nor a scalar drawn as "no
 * data" in a spectrum. Each problem says which plot field draws that kind.
 */
import type { MetricKind } from '../node.ts';
import type { CompiledNode } from './compiled.ts';
import { declaredList, findDeclared } from './declarations.ts';
import type { GraphSpec, PlotSpec } from './spec.ts';
import { closest } from './suggest.ts';

type PlotField = 'y' | 'spectrum' | 'heatmap' | 'series';

/** A line plot draws scalars against step; the other kinds draw the last value of an array. */
const drawsScalars = (field: PlotField): boolean => field === 'y';

/** The plot field that draws a metric of this kind. */
const FIELD_FOR: Record<MetricKind, string> = {
  scalar: '{"y": [...]} (a line against step)',
  array: '{"spectrum": ...} (against rank, log-log)',
  series: '{"series": ...} (stems against the index)',
  matrix: '{"heatmap": ...}',
};

function refsByField(p: PlotSpec): [PlotField, string][] {
  return [
    ...(p.y ?? []).map((r): [PlotField, string] => ['y', r]),
    ...(['spectrum', 'heatmap', 'series'] as const).flatMap((f): [PlotField, string][] => (p[f] ? [[f, p[f]!]] : [])),
  ];
}

export function checkPlotMetrics(spec: GraphSpec, nodes: Map<string, CompiledNode>, problems: string[]): void {
  spec.plots?.forEach((p, i) => {
    for (const [field, ref] of refsByField(p)) {
      const dot = ref.indexOf('.');
      const id = ref.slice(0, dot), name = ref.slice(dot + 1);
      const node = nodes.get(id);
      if (!node) continue; // unknown nodes and types are reported elsewhere
      const declared = findDeclared(node.def.metrics, name);
      if (!declared) {
        const names = Object.keys(node.def.metrics ?? {});
        const hint = closest(name, names.filter((n) => !n.includes('*')));
        problems.push(`plots[${i}] refers to ${ref}, but ${node.def.type} (node ${id}) declares no metric '${name}'`
          + `${hint ? ` (did you mean '${id}.${hint}'?)` : ''}; its metrics: ${declaredList(node.def.metrics)}`);
      } else if (drawsScalars(field) !== (declared.kind === 'scalar')) {
        problems.push(`plots[${i}].${field}: ${ref} is a${declared.kind === 'array' ? 'n' : ''} ${declared.kind} metric, which ${field === 'y' ? 'a line plot cannot draw' : `"${field}" does not draw (it draws arrays)`}; draw it with ${FIELD_FOR[declared.kind]}`);
      }
    }
  });
}
