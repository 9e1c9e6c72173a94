'use strict';
// The examples run with one command, stop by themselves, and their output
// is consistent: every log line belongs to one of the printed responses.

const { test } = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

function run(example) {
  const r = spawnSync(process.execPath, [path.join(__dirname, '..', 'examples', example)], {
    encoding: 'utf8', timeout: 30_000, env: { ...process.env, NODE_OPTIONS: '' },
  });
  assert.strictEqual(r.status, 0, r.stderr);
  const logs = [];
  const responses = [];
  for (const line of r.stdout.split('\n')) {
    // Server lifecycle lines (Fastify's 'Server listening') are not request lines.
    if (line.startsWith('{') && !/"msg":"Server /.test(line)) logs.push(JSON.parse(line));
    const m = /^<- (?:\d{3} )?x-request-id: (\S+)\s+traceparent: 00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(line);
    if (m) responses.push({ requestId: m[1], traceId: m[2], spanId: m[3] });
  }
  return { logs, responses };
}

for (const [example, expectedLogs] of [['express-app.js', 20], ['koa-app.js', 9], ['fastify-app.js', 20]]) {
  test(`examples/${example}`, () => {
    const { logs, responses } = run(example);
    assert.strictEqual(responses.length, 5);
    assert.strictEqual(logs.length, expectedLogs);
    for (const l of logs) {
      const owner = responses.find((r) => r.requestId === l.request_id);
      assert.ok(owner, `log line without a matching response: ${JSON.stringify(l)}`);
      assert.strictEqual(l.trace_id, owner.traceId);
      if (l.reqId !== undefined) assert.strictEqual(l.reqId, l.request_id);
      // The app's own lines use the request span; downstream lines are child spans.
      if (l.service === 'downstream') assert.notStrictEqual(l.span_id, owner.spanId);
      else assert.strictEqual(l.span_id, owner.spanId);
    }
  });
}
