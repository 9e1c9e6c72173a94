'use strict';
// Fidelity of the benchmark stacks (benchmark/stacks/): each stack's server
// on the built-in (every AsyncLocalStorage node:async_hooks' own, the kit's
// too) and under -r register.js (ours), on the Node and flags running this
// test. Concurrent requests, each with its own id, must see only their own
// id in the response and in every log line; OpenTelemetry span trees must be
// the same shape on both sides and for every request.

const { test, before, after } = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
const { STACKS, startServer } = require('../benchmark/stacks/lib/stacks');
const { startDownstream } = require('../benchmark/stacks/lib/downstream');
const { get } = require('../benchmark/lib/callgrind-server');

const flags = process.execArgv.filter((a) => !a.startsWith('--test') && a !== '--expose-gc');
const CONCURRENT = 12;
let downstream;

before(async () => { downstream = await startDownstream(); });
after(() => downstream.close());

// Log fields that carry a request id, per line.
function idsInLine(line) {
  return [line.request_id, line.reqId, line.expect].filter((v) => v !== undefined);
}

// Per trace, the sorted list of "parent > name (kind)" edges.
function traceShapes(spans) {
  const byTrace = new Map();
  for (const s of spans) {
    if (!byTrace.has(s.traceId)) byTrace.set(s.traceId, []);
    byTrace.get(s.traceId).push(`${s.parent} > ${s.name} (${s.kind})`);
  }
  return [...byTrace.values()].map((edges) => edges.sort().join('\n')).sort();
}

async function runSide(stack, side) {
  const server = await startServer(process.execPath, stack, side, flags, {
    FAH_STACK_TEST: '1', FAH_DOWNSTREAM_PORT: String(downstream.port),
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENT });
  try {
    const ids = Array.from({ length: CONCURRENT }, (_, i) => `${stack}-${side}-${i}`);
    const responses = await Promise.all(ids.map((id) => get(agent, server.port, '/', { 'x-request-id': id })));
    responses.forEach((r, i) => {
      assert.strictEqual(r.status, 200, r.body);
      STACKS[stack].check(JSON.parse(r.body), ids[i]);
    });
    // Spans first: the /__spans request's own server span is not finished
    // while it answers, so only the requests' spans are in the answer.
    const spans = JSON.parse((await get(agent, server.port, '/__spans', {})).body);
    const logs = JSON.parse((await get(agent, server.port, '/__logs', {})).body);
    const handled = logs.filter((l) => l.msg === 'handled');
    assert.deepStrictEqual(handled.map((l) => l.expect).sort(), [...ids].sort(), 'one "handled" line per request');
    for (const line of logs) {
      const seen = new Set(idsInLine(line));
      assert.strictEqual(seen.size, 1, `a log line mixes or lacks request ids: ${JSON.stringify(line)}`);
      assert.ok(ids.includes([...seen][0]), `unknown id in ${JSON.stringify(line)}`);
      if (line.msg === 'handled') assert.strictEqual(line.request_id, line.expect, 'pinoMixin read the request id');
    }
    return traceShapes(spans);
  } finally {
    agent.destroy();
    server.stop();
  }
}

for (const stack of Object.keys(STACKS)) {
  test(`${stack}: own ids in responses and log lines; same span trees on the built-in and ours`, async () => {
    const builtin = await runSide(stack, 'builtin');
    const ours = await runSide(stack, 'ours');
    assert.deepStrictEqual(ours, builtin);
    if (builtin.length > 0) {
      // One trace per request, all of one shape (no span of one request
      // parented into another's trace).
      assert.strictEqual(builtin.length, CONCURRENT);
      assert.strictEqual(new Set(builtin).size, 1, builtin.join('\n---\n'));
    }
  });
}
