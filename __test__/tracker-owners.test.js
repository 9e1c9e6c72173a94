'use strict';
// Which resources created in a request the tracker attributes to the
// connection or the server (and leaves out of the leak report), and which
// stay the request's: one case per rule in lib/tracker/owners.js.

const { test } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const { once } = require('node:events');
const timersPromises = require('node:timers/promises');

const { trackResources } = require('../lib/tracker');
const { AsyncResource } = require('../lib/async_hooks');
const { runWithRequestContext, getRequestContext, httpContext } = require('../lib/request');
const { fullGc } = require('./fixtures/tracker/apps');

function inRequest(fn) {
  return runWithRequestContext({}, () => fn(getRequestContext().requestId));
}

function track(t, options) {
  const tracker = trackResources(options);
  t.after(() => tracker.stop());
  return tracker;
}

const idOf = (timer) => timer[Symbol.toPrimitive]();

test('a keep-alive connection\'s timer and the Date-header timer are the connection\'s and the server\'s, in queries and the timeline', async (t) => {
  const tracker = track(t);
  let requestId;
  const server = http.createServer(httpContext((req, res) => {
    requestId = req.id;
    res.end('ok');
  }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const agent = new http.Agent({ keepAlive: true });
  t.after(() => { agent.destroy(); server.close(); });
  await new Promise((resolve) => http.get({ host: '127.0.0.1', port: server.address().port, agent }, (res) => {
    res.resume();
    res.on('end', resolve);
  }));

  const ownedTimers = tracker.activeResources({ requestId, type: 'Timeout' }).filter((r) => r.owner === 'connection');
  assert.strictEqual(ownedTimers.length, 1, 'the keep-alive timer re-armed when the response finished');
  assert.strictEqual(tracker.requestSummary(requestId).ended, true);
  assert.deepStrictEqual(tracker.leakReport({ olderThanMs: 0 }).filter((l) => l.requestId === requestId), []);
  const owned = tracker.leakReport({ olderThanMs: 0, includeOwned: true }).filter((l) => l.requestId === requestId);
  assert.ok(owned.some((l) => l.asyncId === ownedTimers[0].asyncId && l.owner === 'connection'));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-owners-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'trace.json');
  await tracker.writeTimeline(file);
  const lifetimes = JSON.parse(fs.readFileSync(file, 'utf8')).traceEvents
    .filter((e) => e.cat === 'resource' && e.args.requestId === requestId && e.name === 'Timeout');
  const owners = new Set(lifetimes.map((e) => e.args.owner));
  // The Date header cache timer is created by the first response of a
  // process second: this process's first response here.
  assert.deepStrictEqual([...owners].sort(), ['connection', 'server']);
});

test('timers the request code creates stay the request\'s, unref\'d or not; a socket\'s timeout is the connection\'s', async (t) => {
  const tracker = track(t);
  const sink = net.createServer((s) => s.on('error', () => {}));
  sink.listen(0, '127.0.0.1');
  await once(sink, 'listening');
  const ac = new AbortController();
  let ids;
  let socket;
  let requestId;
  inRequest((id) => {
    requestId = id;
    const unrefed = setInterval(() => {}, 60_000).unref();
    const later = timersPromises.setTimeout(60_000, 'v', { ref: false, signal: ac.signal }).catch(() => {});
    socket = net.connect(sink.address().port, '127.0.0.1');
    socket.setTimeout(60_000);
    ids = { unrefed: idOf(unrefed), later };
    t.after(() => clearInterval(unrefed));
  });
  t.after(() => { ac.abort(); socket.destroy(); sink.close(); });
  await once(socket, 'connect');
  tracker.endRequest(requestId);

  const timers = tracker.activeResources({ requestId, type: 'Timeout' });
  const mine = timers.filter((r) => r.owner === undefined).map((r) => r.asyncId);
  assert.ok(mine.includes(ids.unrefed), 'unref() after creation: the request\'s');
  assert.strictEqual(mine.length, 2, 'the interval and timers/promises\' { ref: false } timer');
  const connection = timers.filter((r) => r.owner === 'connection');
  assert.strictEqual(connection.length, 1, 'socket.setTimeout()');

  const leaks = tracker.leakReport({ olderThanMs: 0 });
  assert.ok(leaks.some((l) => l.type === 'TCPWRAP' && l.requestId === requestId), 'a socket the request opened and never closed');
  assert.ok(!leaks.some((l) => l.asyncId === connection[0].asyncId));
});

test('promises and AsyncResources count as leaks once they survived a full collection; resolved promises never', async (t) => {
  const tracker = track(t, { promises: true });
  const kept = [];
  let requestId;
  let resolvedId;
  await inRequest(async (id) => {
    requestId = id;
    kept.push(new Promise(() => {}), new AsyncResource('KeptResource'));
    const resolved = Promise.resolve(1);
    kept.push(resolved);
    resolvedId = tracker.activeResources({ requestId, type: 'PROMISE' }).at(-1).asyncId;
    await resolved;
  });
  tracker.endRequest(requestId);
  const before = tracker.leakReport({ olderThanMs: 0 }).filter((l) => l.requestId === requestId);
  assert.deepStrictEqual(before.map((l) => l.type), [], 'not before a full collection');

  await fullGc();
  const after = tracker.leakReport({ olderThanMs: 0 }).filter((l) => l.requestId === requestId);
  assert.ok(after.some((l) => l.type === 'PROMISE'), 'the pending promise');
  assert.ok(after.some((l) => l.type === 'KeptResource'), 'the AsyncResource');
  assert.ok(!after.some((l) => l.asyncId === resolvedId), 'a resolved promise is not a leak');
  assert.ok(tracker.activeResources({ requestId }).some((r) => r.asyncId === resolvedId), 'though it is alive');
  kept.length = 0;
});

test('leakReport validates includeOwned', (t) => {
  const tracker = track(t);
  assert.throws(() => tracker.leakReport({ includeOwned: 'yes' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
});
