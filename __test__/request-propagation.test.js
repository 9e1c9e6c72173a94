'use strict';
// Outgoing propagation through diagnostics_channel: what is added, when,
// and what is never touched. Propagation state is process-wide, so the
// tests in this file run in order.

const { test, before, after } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const {
  httpContext, expressContext, runWithRequestContext, withoutPropagation, getRequestContext,
  enableOutgoingPropagation, disableOutgoingPropagation, isOutgoingPropagationEnabled,
  getOutgoingHeaders, outgoingPropagationSupport,
} = require('../lib/request');
const h = require('./fixtures/request/harness');

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const incoming = { 'x-request-id': 'in-1', traceparent: `00-${TRACE}-${PARENT}-01`, tracestate: 'k=v' };

let downstream;
before(async () => { downstream = await h.startDownstream(); });
after(async () => { await downstream.close(); });

function httpGet(headers) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: downstream.port, path: '/', agent: false, headers }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
}

// Makes one http and one fetch call, returns what the downstream received.
async function callBoth(extra = {}) {
  downstream.received.length = 0;
  await httpGet({ 'x-via': 'http', ...extra });
  await (await fetch(`http://127.0.0.1:${downstream.port}/`, { headers: { 'x-via': 'fetch', ...extra } })).text();
  const by = Object.fromEntries(downstream.received.map((r) => [r.via, r.headers]));
  assert.ok(by.http && by.fetch);
  return by;
}

test('the channels in use match this Node version', () => {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const hasCreated = major > 22 || (major === 22 && minor >= 12);
  assert.strictEqual(outgoingPropagationSupport.http, hasCreated);
  assert.strictEqual(outgoingPropagationSupport.fetch, true);
  assert.ok(outgoingPropagationSupport.channels.includes('undici:request:create'));
  assert.strictEqual(outgoingPropagationSupport.channels.includes('http.client.request.created'), hasCreated);
});

test('off until a middleware is installed; creating a context alone does not enable it', async () => {
  assert.strictEqual(isOutgoingPropagationEnabled(), false);
  await runWithRequestContext({ headers: incoming }, async () => {
    const by = await callBoth();
    assert.strictEqual(by.http.traceparent, undefined);
    assert.strictEqual(by.fetch.traceparent, undefined);
  });
  httpContext(() => {});
  assert.strictEqual(isOutgoingPropagationEnabled(), true);
});

test('inside a request: same trace, a new span per call, request id and tracestate forwarded', async () => {
  const reported = [];
  enableOutgoingPropagation({ onOutgoing: (span) => reported.push(span) });
  await runWithRequestContext({ headers: incoming }, async () => {
    const ctx = getRequestContext();
    const by = await callBoth();
    const kinds = outgoingPropagationSupport.http ? ['http', 'fetch'] : ['fetch'];
    for (const via of kinds) {
      const m = h.TRACEPARENT.exec(by[via].traceparent);
      assert.ok(m, `${via}: ${by[via].traceparent}`);
      assert.strictEqual(m[1], TRACE);
      assert.notStrictEqual(m[2], ctx.spanId);
      assert.notStrictEqual(m[2], PARENT);
      assert.strictEqual(by[via]['x-request-id'], 'in-1');
      assert.strictEqual(by[via].tracestate, 'k=v');
      const span = reported.find((r) => r.spanId === m[2]);
      assert.ok(span, `${via}: span not reported`);
      assert.deepStrictEqual({ ...span, request: undefined }, { kind: via, traceId: TRACE, spanId: m[2], parentSpanId: ctx.spanId, requestId: 'in-1', request: undefined });
    }
    if (!outgoingPropagationSupport.http) {
      // Node 20: nothing can be injected into node:http client requests.
      assert.strictEqual(by.http.traceparent, undefined);
    }
  });
  enableOutgoingPropagation();
});

test('outside a request nothing is added', async () => {
  const by = await callBoth();
  for (const via of ['http', 'fetch']) {
    assert.strictEqual(by[via].traceparent, undefined);
    assert.strictEqual(by[via]['x-request-id'], undefined);
  }
});

test('headers the caller set are never overwritten (any case)', async () => {
  await runWithRequestContext({ headers: incoming }, async () => {
    const by = await callBoth({ TraceParent: 'mine', 'X-Request-ID': 'my-id' });
    for (const via of ['http', 'fetch']) {
      assert.strictEqual(by[via].traceparent, 'mine', via);
      assert.strictEqual(by[via]['x-request-id'], 'my-id', via);
    }
  });
});

