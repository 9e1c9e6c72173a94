'use strict';
// Koa + @koa/router + the request kit on a real server on 127.0.0.1.

const { test, before, after } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const Koa = require('koa');
const Router = require('@koa/router');
const pino = require('pino');
const { koaContext, pinoMixin, getRequestContext } = require('../lib/request');
const h = require('./fixtures/request/harness');

let downstream;
let server;
let port;
const capture = h.captureLines();
const logger = pino({ mixin: pinoMixin(), base: null, timestamp: false }, capture.stream);
const appErrors = [];

before(async () => {
  downstream = await h.startDownstream();
  const app = new Koa();
  const router = new Router();
  app.use(koaContext());
  router.get('/work', async (ctx) => {
    const seq = ctx.query.seq;
    ctx.res.on('finish', () => logger.info({ seq, at: 'finish' }));
    const seen = await h.doWork(seq, downstream.port, logger);
    assert.strictEqual(ctx.state.requestId, getRequestContext().requestId);
    assert.strictEqual(ctx.state.requestContext, getRequestContext());
    ctx.body = seen;
  });
  router.post('/stream', async (ctx) => {
    const seen = [];
    await new Promise((resolve) => {
      ctx.req.on('data', () => seen.push(h.snapshot('data')));
      ctx.req.on('end', () => { seen.push(h.snapshot('end')); resolve(); });
    });
    seen.push(h.snapshot('after-body'));
    ctx.body = { seen, state: ctx.state.requestId };
  });
  router.get('/throw', async (ctx) => {
    await new Promise((r) => setTimeout(r, 2));
    ctx.throw(418, 'teapot', { headers: { 'x-custom': 'kept' } });
  });
  router.get('/getter', () => {
    const err = new Error('getter');
    Object.defineProperty(err, 'headers', { get: () => ({ 'x-from-getter': '1' }), enumerable: true });
    throw err;
  });
  router.get('/raw', (ctx) => { ctx.body = 'ok'; });
  app.use(router.routes());
  app.silent = true;
  app.on('error', (err, ctx) => {
    appErrors.push({ id: ctx.state.requestId, seen: h.snapshot('app-error'), during: { ...err.headers }, err });
    logger.error({ seq: `error-${ctx.state.requestId}`, at: 'app-error' });
  });
  server = http.createServer(app.callback());
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
});

test('raw bytes (CR/LF, NUL, UTF-8, control chars) are never echoed', async () => {
  assert.strictEqual((await h.checkRawCases(port, '/raw')).length, 7);
});

test("context survives req.on('data'/'end') in Koa", async () => {
  const ids = Array.from({ length: 20 }, (_, i) => `koa-stream-${i}`);
  const results = await h.pool(ids, 10, (id) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/stream', headers: { 'x-request-id': id } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve(JSON.parse(text)));
    });
    req.on('error', reject);
    req.write('x'.repeat(50));
    setTimeout(() => req.end('y'.repeat(50)), 5);
  }));
  results.forEach((r, i) => {
    assert.strictEqual(r.state, ids[i]);
    assert.ok(r.seen.some((s) => s.at === 'data'));
    for (const s of r.seen) assert.strictEqual(s.requestId, ids[i], `${s.at} lost the context`);
  });
});

test("app.on('error') runs in the failing request's context and error responses keep the ids", async () => {
  appErrors.length = 0;
  capture.lines.length = 0;
  const ids = Array.from({ length: 20 }, (_, i) => `koa-err-${i}`);
  const results = await h.pool(ids, 10, (id) => h.request(port, { path: '/throw', headers: { 'x-request-id': id } }));
  results.forEach((r, i) => {
    assert.strictEqual(r.status, 418);
    assert.strictEqual(r.headers['x-request-id'], ids[i]);
    assert.match(r.headers.traceparent, h.TRACEPARENT);
    assert.strictEqual(r.headers['x-custom'], 'kept');
  });
  assert.strictEqual(appErrors.length, ids.length);
  for (const e of appErrors) {
    assert.strictEqual(e.seen.requestId, e.id);
    // Our ids are lent to err.headers while Koa builds the response, then
    // taken back so the error object is left as the application made it.
    assert.deepStrictEqual(Object.keys(e.during), ['x-custom', 'X-Request-Id', 'traceparent']);
    assert.strictEqual(e.during['X-Request-Id'], e.id);
    assert.deepStrictEqual(Object.keys(e.err.headers), ['x-custom']);
  }
  const logs = capture.json().filter((l) => l.at === 'app-error');
  assert.strictEqual(logs.length, ids.length);
  for (const l of logs) assert.strictEqual(`error-${l.request_id}`, l.seq);
});

// (A frozen error is not tested: Koa's own onerror assigns err.status.)
test('an error with read-only headers still gets a normal error response', async () => {
  const getter = await h.request(port, { path: '/getter', headers: { 'x-request-id': 'kg-1' } });
  assert.strictEqual(getter.status, 500);
  assert.strictEqual(getter.headers['x-from-getter'], '1');
});
