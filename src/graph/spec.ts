/**
 * Graph specs: the JSON contract, its structural check, `$param` references, and edits.
 *
 * A spec is immutable (frozen by immer); every edit — `--set` overrides, sweep points, builder
 * steps — produces a new spec, so a run always records exactly the spec it ran.
 */
import { freeze, produce } from 'immer';
import { readRegularText, UnreadableFile } from '../safeRead.ts';
import { GraphValidationError } from './errors.ts';
import { JsonError, parseJsonStrict } from './json.ts';
import { describeValue } from './params.ts';
import { isBareName, listShippedGraphs, resolveGraphFile } from './shipped.ts';
import { closest } from './suggest.ts';

export interface NodeSpec {
  type: string;
  params?: Record<string, unknown>;
  /** `port: "node.port"` or `port: "node"` (that node's `out`, or its only output). */
  inputs?: Record<string, string>;
  /** For a node fed by a stream: run only on steps divisible by `every` (a number or `"$param"`). */
  every?: number | string;
}

export interface PlotSpec {
  /** Title; `{name}` is replaced by the graph parameter `name` ("σ = {sigma}"). */
  title?: string;
  /** Line plot of metrics `node.name` against step; one-off metrics draw as horizontal lines. */
  y?: string[];
  /** Log-log plot of the last value of an array metric `node.name` against rank. */
  spectrum?: string;
  /** Heatmap of the last value of an array metric `node.name` holding a row-major matrix. */
  heatmap?: string;
  /** Heatmap columns (default: the square root of the length). */
  cols?: number;
  logX?: boolean;
  logY?: boolean;
  xLabel?: string;
  yLabel?: string;
  /** File name without extension (default: from the title). */
  file?: string;
  /** Stem plot of the last value of an array metric `node.name` against its index from 0 (a kernel, per-feature losses). */
  series?: string;
  /** Legend labels by metric: `{"train.loss": "GD"}`. */
  labels?: Record<string, string>;
  /** Line styles by metric pattern (`*` matches any text): `{"exact.*": "dashed"}`. */
  style?: Record<string, 'solid' | 'dashed' | 'dotted'>;
  /** Groups of metrics drawn in one colour (an empirical curve and its analytic prediction). */
  pairs?: string[][];
}

export interface GraphSpec {
  name: string;
  description?: string;
  params: Record<string, unknown>;
  nodes: Record<string, NodeSpec>;
  plots?: PlotSpec[];
}

const GRAPH_KEYS = ['name', 'description', 'params', 'nodes', 'plots'];
const NODE_KEYS = ['type', 'params', 'inputs', 'every', 'doc'];
const PLOT_KEYS = ['title', 'y', 'spectrum', 'heatmap', 'series', 'cols', 'logX', 'logY', 'xLabel', 'yLabel', 'file', 'labels', 'style', 'pairs'];
const ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names every JavaScript object inherits (`__proto__`, `constructor`, `toString`, …) and
 * `prototype`. They are refused as graph parameter names, node ids, node parameter and port names,
 * so no lookup anywhere can resolve one through the prototype chain.
 */
const RESERVED = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);
export const isReservedName = (name: string): boolean => RESERVED.has(name);
const reserved = (at: string, name: string): string =>
  `${at}: '${name}' is a reserved name (every JavaScript object has a property called that); choose another name`;

const isRef = (v: unknown): v is string => typeof v === 'string' && v.startsWith('$');
export const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Check the shape of parsed JSON and return it as a frozen spec; all problems at once. */
export function parseGraph(json: unknown, source = 'graph'): GraphSpec {
  const problems: string[] = [];
  if (!isObject(json)) throw new GraphValidationError(source, [`the graph must be a JSON object, got ${describeValue(json)}`]);
  for (const k of Object.keys(json)) if (!GRAPH_KEYS.includes(k)) problems.push(`unknown top-level field '${k}' (allowed: ${GRAPH_KEYS.join(', ')})`);
  if (typeof json.name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(json.name)) problems.push(`name must be a string of letters, digits, '-', '_' or '.', got ${describeValue(json.name)}`);
  if (json.params !== undefined && !isObject(json.params)) problems.push(`params must be an object of graph parameters, got ${describeValue(json.params)}`);
  if (isObject(json.params)) {
    for (const k of Object.keys(json.params)) {
      if (!ID.test(k)) problems.push(`params.${k}: graph parameter names must be identifiers`);
      else if (isReservedName(k)) problems.push(reserved(`params.${k}`, k));
    }
  }
  if (!isObject(json.nodes) || Object.keys(json.nodes).length === 0) {
    problems.push(`nodes must be a non-empty object of node id → {type, params, inputs}, got ${describeValue(json.nodes)}`);
  } else {
    for (const [id, node] of Object.entries(json.nodes)) problems.push(...checkNodeShape(id, node));
  }
  if (json.plots !== undefined) {
    if (!Array.isArray(json.plots)) problems.push(`plots must be an array, got ${describeValue(json.plots)}`);
    else json.plots.forEach((p, i) => problems.push(...checkPlotShape(i, p)));
  }
  if (problems.length) throw new GraphValidationError(typeof json.name === 'string' ? json.name : source, problems);
  return freeze({ ...json, params: json.params ?? {} } as unknown as GraphSpec, true);
}

