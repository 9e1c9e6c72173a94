'use strict';
// Fastify + the request kit (as a plugin) on a real server on 127.0.0.1.

const { test, before, after } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const Fastify = require('fastify');
const { fastifyContext, fastifyServerFactory, pinoMixin, getRequestContext } = require('../lib/request');
const h = require('./fixtures/request/harness');

let downstream;
let app;
let port;
const capture = h.captureLines();
const responded = [];

before(async () => {
  downstream = await h.startDownstream();
  // Fastify's own pino logger, with our mixin: its reqId is our request id.
  app = Fastify({ logger: { level: 'info', mixin: pinoMixin(), base: null, timestamp: false, stream: capture.stream } });
  await app.register(fastifyContext);
  // Routes in an encapsulated child plugin still get the context
  // (the plugin is skip-override).
  await app.register(async (child) => {
    child.get('/work', async (request, reply) => {
      const seq = request.query.seq;
      const seen = await h.doWork(seq, downstream.port, request.log);
      assert.strictEqual(request.id, getRequestContext().requestId);
      return seen;
    });
  });
  app.post('/json', async (request) => ({ body: request.body, seen: h.snapshot('after-body-parser'), id: request.id }));
  app.get('/fail', async () => {
    await new Promise((r) => setTimeout(r, 2));
    throw Object.assign(new Error('nope'), { statusCode: 409 });
  });
  app.get('/raw', async () => 'ok');
  app.setErrorHandler((err, request, reply) => {
    reply.code(err.statusCode ?? 500).send({ seen: h.snapshot('error-handler'), id: request.id });
  });
  app.addHook('onResponse', async (request) => {
    responded.push({ id: request.id, seen: h.snapshot('onResponse') });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = app.server.address().port;
});

after(async () => {
  await app.close();
  await downstream.close();
});

test('200 concurrent requests: every header, snapshot, Fastify log line and outgoing call carries its own ids', async () => {
  capture.lines.length = 0;
  downstream.received.length = 0;
  responded.length = 0;
  const result = await h.driveAndCheck({
    port, downstream, minLogs: 4,
    // Fastify's request logger adds reqId; group its lines by request id.
    logRecords: () => fastifyRecords(capture, { expected: 200 }),
  });
  // onResponse hooks ran in the right context too.
  for (const r of responded) assert.strictEqual(r.seen.requestId, r.id);
  assert.ok(responded.length >= result.responses.length);
});

// Groups Fastify's request log lines by seq through their reqId. Fastify
// writes 'incoming request' before any hook runs; it must carry the trace
// fields too (through the tagged child logger).
function fastifyRecords(capture, { expected }) {
  const records = capture.json().filter((l) => l.reqId !== undefined);
  const seqOf = new Map(records.filter((l) => l.seq !== undefined).map((l) => [l.reqId, l.seq]));
  const out = [];
  for (const l of records) {
    assert.strictEqual(l.reqId, l.request_id, `Fastify reqId differs from request_id (${l.msg})`);
    out.push({ ...l, seq: l.seq ?? seqOf.get(l.reqId) });
  }
  assert.strictEqual(records.filter((l) => l.msg === 'incoming request').length, expected, 'incoming request lines');
  return out;
}

test('with fastifyServerFactory as well: every line, including Fastify\'s first, carries the ids', async () => {
  const lines = h.captureLines();
  const app2 = Fastify({
    serverFactory: fastifyServerFactory(),
    logger: { level: 'info', mixin: pinoMixin(), base: null, timestamp: false, stream: lines.stream },
  });
  await app2.register(fastifyContext);
  app2.get('/work', async (request) => h.doWork(request.query.seq, downstream.port, request.log));
  await app2.listen({ port: 0, host: '127.0.0.1' });
  try {
    downstream.received.length = 0;
    const { responses } = await h.driveAndCheck({
      port: app2.server.address().port, downstream, count: 60, concurrency: 20, minLogs: 4,
      logRecords: () => fastifyRecords(lines, { expected: 60 }),
    });
    const incoming = lines.json().filter((l) => l.msg === 'incoming request');
    assert.strictEqual(incoming.length, responses.length);
  } finally {
    await app2.close();
  }
});

test('raw bytes (CR/LF, NUL, UTF-8, control chars) are never echoed', async () => {
  assert.strictEqual((await h.checkRawCases(port, '/raw')).length, 7);
});

test('context survives Fastify body parsing of chunked JSON', async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `fy-json-${i}`);
  const results = await h.pool(ids, 10, (id) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/json', headers: { 'x-request-id': id, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    const body = JSON.stringify({ id, pad: 'p'.repeat(200) });
    req.write(body.slice(0, 10));
    setTimeout(() => req.end(body.slice(10)), 5);
  }));
  results.forEach((r, i) => {
    assert.strictEqual(r.body.body.id, ids[i]);
    assert.strictEqual(r.body.id, ids[i]);
    assert.strictEqual(r.body.seen.requestId, ids[i]);
    assert.strictEqual(r.headers['x-request-id'], ids[i]);
  });
});

test('error handler and 404 responses keep the ids', async () => {
  const r = await h.request(port, { path: '/fail', headers: { 'x-request-id': 'fy-fail-1' } });
  assert.strictEqual(r.status, 409);
  const body = JSON.parse(r.text);
  assert.strictEqual(body.id, 'fy-fail-1');
  assert.strictEqual(body.seen.requestId, 'fy-fail-1');
  assert.strictEqual(r.headers['x-request-id'], 'fy-fail-1');
  const nf = await h.request(port, { path: '/missing', headers: { 'x-request-id': '<bad id>' } });
  assert.strictEqual(nf.status, 404);
  assert.match(nf.headers['x-request-id'], h.UUID_V7);
  assert.match(nf.headers.traceparent, h.TRACEPARENT);
});

test('bad plugin options reject registration with a Node-style TypeError', async () => {
  const bad = Fastify();
  bad.register(fastifyContext, { trustIncoming: 'yes' });
  await assert.rejects(bad.ready(), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  await bad.close().catch(() => {});
});
