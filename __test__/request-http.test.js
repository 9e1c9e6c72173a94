'use strict';
// node:http + httpContext on a real server on 127.0.0.1, logging through
// winston (winstonFormat) and a patched console; plus every option.

const { test, before, after } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { Console } = require('node:console');
const { Writable } = require('node:stream');
const winston = require('winston');
const { httpContext, winstonFormat, patchConsole, getRequestContext, RequestContext } = require('../lib/request');
const h = require('./fixtures/request/harness');

let downstream;
const servers = [];

before(async () => {
  downstream = await h.startDownstream();
});

after(async () => {
  for (const s of servers) await h.close(s);
  await downstream.close();
});

async function serve(listener) {
  const server = http.createServer(listener);
  servers.push(server);
  return h.listen(server);
}

function lineCapture() {
  const lines = [];
  const stream = new Writable({ write(chunk, enc, cb) { lines.push(...chunk.toString().split('\n').filter(Boolean)); cb(); } });
  return { lines, stream };
}

// A handler shared by the logging tests: finish + data/end + doWork.
function workHandler(logger) {
  return async (req, res) => {
    const seq = new URL(req.url, 'http://x').searchParams.get('seq');
    assert.strictEqual(req.id, getRequestContext().requestId);
    res.on('finish', () => logger.info({ seq, at: 'finish' }));
    req.on('data', () => {});
    await new Promise((resolve) => req.on('end', resolve));
    logger.info({ seq, at: 'after-end' });
    const seen = await h.doWork(seq, downstream.port, logger);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(seen));
  };
}

test('200 concurrent requests with winston: every header, snapshot, log line and outgoing call carries its own ids', async () => {
  const out = lineCapture();
  const logger = winston.createLogger({
    format: winston.format.combine(winstonFormat(), winston.format.json()),
    transports: [new winston.transports.Stream({ stream: out.stream })],
  });
  // logger.info(message, meta) puts seq/at at the top level of the record.
  const port = await serve(httpContext(workHandler({ info: (meta) => logger.info('step', meta) })));
  downstream.received.length = 0;
  await h.driveAndCheck({
    port, downstream, minLogs: 4,
    logRecords: () => out.lines.map((l) => JSON.parse(l)),
  });
  // Outside a request the format adds nothing.
  const info = winstonFormat().transform({ message: 'x' });
  assert.deepStrictEqual(Object.keys(info), ['message']);
});

test('patchConsole prefixes every line of a request with its own ids, and unpatch is idempotent', async () => {
  const out = lineCapture();
  const myConsole = new Console({ stdout: out.stream, stderr: out.stream });
  const unpatch = patchConsole({ console: myConsole });
  const logger = { info: ({ seq, at }) => myConsole.log('seq=%s at=%s 100%', seq, at) };
  const port = await serve(httpContext(workHandler(logger)));
  downstream.received.length = 0;
  try {
    await h.driveAndCheck({
      port, downstream, count: 100, concurrency: 25, minLogs: 4, logKeys: { request: 'request_id', trace: 'trace_id', span: null },
      logRecords: () => out.lines.map((l) => {
        const m = /^\[([0-9a-f]{32}) (\S+)\] seq=(\d+) at=(\S+) 100%$/.exec(l);
        assert.ok(m, `unexpected console line ${JSON.stringify(l)}`);
        return { trace_id: m[1], request_id: m[2], seq: m[3], at: m[4] };
      }),
    });
  } finally {
    unpatch();
  }
  const patchedLog = myConsole.log;
  unpatch();
  assert.strictEqual(myConsole.log, patchedLog);
  out.lines.length = 0;
  myConsole.warn('plain %d', 5);
  assert.deepStrictEqual(out.lines, ['plain 5']);
});