function checkNodeShape(id: string, node: unknown): string[] {
  const at = `nodes.${id}`;
  if (!ID.test(id)) return [`${at}: node ids must be identifiers (letters, digits, _), got '${id}'`];
  if (isReservedName(id)) return [reserved(at, id)];
  if (!isObject(node)) return [`${at} must be an object {type, params, inputs}, got ${describeValue(node)}`];
  const out: string[] = [];
  for (const k of Object.keys(node)) if (!NODE_KEYS.includes(k)) out.push(`${at}: unknown field '${k}' (allowed: ${NODE_KEYS.join(', ')})`);
  if (typeof node.type !== 'string') out.push(`${at}.type must be a node type name such as "wn.symmetric", got ${describeValue(node.type)}`);
  if (node.params !== undefined && !isObject(node.params)) out.push(`${at}.params must be an object, got ${describeValue(node.params)}`);
  if (isObject(node.params)) for (const k of Object.keys(node.params)) if (isReservedName(k)) out.push(reserved(`${at}.params.${k}`, k));
  if (node.inputs !== undefined) {
    if (!isObject(node.inputs)) out.push(`${at}.inputs must be an object of port → "node.port", got ${describeValue(node.inputs)}`);
    else for (const [port, ref] of Object.entries(node.inputs)) {
      if (isReservedName(port)) out.push(reserved(`${at}.inputs.${port}`, port));
      else if (typeof ref !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(ref)) out.push(`${at}.inputs.${port} must be "node" or "node.port", got ${describeValue(ref)}`);
      else for (const part of ref.split('.')) if (isReservedName(part)) out.push(reserved(`${at}.inputs.${port}`, part));
    }
  }
  if (node.every !== undefined && !isRef(node.every) && !isPositiveInt(node.every)) out.push(`${at}.every must be a positive integer or "$param", got ${describeValue(node.every)}`);
  return out;
}

function checkPlotShape(i: number, p: unknown): string[] {
  const at = `plots[${i}]`;
  if (!isObject(p)) return [`${at} must be an object, got ${describeValue(p)}`];
  const out: string[] = [];
  for (const k of Object.keys(p)) if (!PLOT_KEYS.includes(k)) out.push(`${at}: unknown field '${k}' (allowed: ${PLOT_KEYS.join(', ')})`);
  const ref = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z0-9_]+$/;
  if ([p.y, p.spectrum, p.heatmap, p.series].filter((k) => k !== undefined).length !== 1) out.push(`${at} needs exactly one of "y" (line plot), "spectrum" or "heatmap" (or "series": stems against index)`);
  if (p.y !== undefined && (!Array.isArray(p.y) || p.y.some((r) => typeof r !== 'string' || !ref.test(r)))) out.push(`${at}.y must be a list of "node.metric" names, got ${describeValue(p.y)}`);
  for (const k of ['spectrum', 'heatmap', 'series'] as const) {
    if (p[k] !== undefined && (typeof p[k] !== 'string' || !ref.test(p[k] as string))) out.push(`${at}.${k} must be a "node.metric" name, got ${describeValue(p[k])}`);
  }
  if (p.cols !== undefined && !(Number.isInteger(p.cols) && (p.cols as number) >= 1)) out.push(`${at}.cols must be a positive integer, got ${describeValue(p.cols)}`);
  out.push(...checkPlotExtras(at, p));
  return out;
}

/** Figure options of a plot: labels, styles, colour pairs (their types; names are not required to match a metric). */
function checkPlotExtras(at: string, p: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of ['title', 'xLabel', 'yLabel'] as const) if (p[k] !== undefined && typeof p[k] !== 'string') out.push(`${at}.${k} must be a string, got ${describeValue(p[k])}`);
  if (p.file !== undefined && (typeof p.file !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(p.file) || p.file.length > 100)) {
    out.push(`${at}.file must be a file name of letters, digits, '-', '_' or '.' (no directories, at most 100 characters), got ${describeValue(p.file)}`);
  }
  for (const k of ['logX', 'logY'] as const) if (p[k] !== undefined && typeof p[k] !== 'boolean') out.push(`${at}.${k} must be true or false, got ${describeValue(p[k])}`);
  for (const r of plotRefs(p as PlotSpec)) if (typeof r === 'string' && r.split('.').some(isReservedName)) out.push(reserved(at, r));
  if (p.labels !== undefined && (!isObject(p.labels) || Object.values(p.labels).some((v) => typeof v !== 'string'))) out.push(`${at}.labels must map "node.metric" to a legend label string, got ${describeValue(p.labels)}`);
  if (p.style !== undefined && (!isObject(p.style) || Object.values(p.style).some((v) => v !== 'solid' && v !== 'dashed' && v !== 'dotted'))) out.push(`${at}.style must map a metric pattern to "solid", "dashed" or "dotted", got ${describeValue(p.style)}`);
  if (p.pairs !== undefined && (!Array.isArray(p.pairs) || p.pairs.some((g) => !Array.isArray(g) || g.some((r) => typeof r !== 'string')))) out.push(`${at}.pairs must be a list of lists of "node.metric" names drawn in one colour, got ${describeValue(p.pairs)}`);
  return out;
}

