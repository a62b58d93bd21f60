/**
 * eigenflow's programmatic API.
 *
 * ```ts
 * import { loadGraph, withOverrides, runGraph } from 'eigenflow';
 * import { registerAllNodes } from 'eigenflow/nodes';
 * registerAllNodes();
 * const spec = withOverrides(loadGraph('cis-noise'), { sigma: 0.03, 'train.lr': 1e-3 });
 * const result = await runGraph(spec, { seed: 1, outDir: 'runs/mine', sinks: [(e) => myPlot(e)] });
 * ```
 */
/**
 * The TensorFlow.js instance eigenflow runs on. Node modules written outside this package import
 * `tf` from here, so there is one tfjs (one backend registry, one tensor engine) in the process.
 */
export * as tf from '@tensorflow/tfjs';
export { defineNode } from './node.ts';
/**
 * Node types the graph builder knows at compile time, by type name. The node library fills it
 * (importing `eigenflow/nodes` adds every built-in type); a project adds its own the same way,
 * by declaration merging:
 *
 * ```ts
 * export const nodes = [scale, shift];
 * declare module 'eigenflow' { interface NodeTypes extends NodeTypesOf<typeof nodes> {} }
 * ```
 *
 * While it is empty (no library imported) the builder accepts any type name. It is declared here,
 * in the module users import, because TypeScript merges an augmentation of `'eigenflow'` only into
 * an interface declared in that module itself, not into one it re-exports.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface NodeTypes {}
export type { NodeTypesOf, ParamValue, ParamValues } from './node.ts';
export type { NodeTypeName, MetricRef, TypedPlot } from './graph/builderTypes.ts';
export type {
  AnyNodeDef, NodeDef, NodeContext, ParamSchema, ParamSpec, PortMap, PortSpec, PortTypes, Step, MetricValue,
  MetricKind, MetricSpec, MetricMap, ArtifactMap, CostEstimate, Precision,
} from './node.ts';
export { matrix64, type Matrix64 } from '@eigenflow/linalg';
export { registerNode, registerNodes, unregisterNode, getNode, listNodes } from './registry.ts';
export { graph, type GraphBuilder, type GraphPart } from './graph/builder.ts';
export { loadGraph, parseGraph, withOverrides, parseValue, type GraphSpec, type NodeSpec, type PlotSpec } from './graph/spec.ts';
export { listShippedGraphs, type ShippedGraph } from './graph/shipped.ts';
export { validateGraph } from './graph/validate.ts';
export type { CompiledGraph } from './graph/compiled.ts';
export { metricSpecOf, declaredMetric } from './graph/declarations.ts';
export { GraphValidationError, NodeError, DivergedError, CancelledError, RunSetupError } from './graph/errors.ts';
export { runGraph, startRun, observeRun, defaultSinks, type RunOptions, type RunResult, type RunHandle } from './run/runGraph.ts';
export type { MetricEvent, Progress, RunStatus } from './record/events.ts';
export { readManifest, type Manifest, type ManifestSummary, type MetricDeclaration } from './record/manifest.ts';
export { readMetricsFile, type RecordedEvent } from './record/metricsFile.ts';
export { summarizePoints, reduceRunMetrics, parseReduction, type MetricSummary, type PointSummary, type Reduction } from './record/summary.ts';
export { scalarMetric, arrayMetric } from './run/metricFilters.ts';
export type { Sink, SinkLike, SinkClose, SinkReport } from './sinks/sink.ts';
export { jsonlSink, csvSink } from './sinks/jsonl.ts';
export { plotSink } from './sinks/plots.ts';
export { consoleSink } from './sinks/console.ts';
export { dashboardSink, type DashboardSink, type DashboardOptions, type DashboardState } from './sinks/dashboard.ts';
export { selectBackend, type BackendInfo } from './backend/select.ts';
/**
 * `await ready()` starts the default backend (wasm, or the one `selectBackend` chose) so `tf` can be
 * used directly — `tf.memory()`, `tf.tensor(…)` — before any run; `runGraph` does it by itself.
 */
export { currentOrDefaultBackend as ready } from './backend/select.ts';
export { deriveRng, type Rng } from './rng.ts';
export { linePlot, heatmap, type Series, type PlotOptions, type HeatmapOptions, type LineStyle } from './plot/svg.ts';
export { makeAxis, type Axis, type Tick } from './plot/ticks.ts';
export { svgToPng } from './plot/png.ts';
export { tensorboardSink } from './sinks/tensorboard.ts';
export { viewServer, viewData } from './view/server.ts';