test('patchConsole: non-string first argument, custom format, and no prefix outside requests', () => {
  const out = lineCapture();
  const myConsole = new Console({ stdout: out.stream, stderr: out.stream });
  const unpatch = patchConsole({ console: myConsole, format: (c) => `<${c.requestId}>` });
  try {
    myConsole.info('outside');
    const { runWithRequestContext } = require('../lib/request');
    runWithRequestContext({ headers: { 'x-request-id': 'job-7' } }, () => {
      myConsole.error({ a: 1 });
      myConsole.debug('x=%s', 'y');
      myConsole.log();
    });
  } finally {
    unpatch();
  }
  assert.deepStrictEqual(out.lines, ['outside', '<job-7> { a: 1 }', '<job-7> x=y', '<job-7>']);
  assert.throws(() => patchConsole({ format: 'x' }), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('options: trustIncoming false ignores incoming ids and traceparent', async () => {
  const port = await serve(httpContext((req, res) => res.end(JSON.stringify(getRequestContext())), { trustIncoming: false }));
  const tp = `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`;
  const r = await h.request(port, { headers: { 'x-request-id': 'valid-id', traceparent: tp } });
  const c = JSON.parse(r.text);
  assert.match(c.requestId, h.UUID_V7);
  assert.notStrictEqual(c.traceId, '1'.repeat(32));
  assert.strictEqual(c.parentSpanId, null);
  assert.strictEqual(r.headers['x-request-id'], c.requestId);
});

test('options: trustIncoming can trust the request id or the traceparent alone', async () => {
  const tp = `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`;
  const headers = { 'x-request-id': 'valid-id', traceparent: tp };
  const onlyTrace = await serve(httpContext((req, res) => res.end(JSON.stringify(getRequestContext())), { trustIncoming: { requestId: false } }));
  const a = JSON.parse((await h.request(onlyTrace, { headers })).text);
  assert.match(a.requestId, h.UUID_V7);
  assert.strictEqual(a.traceId, '1'.repeat(32));
  assert.strictEqual(a.parentSpanId, '2'.repeat(16));
  const onlyId = await serve(httpContext((req, res) => res.end(JSON.stringify(getRequestContext())), { trustIncoming: { traceparent: false } }));
  const b = JSON.parse((await h.request(onlyId, { headers })).text);
  assert.strictEqual(b.requestId, 'valid-id');
  assert.notStrictEqual(b.traceId, '1'.repeat(32));
  assert.strictEqual(b.parentSpanId, null);
  assert.throws(() => httpContext(() => {}, { trustIncoming: { requestId: 'no' } }), { code: 'ERR_INVALID_ARG_TYPE' });
});

test('options: requestIdHeader, generateRequestId, fields, responseHeaders, requestIdValidation', async () => {
  let n = 0;
  const port = await serve(httpContext((req, res) => {
    RequestContext.set('late', 'yes');
    res.end(JSON.stringify({ ...getRequestContext(), got: RequestContext.get('tenant') }));
  }, {
    requestIdHeader: 'X-Correlation-Id',
    generateRequestId: (req) => `${req.method.toLowerCase()}-${++n}`,
    fields: (req) => ({ tenant: req.headers['x-tenant'] ?? null, requestId: 'not-allowed' }),
    requestIdValidation: { maxLength: 8, pattern: /^[a-z0-9-]+$/ },
  }));
  const ok = await h.request(port, { headers: { 'x-correlation-id': 'abc-123', 'x-tenant': 't1' } });
  const okBody = JSON.parse(ok.text);
  assert.strictEqual(okBody.requestId, 'abc-123');
  assert.strictEqual(okBody.tenant, 't1');
  assert.strictEqual(okBody.got, 't1');
  assert.strictEqual(okBody.late, 'yes');
  assert.strictEqual(ok.headers['x-correlation-id'], 'abc-123');
  assert.strictEqual(ok.headers['x-request-id'], undefined);
  // Too long for maxLength 8, and uppercase outside the custom pattern.
  for (const bad of ['abcdefghi', 'ABC']) {
    const r = await h.request(port, { headers: { 'x-correlation-id': bad } });
    assert.match(r.headers["x-correlation-id"], /^get-\d+$/);
    assert.strictEqual(JSON.parse(r.text).tenant, null);
  }

  const quiet = await serve(httpContext((req, res) => res.end('ok'), { responseHeaders: false }));
  const r = await h.request(quiet, { headers: { 'x-request-id': 'abc' } });
  assert.strictEqual(r.headers['x-request-id'], undefined);
  assert.strictEqual(r.headers.traceparent, undefined);
});

test('a generator returning an invalid id falls back to a UUID v7 with one warning', async () => {
  const warnings = [];
  const onWarning = (w) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const port = await serve(httpContext((req, res) => res.end(), { generateRequestId: () => 'bad id\r\nx: y' }));
    for (let i = 0; i < 3; i++) {
      const r = await h.request(port);
      assert.match(r.headers['x-request-id'], h.UUID_V7);
    }
    await new Promise((r) => setImmediate(r));
    assert.strictEqual(warnings.filter((w) => w.code === 'FAST_ASYNC_HOOKS_BAD_REQUEST_ID').length, 1);
  } finally {
    process.off('warning', onWarning);
  }
});

test('raw bytes (CR/LF, NUL, UTF-8, control chars) are never echoed', async () => {
  const port = await serve(httpContext((req, res) => res.end('ok')));
  assert.strictEqual((await h.checkRawCases(port, '/raw')).length, 7);
});

test('bad options and handlers throw Node-style TypeErrors', () => {
  assert.throws(() => httpContext(null), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  const noop = () => {};
  for (const [options, code] of [
    ['x', 'ERR_INVALID_ARG_TYPE'],
    [{ requestIdHeader: 5 }, 'ERR_INVALID_ARG_TYPE'],
    [{ requestIdHeader: 'bad header' }, 'ERR_INVALID_ARG_VALUE'],
    [{ trustIncoming: 'yes' }, 'ERR_INVALID_ARG_TYPE'],
    [{ responseHeaders: 1 }, 'ERR_INVALID_ARG_TYPE'],
    [{ generateRequestId: 'uuid' }, 'ERR_INVALID_ARG_TYPE'],
    [{ fields: {} }, 'ERR_INVALID_ARG_TYPE'],
    [{ requestIdValidation: 'x' }, 'ERR_INVALID_ARG_TYPE'],
    [{ requestIdValidation: { pattern: 'x' } }, 'ERR_INVALID_ARG_TYPE'],
    [{ outgoingPropagation: 'no' }, 'ERR_INVALID_ARG_TYPE'],
  ]) {
    assert.throws(() => httpContext(noop, options), (err) => err instanceof TypeError && err.code === code, JSON.stringify(options));
  }
  assert.throws(() => httpContext(noop, { requestIdValidation: { maxLength: 0 } }), { code: 'ERR_OUT_OF_RANGE' });
  const messages = [
    [null, 'The "handler" argument must be of type function. Received null', undefined],
    [noop, 'The "options" argument must be of type object. Received type string (\'x\')', 'x'],
    [noop, "The property 'options.requestIdHeader' must be a valid HTTP header name. Received 'bad header'", { requestIdHeader: 'bad header' }],
    [noop, 'The "options.trustIncoming" property must be one of type boolean or object. Received type string (\'yes\')', { trustIncoming: 'yes' }],
    [noop, 'The "options.trustIncoming.requestId" property must be of type boolean. Received type string (\'no\')', { trustIncoming: { requestId: 'no' } }],
    [noop, 'The "options.generateRequestId" property must be of type function. Received type string (\'uuid\')', { generateRequestId: 'uuid' }],
    [noop, 'The value of "options.maxLength" is out of range. It must be an integer >= 1 and <= 4294967295. Received 0', { requestIdValidation: { maxLength: 0 } }],
  ];
  for (const [handler, message, options] of messages) {
    assert.throws(() => httpContext(handler, options), { message }, message);
  }
});