/** The metrics a plot draws, as `node.metric` references. */
export function plotRefs(p: PlotSpec): string[] {
  return [...(p.y ?? []), ...(p.spectrum ? [p.spectrum] : []), ...(p.heatmap ? [p.heatmap] : []), ...(p.series ? [p.series] : [])];
}

/** A plot title with `{param}` replaced by the graph parameter's value (unknown names are left as written). */
export function plotTitle(p: PlotSpec, params: Readonly<Record<string, unknown>> = {}): string {
  const raw = p.title ?? plotRefs(p).join(', ');
  return raw.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? (typeof params[name] === 'string' ? (params[name] as string) : JSON.stringify(params[name])) : whole);
}

/**
 * Read and structurally check a graph file: a path, or the name of a graph shipped with the
 * package (`loadGraph('cis-noise')`; `eigenflow graphs` lists them) when no such file exists.
 */
export function loadGraph(pathOrName: string): GraphSpec {
  const path = resolveGraphFile(pathOrName);
  let text: string;
  try {
    // A regular file, checked after opening (a FIFO would block the read forever), of at most 64 MB.
    text = readRegularText(path, 64 << 20);
  } catch (e) {
    const missing = e instanceof UnreadableFile && e.why === 'no such file';
    throw new GraphValidationError(path, [`cannot read graph file: ${missing ? `no such file${path === pathOrName && isBareName(path) ? shippedHint(path) : ''}` : e instanceof UnreadableFile ? e.why : (e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = parseJsonStrict(text);
  } catch (e) {
    if (e instanceof JsonError) throw new GraphValidationError(path, e.problems);
    throw e;
  }
  return parseGraph(json, path);
}

/** For a bare name that is neither a file nor a shipped graph: the shipped names, and the closest. */
function shippedHint(name: string): string {
  const names = listShippedGraphs().map((g) => g.name);
  const hint = closest(name.replace(/\.json$/, ''), names);
  return `, nor the name of a graph shipped with eigenflow (${names.join(', ')})${hint ? `; did you mean '${hint}'?` : ''}`;
}

/** Parse a `--set`/`--grid` value: JSON when it parses, else the string itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Apply overrides: `name` sets a graph parameter, `node.param` a node parameter (replacing a
 * `$ref` there). Unknown graph parameters and nodes are errors; unknown node parameters are
 * caught by validation with the node type's list.
 */
export function withOverrides(spec: GraphSpec, sets: Record<string, unknown>): GraphSpec {
  const problems: string[] = [];
  const next = produce(spec, (draft) => {
    for (const [key, value] of Object.entries(sets)) {
      const dot = key.indexOf('.');
      if (key.split('.').some(isReservedName)) {
        problems.push(reserved(`--set ${key}`, key.split('.').find(isReservedName)!));
      } else if (dot < 0) {
        if (!Object.hasOwn(spec.params, key)) problems.push(`--set ${key}: '${key}' is not a graph parameter of ${spec.name} (graph parameters: ${Object.keys(spec.params).join(', ') || 'none'}); use node.param to set a node parameter`);
        else draft.params[key] = value as never;
      } else {
        const [id, param] = [key.slice(0, dot), key.slice(dot + 1)];
        const node = Object.hasOwn(spec.nodes, id) ? draft.nodes[id] : undefined;
        if (!node) problems.push(`--set ${key}: there is no node '${id}' (nodes: ${Object.keys(spec.nodes).join(', ')})`);
        else (node.params ??= {})[param] = value as never;
      }
    }
  });
  if (problems.length) throw new GraphValidationError(spec.name, problems);
  return next;
}

/** Replace every `"$name"` string inside a node's params by the graph parameter's value. */
export function substituteRefs(value: unknown, params: Record<string, unknown>, at: string, problems: string[]): unknown {
  if (typeof value === 'string' && value.startsWith('$')) {
    const name = value.slice(1);
    if (Object.hasOwn(params, name)) return params[name];
    problems.push(`${at} references $${name}, which is not a graph parameter (graph parameters: ${Object.keys(params).join(', ') || 'none'})`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteRefs(v, params, `${at}[${i}]`, problems));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteRefs(v, params, `${at}.${k}`, problems)]));
  return value;
}
