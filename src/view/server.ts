/**
 * `eigenflow view DIR…`: serve finished runs and sweeps on 127.0.0.1 (read from disk once, no
 * rerun). `GET /` is the page, `GET /data` the runs (legend labels by run name and the parameters
 * that differ between runs) and sweeps as JSON. Requests whose Host is not this loopback address
 * are refused (DNS rebinding).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loopbackHost } from '../sinks/dashboard.ts';
import { viewPage } from './page.ts';
import { differingParams, readDirs, type RunData, type SweepData } from './runData.ts';

export interface ViewData { title: string; runs: (RunData & { label: string })[]; sweeps: SweepData[] }

const toJson = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));

export function viewData(dirs: readonly string[]): ViewData {
  const { runs, sweeps } = readDirs(dirs);
  const differ = differingParams(runs);
  const seeds = new Set(runs.map((r) => r.seed)).size > 1;
  const labelled = runs.map((r) => {
    const extra = [...differ.map((k) => `${k}=${JSON.stringify(r.params[k])}`), ...(seeds ? [`seed=${r.seed}`] : [])];
    return { ...r, label: extra.length ? `${r.name} (${extra.join(', ')})` : r.name };
  });
  const title = sweeps.length === 1 && dirs.length === 1 ? `sweep ${sweeps[0]!.name}` : runs.length === 1 ? runs[0]!.name : `${runs.length} runs`;
  return { title, runs: labelled, sweeps };
}

export async function viewServer(dirs: readonly string[], port = 0): Promise<{ url: string; port: number; server: Server; close(): Promise<void> }> {
  const data = toJson(viewData(dirs));
  const page = viewPage();
  let bound = 0;
  const server = createServer((req, res) => {
    if (!loopbackHost(req.headers.host, bound)) { res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: Host must be 127.0.0.1 or localhost\n'); return; }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET' }).end(); return; }
    if (path === '/' || path === '/index.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else if (path === '/data') res.writeHead(200, { 'content-type': 'application/json' }).end(data);
    else if (path === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolveListen(); });
  });
  bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/`, port: bound, server,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
