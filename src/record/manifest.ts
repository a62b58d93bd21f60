/**
 * `manifest.json`: what ran and how it ended. Written when the run starts (status `running`)
 * and rewritten when it ends, atomically (temp file + rename), so a killed run still leaves one.
 *
 * Format version 2 adds `metrics`: each metric's declared kind, when it is emitted and (for a
 * heatmap) its width, so a run directory describes itself and a reader needs no node library.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { InvalidFile, readRegularText, UnreadableFile } from '../safeRead.ts';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../paths.ts';
import { findDeclared } from '../graph/declarations.ts';
import type { GraphSpec } from '../graph/spec.ts';
import type { BackendInfo } from '../backend/select.ts';
import type { ComputeInfo } from '../backend/matMulWasm.ts';
import type { MetricKind, MetricSpec } from '../node.ts';
import { getNode } from '../registry.ts';
import type { SinkReport } from '../sinks/sink.ts';
import { RUN_STATUSES, type ManifestStatus } from './events.ts';

export const MANIFEST_FORMAT_VERSION = 2;

/** How a metric is drawn and when it comes: its node type's declaration, plus a heatmap's width from the graph's plots. */
export interface MetricDeclaration {
  kind: MetricKind;
  when: NonNullable<MetricSpec['when']>;
  /** Columns of a row-major matrix, when a plot of the graph gives them. */
  cols?: number;
}

/** Declared metrics by `node.name` (a name may hold one `*`, as the node type declares it). */
export type MetricDeclarations = Record<string, MetricDeclaration>;

export interface Manifest {
  formatVersion: typeof MANIFEST_FORMAT_VERSION;
  graph: GraphSpec;
  seed: number;
  backend: BackendInfo;
  /**
   * The matrix-product path: on wasm eigenflow's SIMD kernel, OpenBLAS or tfjs's XNNPACK (`matmul`:
   * the mode asked for), with, once the run ends, how many products each path ran (`calls`).
   * Absent in manifests written before it existed.
   */
  compute?: ComputeInfo;
  /** Which linear-algebra routines the spectral nodes use, as the node library describes them (see `registerRunInfo`). */
  spectralMethod?: string;
  versions: Record<string, string>;
  git: { commit: string; dirty: boolean } | null;
  start: string;
  end: string | null;
  status: ManifestStatus;
  error: { message: string; node: string | null } | null;
  events: number;
  metrics: MetricDeclarations;
  sinks?: SinkReport;
  leakedTensors?: number;
  /** A member run (`--members`): its axes, member count and member run directories (src/run/memberRecord.ts). */
  members?: { axes: Record<string, unknown[]>; count: number; dirs: string[] };
  /** A member's own run directory: which member of the parent run it is. */
  member?: { index: number; overrides: Record<string, unknown>; seed: number };
}

const require = createRequire(import.meta.url);

export function packageVersions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  for (const pkg of ['eigenflow', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'rxjs', 'immer']) {
    try {
      const path = pkg === 'eigenflow' ? join(packageRoot, 'package.json') : require.resolve(`${pkg}/package.json`);
      out[pkg] = JSON.parse(readFileSync(path, 'utf8')).version;
    } catch { /* not resolvable from here: leave it out */ }
  }
  return out;
}

export function gitState(): Manifest['git'] {
  try {
    // Only eigenflow's own checkout: an installed copy inside someone else's repository has no commit of its own.
    const cwd = packageRoot;
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (realpathSync(top) !== realpathSync(cwd)) return null;
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

/** Every metric the graph's node types declare, with heatmap widths from the graph's plots. */
export function metricDeclarations(spec: GraphSpec): MetricDeclarations {
  const out: MetricDeclarations = {};
  for (const [id, ns] of Object.entries(spec.nodes)) {
    for (const [name, m] of Object.entries(getNode(ns.type)?.metrics ?? {})) out[`${id}.${name}`] = { kind: m.kind, when: m.when ?? 'call' };
  }
  for (const p of spec.plots ?? []) {
    if (!p.heatmap || p.cols === undefined) continue;
    const d = declarationOf(out, p.heatmap);
    if (d) d.cols = p.cols;
  }
  return out;
}

/** The declaration covering metric `ref` (`node.name`): exact, else a `node.prefix_*` pattern. */
export function declarationOf(metrics: MetricDeclarations, ref: string): MetricDeclaration | undefined {
  const dot = ref.indexOf('.');
  const node = ref.slice(0, dot);
  const ofNode = Object.fromEntries(Object.entries(metrics).filter(([k]) => k.startsWith(`${node}.`)).map(([k, v]) => [k.slice(dot + 1), v]));
  return findDeclared(ofNode, ref.slice(dot + 1));
}

export function writeManifest(dir: string, m: Manifest): void {
  const path = join(dir, 'manifest.json');
  writeFileSync(`${path}.tmp`, `${JSON.stringify(m, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** What a reader can rely on from a manifest of any version (fields it lacks are null or empty). */
export interface ManifestSummary {
  formatVersion: number;
  status: ManifestStatus | null;
  seed: number | null;
  graph: GraphSpec | null;
  graphName: string;
  params: Record<string, unknown>;
  error: string | null;
  /** Declared metrics (format 2); empty for older manifests. */
  metrics: MetricDeclarations;
}

/** A manifest holds the graph and declarations: megabytes at most; more is not one eigenflow wrote. */
const MANIFEST_MAX_BYTES = 64 << 20;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const STATUSES: readonly string[] = ['running', ...RUN_STATUSES];

/**
 * Read DIR/manifest.json: null when there is none; throws an Error naming the file when it is not
 * JSON. Unknown or malformed fields are left out, not trusted.
 */
export function readManifest(dir: string): ManifestSummary | null {
  const path = join(dir, 'manifest.json');
  let text: string;
  try {
    text = readRegularText(path, MANIFEST_MAX_BYTES);
  } catch (e) {
    if (e instanceof UnreadableFile) { if (e.why === 'no such file') return null; throw new InvalidFile(path, e.why); }
    throw e;
  }
  let m: unknown;
  try { m = JSON.parse(text); } catch (e) { throw new InvalidFile(path, `not valid JSON (${(e as Error).message})`); }
  if (!isObject(m)) throw new Error(`${path}: not a JSON object`);
  const graph = isObject(m.graph) && isObject(m.graph.nodes) ? (m.graph as unknown as GraphSpec) : null;
  const metrics: MetricDeclarations = {};
  if (isObject(m.metrics)) {
    for (const [ref, d] of Object.entries(m.metrics)) {
      if (isObject(d) && typeof d.kind === 'string' && ['scalar', 'array', 'series', 'matrix'].includes(d.kind)) {
        metrics[ref] = { kind: d.kind as MetricKind, when: (['step', 'once', 'call'].includes(d.when as string) ? d.when : 'call') as MetricDeclaration['when'], ...(Number.isInteger(d.cols) && (d.cols as number) >= 1 ? { cols: d.cols as number } : {}) };
      }
    }
  }
  return {
    formatVersion: typeof m.formatVersion === 'number' ? m.formatVersion : 1,
    status: typeof m.status === 'string' && STATUSES.includes(m.status) ? (m.status as ManifestStatus) : null,
    seed: typeof m.seed === 'number' ? m.seed : null,
    graph,
    graphName: isObject(m.graph) && typeof m.graph.name === 'string' ? m.graph.name : '',
    params: isObject(m.graph) && isObject(m.graph.params) ? { ...m.graph.params } : {},
    error: isObject(m.error) && typeof m.error.message === 'string' ? m.error.message : null,
    metrics,
  };
}
