'use strict';
// The leak report blames no request for what belongs to the connection or
// the server (keep-alive timers, agent sockets back in the pool, the Date
// header cache), and still finds every planted leak with its creation
// stack: node:http, Express, Koa and Fastify served concurrently in one
// process, clients on keep-alive agents, read at >= 1 s and >= 6 s.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');

const { trackResources } = require('../lib/tracker');
const { startApps, get, fullGc, INNOCENT, LEAKS } = require('./fixtures/tracker/apps');

const REQUESTS_PER_FRAMEWORK = 1000;
const CONCURRENCY = 8;

// Planted leak -> what the report must show for it.
const EXPECTED = {
  'leak-interval': { type: /^Timeout$/, stack: /plantInterval/ },
  'leak-timer': { type: /^Timeout$/, stack: /plantTimer/ },
  // AsyncResource.bind names the resource after the function (Node 20) or 'bound-' + it.
  'leak-listener': { type: /^(bound-)?onTick$/, stack: /plantListener/ },
  'leak-socket': { type: /^TCPWRAP$/, stack: /plantSocket/ },
  'leak-promise': { type: /^PROMISE$/, stack: /plantPromise/ },
};

async function drive(port, agents) {
  const routes = [];
  for (let i = 0; i < REQUESTS_PER_FRAMEWORK - LEAKS.length; i++) routes.push(INNOCENT[i % INNOCENT.length]);
  // Leaks in the middle of the run: later requests reuse their connections.
  routes.splice(routes.length >> 1, 0, ...LEAKS.map((l) => `leak-${l}`));
  let next = 0;
  const statuses = {};
  async function lane(agent) {
    while (next < routes.length) {
      const route = routes[next++];
      const status = (await get(port, `/${route}`, agent)).split(' ')[0];
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => lane(agents[i % agents.length])));
  return statuses;
}

// Promises and AsyncResources end when collected: the report counts them
// once a full collection that began after their request ended has passed.
async function readReport(tracker, options) {
  await fullGc();
  return tracker.leakReport(options);
}

function check(report, planted, label) {
  const leakIds = new Set(planted.map((p) => p.requestId));
  const blamed = report.filter((l) => !leakIds.has(l.requestId));
  assert.deepStrictEqual(blamed.map((l) => `${l.type} ${l.requestId}\n${l.stack}`), [], `${label}: innocent requests blamed`);
  for (const { route, requestId } of planted) {
    const { type, stack } = EXPECTED[route];
    const found = report.find((l) => l.requestId === requestId && type.test(l.type) && stack.test(l.stack));
    assert.ok(found, `${label}: ${route} of ${requestId} not reported: ${JSON.stringify(report.filter((l) => l.requestId === requestId))}`);
    assert.match(found.stack, /apps\.js/, 'the stack points at the planting code');
    assert.strictEqual(found.owner, undefined);
  }
}

test('keep-alive traffic on four frameworks: no innocent request blamed at 1 s and 6 s, every planted leak found', async (t) => {
  const tracker = trackResources({ captureStacks: true, promises: true });
  const apps = await startApps();
  // Node's default agent (keep-alive on 20+) and a keep-alive agent without
  // an idle timeout, so connections are still open at the 6 s read.
  const kept = new http.Agent({ keepAlive: true });
  t.after(async () => {
    tracker.stop();
    kept.destroy();
    await apps.close();
  });
  const agents = [http.globalAgent, kept];

  const frameworks = Object.keys(apps.ports);
  const statuses = await Promise.all(frameworks.map((f) => drive(apps.ports[f], agents)));
  for (const [i, s] of statuses.entries()) {
    assert.ok(s['200'] > 0 && s['404'] > 0 && s['500'] > 0, `${frameworks[i]}: mixed outcomes ${JSON.stringify(s)}`);
  }
  assert.strictEqual(apps.planted.length, frameworks.length * LEAKS.length);
  const started = Date.now();

  await sleep(1100);
  check(await readReport(tracker, { olderThanMs: 1000 }), apps.planted, '1 s');

  // What the report left out is there, attributed to the connection: the
  // keep-alive timers and the agent's pooled sockets of the outgoing calls.
  const owned = tracker.leakReport({ olderThanMs: 1000, includeOwned: true }).filter((l) => l.owner !== undefined);
  assert.ok(owned.some((l) => l.owner === 'connection' && l.type === 'Timeout'), 'keep-alive timers are the connections\'');
  assert.ok(owned.some((l) => l.owner === 'connection' && l.type === 'TCPWRAP'), 'pooled agent sockets are the connections\'');
  const active = tracker.activeResources({ type: 'Timeout' }).filter((r) => r.owner === 'connection');
  assert.ok(active.length >= frameworks.length, `connection timers in activeResources: ${active.length}`);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fah-owner-')), 'trace.json');
  await tracker.writeTimeline(file);
  const events = JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents;
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const ownedIds = new Set(active.map((r) => String(r.asyncId)));
  const lifetimes = events.filter((e) => e.cat === 'resource' && ownedIds.has(e.id));
  assert.ok(lifetimes.length > 0 && lifetimes.every((e) => e.args.owner === 'connection'), 'the timeline names the owner');

  await sleep(Math.max(0, 6100 - (Date.now() - started)));
  const late = await readReport(tracker, { olderThanMs: 1000 });
  check(late, apps.planted, '6 s');
  assert.ok(tracker.leakReport({ olderThanMs: 5000, includeOwned: true }).some((l) => l.owner === 'connection'),
    'connections still open at 6 s');
});
