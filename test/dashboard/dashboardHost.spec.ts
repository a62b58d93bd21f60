import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { dashboardSink } from '../../src/sinks/dashboard.ts';
import { loopbackHost } from '../../src/serve/server.ts';

const get = (port: number, host: string): Promise<number> => new Promise((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port, path: '/state', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode!); });
  req.on('error', reject);
  req.end();
});

test('the dashboard answers only requests whose Host is its own loopback address (DNS rebinding)', async () => {
  const dash = await dashboardSink({ graph: 'g', linger: Infinity });
  try {
    assert.equal(await get(dash.port, `127.0.0.1:${dash.port}`), 200);
    assert.equal(await get(dash.port, `localhost:${dash.port}`), 200);
    assert.equal(await get(dash.port, `evil.example:${dash.port}`), 403);
    assert.equal(await get(dash.port, '127.0.0.1.evil.example'), 403);
    assert.equal(await get(dash.port, `127.0.0.1:${dash.port + 1}`), 403);
  } finally {
    await dash.stop();
  }
  assert.equal(loopbackHost(undefined, 80), false);
  assert.equal(loopbackHost('[::1]:80', 80), true);
});
