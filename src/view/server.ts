/**
 * `eigenflow view DIR…`: finished runs and sweeps read from disk once (no rerun) and served by
 * the app server (src/serve) as one `files` snapshot — runs with their legend labels, and sweeps.
 */
import { serveApp, type AppServer } from '../serve/server.ts';
import type { FilesState, RunFiles } from '../serve/protocol.ts';
import { readDirs, type RunData } from './runData.ts';

/**
 * Legend text for each run: its name; the graph, when the runs come from more than one; and the
 * parameters the run defines whose values are not the same in every run that defines them (a
 * parameter a run's graph does not have is left out of that run's label, never `name=undefined`).
 */
export function runLabels(runs: readonly RunData[]): string[] {
  const graphs = new Set(runs.map((r) => r.graph)).size > 1;
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const differ = keys.filter((k) => new Set(runs.filter((r) => Object.hasOwn(r.params, k)).map((r) => JSON.stringify(r.params[k]))).size > 1);
  const seeds = new Set(runs.map((r) => r.seed)).size > 1;
  return runs.map((r) => {
    const extra = [...(graphs && r.graph ? [r.graph] : []), ...differ.filter((k) => Object.hasOwn(r.params, k)).map((k) => `${k}=${JSON.stringify(r.params[k])}`), ...(seeds && r.seed !== null ? [`seed=${r.seed}`] : [])];
    return extra.length ? `${r.name} (${extra.join(', ')})` : r.name;
  });
}

export function viewData(dirs: readonly string[]): FilesState {
  const { runs, sweeps } = readDirs(dirs);
  const labels = runLabels(runs);
  const labelled: RunFiles[] = runs.map((r, i) => ({ ...r, label: labels[i]! }));
  const title = sweeps.length === 1 && dirs.length === 1 ? `sweep ${sweeps[0]!.name}` : runs.length === 1 ? runs[0]!.name : `${runs.length} runs`;
  return { source: 'files', title, runs: labelled, sweeps };
}

export async function viewServer(dirs: readonly string[], port = 0): Promise<AppServer & { close(): Promise<void> }> {
  const data = viewData(dirs);
  const server = await serveApp({ port, title: data.title, snapshot: () => data });
  server.end(); // nothing more will come: /events sends the snapshot and closes
  return { ...server, close: () => server.stop() };
}
