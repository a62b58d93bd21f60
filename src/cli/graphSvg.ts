/** `eigenflow graph G.json --svg OUT.svg`: the DAG laid out by dagre, ports on the edges. */
import dagre from '@dagrejs/dagre';
import { isStreamEdge, type CompiledGraph } from '../graph/compiled.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function graphSvg(graph: CompiledGraph): string {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: 80, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes.values()) {
    const width = 14 + 7.2 * Math.max(node.id.length, node.def.type.length);
    g.setNode(node.id, { width, height: 44, node });
  }
  for (const node of graph.nodes.values()) {
    for (const [port, e] of Object.entries(node.inputs)) {
      g.setEdge(e.node, node.id, { label: e.port === port ? port : `${e.port}→${port}`, width: 60, height: 14, stream: isStreamEdge(graph.nodes, e) }, `${port}`);
    }
  }
  dagre.layout(g);
  const { width = 400, height = 200 } = g.graph();
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="white"/>`];
  for (const ref of g.edges()) {
    const e = g.edge(ref) as { points: { x: number; y: number }[]; label: string; x: number; y: number; stream: boolean };
    const d = e.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('');
    parts.push(`<path d="${d}" fill="none" stroke="#555" stroke-width="${e.stream ? 2.5 : 1.2}"${e.stream ? ' stroke-dasharray="5 3"' : ''} marker-end="url(#arrow)"/>`);
    parts.push(`<text x="${e.x}" y="${e.y + 4}" text-anchor="middle" fill="#333" font-size="11">${esc(e.label)}</text>`);
  }
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number; width: number; height: number; node: CompiledGraph['nodes'] extends Map<string, infer N> ? N : never };
    const fill = n.node.generator ? '#fde2c4' : n.node.origin ? '#d9ecff' : '#eef2e6';
    parts.push(`<rect x="${n.x - n.width / 2}" y="${n.y - n.height / 2}" width="${n.width}" height="${n.height}" rx="6" fill="${fill}" stroke="#333"/>`);
    parts.push(`<text x="${n.x}" y="${n.y - 4}" text-anchor="middle" font-weight="bold">${esc(id)}</text>`);
    parts.push(`<text x="${n.x}" y="${n.y + 12}" text-anchor="middle" fill="#555">${esc(n.node.def.type)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
