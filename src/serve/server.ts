/**
 * The one HTTP server behind `run --dashboard`, `sweep --dashboard` and `eigenflow view`, on
 * 127.0.0.1 only:
 *
 *  - `GET /`        the browser app's page (src/ui, one script, no external assets);
 *  - `GET /app.js`  the app;
 *  - `GET /state`   the current snapshot as JSON (protocol.ts);
 *  - `GET /events`  Server-Sent Events: a `state` snapshot on connect, then whatever the source
 *                   broadcasts (`delta` batches, fresh `state`s) until it ends; a client that
 *                   connects after the end gets the final snapshot and a closed stream.
 *
 * Requests whose Host is not this loopback address are refused (DNS rebinding). A client that
 * cannot keep up is skipped until its socket drains, then sent a fresh snapshot.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appPage, appScript } from './app.ts';
import type { AppState } from './protocol.ts';

export interface ServeOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Page title until the app has the state. */
  title: string;
  /** The snapshot for `/state` and for each new client. */
  snapshot(): AppState;
  /** Called before a snapshot is taken, so pending changes are sent first (e.g. a delta batch). */
  flush?(): void;
}

export interface AppServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  readonly port: number;
  /** Send an event to every connected client. */
  broadcast(event: string, data: unknown): void;
  /** Keep-alive comment for idle streams. */
  ping(): void;
  /** The source has ended: send the final snapshot, close every stream; later clients get it at once. */
  end(): void;
  /** Resolves once the server has closed. */
  readonly done: Promise<void>;
  /** Close the server now. */
  stop(): Promise<void>;
}

/** True for a Host header naming this loopback server: 127.0.0.1 or localhost, with this port or none. */
export function loopbackHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  const m = /^(127\.0\.0\.1|localhost|\[::1\])(?::(\d+))?$/i.exec(host.trim());
  return m !== null && (m[2] === undefined || Number(m[2]) === port);
}

/** JSON with NaN and ±Infinity as strings (JSON.stringify would turn them into null). */
export const toWireJson = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

interface Client { res: ServerResponse; stale: boolean; skipped: boolean }

export async function serveApp(opts: ServeOptions): Promise<AppServer> {
  const clients = new Set<Client>();
  let ended = false;
  const stateMessage = (): string => `event: state\ndata: ${toWireJson(opts.snapshot())}\n\n`;

  const send = (c: Client, text: string): void => {
    if (c.res.writableEnded) return;
    if (c.stale) { c.skipped = true; return; }
    if (!c.res.write(text)) {
      c.stale = true;
      c.res.once('drain', () => {
        c.stale = false;
        if (c.skipped) { c.skipped = false; send(c, stateMessage()); }
      });
    }
  };

  const page = appPage(opts.title);
  const script = await appScript();
  let port = 0;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (!loopbackHost(req.headers.host, port)) { res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden: Host must be 127.0.0.1 or localhost\n'); return; }
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { allow: 'GET' }).end(); return; }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
    } else if (path === '/app.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(script);
    } else if (path === '/state') {
      opts.flush?.();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(toWireJson(opts.snapshot()));
    } else if (path === '/events') {
      opts.flush?.(); // so the snapshot and the deltas that follow do not overlap
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const c: Client = { res, stale: false, skipped: false };
      send(c, `retry: 2000\n${stateMessage()}`);
      if (ended) { res.end(); return; }
      clients.add(c);
      req.on('close', () => clients.delete(c));
    } else if (path === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  };
  const server = createServer(handle);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => { server.off('error', reject); resolveListen(); });
  });
  port = (server.address() as AddressInfo).port;

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => { resolveDone = r; });
  let stopped = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    const text = stateMessage();
    for (const c of clients) if (!c.res.writableEnded) c.res.end(text);
    clients.clear();
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    done,
    broadcast(event, data) {
      if (!clients.size) return;
      const text = `event: ${event}\ndata: ${toWireJson(data)}\n\n`;
      for (const c of clients) send(c, text);
    },
    ping() { for (const c of clients) send(c, ': ping\n\n'); },
    end,
    async stop() {
      if (stopped) return done;
      stopped = true;
      for (const c of clients) c.res.end();
      clients.clear();
      server.close(() => resolveDone());
      server.closeIdleConnections();
      // Responses just ended get a moment to reach the client before their sockets are cut.
      setTimeout(() => server.closeAllConnections(), 500).unref();
      return done;
    },
  };
}