test('withoutPropagation, enabled: false and disableOutgoingPropagation switch it off', async () => {
  await runWithRequestContext({ headers: incoming }, async () => {
    const quiet = await withoutPropagation(() => callBoth());
    assert.strictEqual(quiet.fetch.traceparent, undefined);
    assert.strictEqual(quiet.http.traceparent, undefined);
    // The scope ends with the callback.
    const loud = await callBoth();
    assert.match(loud.fetch.traceparent, h.TRACEPARENT);

    enableOutgoingPropagation({ enabled: false });
    assert.strictEqual(isOutgoingPropagationEnabled(), false);
    assert.strictEqual((await callBoth()).fetch.traceparent, undefined);
    enableOutgoingPropagation();
    assert.match((await callBoth()).fetch.traceparent, h.TRACEPARENT);

    disableOutgoingPropagation();
    // A middleware created after an explicit choice leaves it alone.
    expressContext();
    assert.strictEqual(isOutgoingPropagationEnabled(), false);
    assert.strictEqual((await callBoth()).fetch.traceparent, undefined);
    enableOutgoingPropagation();
  });
});

test("the request id header follows the middleware's requestIdHeader, or the propagation option", async () => {
  const server = http.createServer(httpContext(async (req, res) => {
    const by = await callBoth();
    res.end(JSON.stringify({ fetch: by.fetch['x-correlation-id'], http: by.http['x-correlation-id'] }));
  }, { requestIdHeader: 'X-Correlation-Id' }));
  const port = await h.listen(server);
  try {
    const r = JSON.parse((await h.request(port, { headers: { 'x-correlation-id': 'corr-1' } })).text);
    assert.strictEqual(r.fetch, 'corr-1');
    assert.strictEqual(r.http, outgoingPropagationSupport.http ? 'corr-1' : undefined);
    enableOutgoingPropagation({ requestIdHeader: 'X-Other', propagateRequestId: true });
    await runWithRequestContext({ headers: incoming }, async () => {
      assert.strictEqual((await callBoth()).fetch['x-other'], 'in-1');
    });
    enableOutgoingPropagation({ propagateRequestId: false });
    await runWithRequestContext({ headers: incoming }, async () => {
      const by = await callBoth();
      assert.strictEqual(by.fetch['x-request-id'], undefined);
      assert.match(by.fetch.traceparent, h.TRACEPARENT);
    });
    enableOutgoingPropagation();
  } finally {
    await h.close(server);
  }
});

test('getOutgoingHeaders: the manual path (node:http on Node 20), a new span each call', () => {
  assert.deepStrictEqual(getOutgoingHeaders(), {});
  runWithRequestContext({ headers: incoming }, () => {
    const a = getOutgoingHeaders();
    const b = getOutgoingHeaders();
    assert.strictEqual(a['X-Request-Id'], 'in-1');
    assert.strictEqual(a.tracestate, 'k=v');
    const [ma, mb] = [h.TRACEPARENT.exec(a.traceparent), h.TRACEPARENT.exec(b.traceparent)];
    assert.strictEqual(ma[1], TRACE);
    assert.notStrictEqual(ma[2], mb[2]);
    assert.deepStrictEqual(withoutPropagation(getOutgoingHeaders), {});
  });
});

test('requests whose headers are already serialized (array form) are left alone without errors', async () => {
  const errors = [];
  const onErr = (e) => errors.push(e);
  process.on('uncaughtException', onErr);
  try {
    await runWithRequestContext({ headers: incoming }, async () => {
      downstream.received.length = 0;
      // The raw array form has no automatic Host header.
      await httpGet(['x-via', 'array', 'host', '127.0.0.1']);
      assert.strictEqual(downstream.received[0].via, 'array');
      assert.strictEqual(downstream.received[0].headers.traceparent, undefined);
    });
    await new Promise((r) => setImmediate(r));
    assert.deepStrictEqual(errors, []);
  } finally {
    process.off('uncaughtException', onErr);
  }
});

test('enableOutgoingPropagation validates its options', () => {
  assert.throws(() => enableOutgoingPropagation('x'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => enableOutgoingPropagation({ enabled: 1 }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => enableOutgoingPropagation({ requestIdHeader: 'a b' }), { code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => enableOutgoingPropagation({ onOutgoing: 5 }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => enableOutgoingPropagation({ propagateRequestId: 'yes' }), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => enableOutgoingPropagation({ enabled: 1 }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'The "options.enabled" property must be of type boolean. Received type number (1)',
  });
  assert.throws(() => enableOutgoingPropagation({ requestIdHeader: 'a b' }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: "The property 'options.requestIdHeader' must be a valid HTTP header name. Received 'a b'",
  });
});
