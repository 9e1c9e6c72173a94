'use strict';
// Express + the request kit on a real server on 127.0.0.1: 200 concurrent
// requests carrying valid and hostile ids, checked header by header and
// log line by log line, plus body parsers, stream events, error handlers.

const { test, before, after } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const express = require('express');
const pino = require('pino');
const { expressContext, pinoMixin, getRequestContext } = require('../lib/request');
const h = require('./fixtures/request/harness');

let downstream;
let server;
let port;
const capture = h.captureLines();
const logger = pino({ mixin: pinoMixin(), base: null, timestamp: false }, capture.stream);
const finished = [];

before(async () => {
  downstream = await h.startDownstream();
  const app = express();
  app.use(expressContext());
  app.get('/work', async (req, res) => {
    const seq = req.query.seq;
    res.on('finish', () => logger.info({ seq, at: 'finish' }));
    const seen = await h.doWork(seq, downstream.port, logger);
    assert.strictEqual(req.id, getRequestContext().requestId);
    res.json(seen);
  });
  app.post('/json', express.json(), (req, res) => {
    res.json({ body: req.body, seen: h.snapshot('after-json-parser'), reqId: req.id });
  });
  app.post('/stream', (req, res) => {
    const seen = [];
    req.on('data', () => seen.push(h.snapshot('data')));
    req.on('end', () => {
      seen.push(h.snapshot('end'));
      res.on('finish', () => finished.push({ id: req.id, seen: h.snapshot('finish') }));
      setTimeout(() => res.json(seen), 5);
    });
  });
  app.get('/throw', () => {
    throw new Error('sync boom');
  });
  app.get('/reject', async () => {
    await new Promise((r) => setTimeout(r, 2));
    throw new Error('async boom');
  });
  app.get('/raw', (req, res) => res.end('ok'));
  // Error middleware: runs in the context of the failing request.
  app.use((err, req, res, next) => {
    res.status(500).json({ message: err.message, seen: h.snapshot('error-middleware'), reqId: req.id });
  });
  server = http.createServer(app);
  port = await h.listen(server);
});

after(async () => {
  await h.close(server);
  await downstream.close();
});

test('200 concurrent requests: every header, snapshot, log line and outgoing call carries its own ids', async () => {
  capture.lines.length = 0;
  downstream.received.length = 0;
  await h.driveAndCheck({ port, downstream, logRecords: () => capture.json(), minLogs: 3 });
  // Every case kind was exercised, so no branch was silently skipped.
  assert.strictEqual(new Set(h.makeCases(200).map((c) => c.kind)).size, h.KINDS.length);
});

test('raw bytes (CR/LF, NUL, UTF-8, control chars) are never echoed', async () => {
  const outcomes = await h.checkRawCases(port, '/raw');
  assert.strictEqual(outcomes.length, 7);
});

test('context survives express.json()', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
  const ids = Array.from({ length: 40 }, (_, i) => `json-${i}`);
  const results = await h.pool(ids, 10, (id) => h.request(port, {
    method: 'POST', path: '/json', agent, body: JSON.stringify({ id }),
    headers: { 'content-type': 'application/json', 'x-request-id': id },
  }));
  agent.destroy();
  results.forEach((r, i) => {
    const body = JSON.parse(r.text);
    assert.strictEqual(body.body.id, ids[i]);
    assert.strictEqual(body.seen.requestId, ids[i]);
    assert.strictEqual(body.reqId, ids[i]);
    assert.strictEqual(r.headers['x-request-id'], ids[i]);
  });
});

test("context survives req.on('data'/'end') and res.on('finish') across chunked bodies", async () => {
  finished.length = 0;
  const ids = Array.from({ length: 20 }, (_, i) => `stream-${i}`);
  const results = await h.pool(ids, 10, (id) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/stream', headers: { 'x-request-id': id } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    // Separate writes spaced out so the server sees several 'data' events.
    req.write('a'.repeat(100));
    setTimeout(() => { req.write('b'.repeat(100)); setTimeout(() => req.end('c'), 5); }, 5);
  }));
  results.forEach((seen, i) => {
    assert.ok(seen.filter((s) => s.at === 'data').length >= 2, 'expected several data events');
    for (const s of seen) assert.strictEqual(s.requestId, ids[i], `${s.at} lost the context`);
  });
  // 'finish' can land after the client got the body; wait for all of them.
  for (let i = 0; i < 100 && finished.length < ids.length; i++) await new Promise((r) => setTimeout(r, 10));
  assert.strictEqual(finished.length, ids.length);
  for (const f of finished) assert.strictEqual(f.seen.requestId, f.id);
});

test("Express's own final handler (no error middleware) keeps the ids on its 500", async () => {
  const app = express();
  app.use(expressContext());
  app.set('env', 'test'); // finalhandler prints errors outside 'test'
  app.get('/', () => { throw new Error('unhandled'); });
  const bare = http.createServer(app);
  const bport = await h.listen(bare);
  try {
    const r = await h.request(bport, { headers: { 'x-request-id': 'final-1' } });
    assert.strictEqual(r.status, 500);
    assert.strictEqual(r.headers['x-request-id'], 'final-1');
    assert.match(r.headers.traceparent, h.TRACEPARENT);
  } finally {
    await h.close(bare);
  }
});

test('error middleware sees the failing request, sync throw and async rejection', async () => {
  for (const path of ['/throw', '/reject']) {
    const tp = `00-${'ab'.repeat(16)}-${'cd'.repeat(8)}-01`;
    const r = await h.request(port, { path, headers: { 'x-request-id': `err${path.slice(1)}`, traceparent: tp } });
    assert.strictEqual(r.status, 500);
    const body = JSON.parse(r.text);
    assert.strictEqual(body.seen.requestId, `err${path.slice(1)}`);
    assert.strictEqual(body.seen.traceId, 'ab'.repeat(16));
    assert.strictEqual(body.reqId, `err${path.slice(1)}`);
    assert.strictEqual(r.headers['x-request-id'], `err${path.slice(1)}`);
    assert.match(r.headers.traceparent, new RegExp(`^00-${'ab'.repeat(16)}-[0-9a-f]{16}-01$`));
  }
});
