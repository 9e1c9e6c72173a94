'use strict';
// The request context API without a server: creation from headers,
// running jobs in a context, the RequestContext helper, isolation.

const { test } = require('node:test');
const assert = require('node:assert');
const {
  createRequestContext, runWithRequestContext, getRequestContext, RequestContext, withoutPropagation,
} = require('../lib/request');

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

test('a valid traceparent is continued: same trace, new span, parent = incoming parent', () => {
  const c = createRequestContext({ headers: { traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'congo=t61rcWkgMzE, rojo=00f067aa0ba902b7' } });
  assert.strictEqual(c.traceId, TRACE);
  assert.strictEqual(c.parentSpanId, PARENT);
  assert.match(c.spanId, /^[0-9a-f]{16}$/);
  assert.notStrictEqual(c.spanId, PARENT);
  assert.strictEqual(c.sampled, true);
  assert.strictEqual(c.traceFlags, '01');
  assert.strictEqual(c.traceState, 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7');
  assert.strictEqual(typeof c.startTime, 'number');
  assert.ok(Math.abs(c.startTime - Date.now()) < 60_000);
});

test('unsampled and unknown flag bits: sampled follows bit 0, only known bits are relayed', () => {
  const c = createRequestContext({ headers: { traceparent: `00-${TRACE}-${PARENT}-fe` } });
  assert.strictEqual(c.sampled, false);
  assert.strictEqual(c.traceFlags, '02');
  const fresh = createRequestContext({ sampled: false });
  assert.strictEqual(fresh.traceFlags, '00');
  assert.strictEqual(fresh.sampled, false);
});

test('tracestate without a valid traceparent is dropped; every context gets unique ids', () => {
  const seen = new Set();
  for (let i = 0; i < 500; i++) {
    const c = createRequestContext({ headers: { tracestate: 'a=b', traceparent: 'nope' } });
    assert.strictEqual(c.traceState, null);
    assert.strictEqual(c.parentSpanId, null);
    for (const v of [c.requestId, c.traceId, c.spanId]) {
      assert.ok(!seen.has(v), 'duplicate id');
      seen.add(v);
    }
  }
});

test('runWithRequestContext: for jobs and custom servers, returns the result, nests and restores', async () => {
  assert.strictEqual(getRequestContext(), undefined);
  const result = runWithRequestContext({ headers: { 'x-request-id': 'job-1' }, fields: { queue: 'emails' } }, (a, b) => {
    assert.strictEqual(RequestContext.requestId, 'job-1');
    assert.strictEqual(RequestContext.get('queue'), 'emails');
    const outer = getRequestContext();
    const inner = createRequestContext({ headers: { 'x-request-id': 'job-2' } });
    runWithRequestContext(inner, () => assert.strictEqual(RequestContext.requestId, 'job-2'));
    assert.strictEqual(getRequestContext(), outer);
    return a + b;
  }, 2, 3);
  assert.strictEqual(result, 5);
  assert.strictEqual(getRequestContext(), undefined);
  assert.strictEqual(RequestContext.requestId, undefined);
  assert.strictEqual(RequestContext.get('queue'), undefined);
  assert.strictEqual(RequestContext.set('x', 1), false);
});

test('concurrent contexts stay isolated across awaits, timers and fields', async () => {
  const ids = Array.from({ length: 200 }, (_, i) => `iso-${i}`);
  const results = await Promise.all(ids.map((id, i) => runWithRequestContext({ headers: { 'x-request-id': id } }, async () => {
    RequestContext.set('n', i);
    await new Promise((r) => setTimeout(r, i % 7));
    await null;
    const after = await new Promise((r) => setImmediate(() => r(RequestContext.requestId)));
    return { after, now: RequestContext.requestId, n: RequestContext.get('n') };
  })));
  results.forEach((r, i) => assert.deepStrictEqual(r, { after: ids[i], now: ids[i], n: i }));
});

test('RequestContext.set rejects the built-in fields; fields cannot overwrite them either', () => {
  runWithRequestContext({ fields: { requestId: 'spoof', traceId: 'spoof', user: 'u1' } }, () => {
    assert.notStrictEqual(RequestContext.requestId, 'spoof');
    assert.notStrictEqual(RequestContext.traceId, 'spoof');
    assert.strictEqual(RequestContext.get('user'), 'u1');
    for (const key of ['requestId', 'traceId', 'spanId', 'parentSpanId', 'sampled', 'traceFlags', 'traceState', 'startTime']) {
      assert.throws(() => RequestContext.set(key, 'x'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    }
    assert.throws(() => RequestContext.set(5, 'x'), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => RequestContext.set('requestId', 'x'), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE',
      message: "The argument 'key' is set by the request context and cannot be changed. Received 'requestId'",
    });
    assert.throws(() => RequestContext.set(5, 'x'), {
      message: 'The "key" argument must be one of type string or symbol. Received type number (5)',
    });
  });
});

test('withoutPropagation keeps the context readable and writes reach the request', () => {
  runWithRequestContext({ headers: { 'x-request-id': 'wp-1' } }, () => {
    const ctx = getRequestContext();
    withoutPropagation(() => {
      assert.strictEqual(RequestContext.requestId, 'wp-1');
      RequestContext.set('inside', true);
    });
    assert.strictEqual(ctx.inside, true);
    assert.strictEqual(getRequestContext(), ctx);
  });
  assert.strictEqual(withoutPropagation((x) => x * 2, 21), 42);
});

test('argument validation', () => {
  assert.throws(() => runWithRequestContext({}, 'nope'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => createRequestContext(null), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => createRequestContext({ headers: 'x' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => createRequestContext({ fields: 3 }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => withoutPropagation(null), { code: 'ERR_INVALID_ARG_TYPE' });
  // Node's wording: "argument" for a plain name, "property" for a dotted one.
  assert.throws(() => runWithRequestContext({}, 'nope'), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "fn" argument must be of type function. Received type string (\'nope\')',
  });
  assert.throws(() => createRequestContext({ headers: 'x' }), {
    message: 'The "options.headers" property must be of type object. Received type string (\'x\')',
  });
  assert.throws(() => createRequestContext({ fields: 3 }), {
    message: 'The "options.fields" property must be of type function. Received type number (3)',
  });
});

test('pinoMixin: OpenTelemetry field names inside, {} outside, a fresh object per call', () => {
  const { pinoMixin } = require('../lib/request');
  const mixin = pinoMixin();
  assert.deepStrictEqual(mixin(), {});
  assert.notStrictEqual(mixin(), mixin());
  runWithRequestContext({ headers: { 'x-request-id': 'pm-1', traceparent: `00-${TRACE}-${PARENT}-01` } }, () => {
    const c = getRequestContext();
    const a = mixin();
    assert.deepStrictEqual(a, { trace_id: TRACE, span_id: c.spanId, trace_flags: '01', request_id: 'pm-1' });
    // pino merges log arguments into the mixin result; the next call must not see them.
    a.extra = 1;
    assert.strictEqual(mixin().extra, undefined);
  });
});

test('the package root exports every request-kit function, and the same objects', () => {
  const kit = require('../lib/request');
  const root = require('..');
  for (const name of Object.keys(kit)) assert.strictEqual(root[name], kit[name], name);
});
