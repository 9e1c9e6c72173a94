'use strict';
// An Express app under autocannon for 10 s (127.0.0.1), plus a keep-alive
// client whose connections stay open afterwards; after 2 s idle the leak
// report names no request, while the open connections' timers are there,
// attributed to the connection.

const { test } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const autocannon = require('autocannon');

const { trackResources } = require('../lib/tracker');
const { startApps, get, fullGc, INNOCENT } = require('./fixtures/tracker/apps');

const DURATION_S = 10;

function load(port) {
  return new Promise((resolve, reject) => {
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: 10,
      duration: DURATION_S,
      requests: INNOCENT.map((route) => ({ method: 'GET', path: `/${route}` })),
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

test('Express under autocannon, then 2 s idle with connections open: the leak report names no request', async (t) => {
  const tracker = trackResources({ promises: true });
  const apps = await startApps(['express']);
  const kept = new http.Agent({ keepAlive: true, maxSockets: 4 });
  t.after(async () => {
    tracker.stop();
    kept.destroy();
    await apps.close();
  });
  const port = apps.ports.express;

  let running = true;
  let served = 0;
  const lanes = Array.from({ length: 4 }, async (_, lane) => {
    for (let i = lane; running; i += 4) {
      await get(port, `/${INNOCENT[i % INNOCENT.length]}`, kept);
      served++;
    }
  });
  const result = await load(port);
  running = false;
  await Promise.all(lanes);
  assert.ok(result.requests.total > 0 && served > 0, `autocannon ${result.requests.total}, keep-alive client ${served}`);
  assert.strictEqual(result.errors, 0);
  assert.ok(result['2xx'] > 0 && result.non2xx > 0, 'mixed outcomes');

  await sleep(2000);
  // Promises and AsyncResources count once a full collection passed.
  await fullGc();
  const report = tracker.leakReport({ olderThanMs: 1000 });
  assert.deepStrictEqual(report.map((l) => `${l.type} ${l.requestId}`), []);
  const owned = tracker.leakReport({ olderThanMs: 1000, includeOwned: true });
  assert.ok(owned.length > 0 && owned.every((l) => l.owner === 'connection'), 'the open connections\' timers are there, as theirs');
});
