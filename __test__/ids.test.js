'use strict';
// Request ids, trace/span id generation and X-Request-Id validation
// (lib/request/ids.js). Property tests: ids-properties.test.js.

const { test } = require('node:test');
const assert = require('node:assert');

const ids = require('../lib/request/ids.js');

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/;

test(`generateRequestId() is a UUID v7 with the current time, sorted in creation order`, () => {
  const before = Date.now();
  const list = Array.from({ length: 5000 }, () => ids.generateRequestId());
  const after = Date.now();
  for (const id of list) {
    const m = UUID_RE.exec(id);
    assert.ok(m, id);
    assert.strictEqual(m[1], '7');
    assert.match(m[2], /[89ab]/); // RFC 9562 variant
  }
  const ms = Number.parseInt(list[0].replace(/-/g, '').slice(0, 12), 16);
  assert.ok(ms >= before && ms <= after + 1, `${ms} not in [${before}, ${after}]`);
  for (let i = 1; i < list.length; i++) assert.ok(list[i - 1] < list[i], `${list[i - 1]} !< ${list[i]}`);
  assert.strictEqual(ids.generateRequestId('v7').length, 36);
});

test(`generateRequestId('v4') is a random UUID v4`, () => {
  const list = Array.from({ length: 2000 }, () => ids.generateRequestId('v4'));
  for (const id of list) {
    const m = UUID_RE.exec(id);
    assert.ok(m, id);
    assert.strictEqual(m[1], '4');
    assert.match(m[2], /[89ab]/);
  }
  assert.strictEqual(new Set(list).size, list.length);
});

test(`generateRequestId rejects unknown kinds with Node-style errors`, () => {
  assert.throws(() => ids.generateRequestId('v5'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => ids.generateRequestId('V7'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => ids.generateRequestId(7), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => ids.generateRequestId(null), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
});

test(`trace and span ids are lowercase hex of the right size, distinct`, () => {
  // More than one pool's worth, so refills are exercised.
  const traces = Array.from({ length: 3000 }, () => ids.generateTraceId());
  const spans = Array.from({ length: 3000 }, () => ids.generateSpanId());
  for (const t of traces) {
    assert.match(t, /^[0-9a-f]{32}$/);
    assert.notStrictEqual(t, '0'.repeat(32));
  }
  for (const s of spans) {
    assert.match(s, /^[0-9a-f]{16}$/);
    assert.notStrictEqual(s, '0'.repeat(16));
  }
  assert.strictEqual(new Set(traces).size, traces.length);
  assert.strictEqual(new Set(spans).size, spans.length);
});

test('generated hex digits are spread evenly (no stuck nibble from the hex tables)', () => {
  const counts = new Array(16).fill(0);
  const n = 4000;
  for (let i = 0; i < n; i++) {
    for (const c of ids.generateTraceId()) counts[Number.parseInt(c, 16)]++;
  }
  const expected = (n * 32) / 16;
  for (const c of counts) assert.ok(Math.abs(c - expected) < expected * 0.1, `${counts}`);
});

test('generated ids are accepted by the parser and the request id validator', () => {
  for (let i = 0; i < 200; i++) {
    const header = ids.formatTraceparent({ traceId: ids.generateTraceId(), spanId: ids.generateSpanId(), flags: i & 0xff });
    assert.ok(ids.parseTraceparent(header));
    for (const id of [ids.generateRequestId(), ids.generateRequestId('v4')]) {
      assert.strictEqual(ids.validateRequestId(id), id);
    }
  }
});

// ---------------------------------------------------------------------------
// validateRequestId

test('validateRequestId accepts safe ids and returns them unchanged', () => {
  for (const ok of ['abc', 'req-1', 'A.b_c:d-e', '0190d3a4-7b7c-7cc2-9a56-3a4a2b1c0d9e', 'x'.repeat(128)]) {
    assert.strictEqual(ids.validateRequestId(ok), ok);
  }
});

test('validateRequestId rejects unsafe, empty and oversized ids with null, without throwing', () => {
  const bad = [
    '', ' ', 'a b', 'abc\r\nSet-Cookie: x=1', 'abc\n', 'abc\r', '\0', 'a\tb', 'é', 'abc\u2028', 'a/b', 'a"b',
    '<script>', 'a%0d%0a', 'a,b', 'a;b', '\ud800', 'x'.repeat(129), 'x'.repeat(1e6),
  ];
  for (const value of bad) {
    assert.strictEqual(ids.validateRequestId(value), null, JSON.stringify(value.slice(0, 20)));
  }
});

test('validateRequestId: header shapes (string[] and undefined) as Node delivers them', () => {
  assert.strictEqual(ids.validateRequestId(['abc']), 'abc');
  assert.strictEqual(ids.validateRequestId(['abc', 'def']), null);
  assert.strictEqual(ids.validateRequestId([]), null);
  assert.strictEqual(ids.validateRequestId([1]), null);
  assert.strictEqual(ids.validateRequestId(undefined), null);
  assert.strictEqual(ids.validateRequestId(null), null);
  assert.strictEqual(ids.validateRequestId(12345), null);
  assert.strictEqual(ids.validateRequestId({ toString: () => 'abc' }), null);
});

test('validateRequestId options: maxLength and pattern', () => {
  assert.strictEqual(ids.validateRequestId('abcd', { maxLength: 4 }), 'abcd');
  assert.strictEqual(ids.validateRequestId('abcde', { maxLength: 4 }), null);
  assert.strictEqual(ids.validateRequestId('x'.repeat(500), { maxLength: 500 }), 'x'.repeat(500));
  assert.strictEqual(ids.validateRequestId('12345', { pattern: /^[0-9]+$/ }), '12345');
  assert.strictEqual(ids.validateRequestId('123a', { pattern: /^[0-9]+$/ }), null);
  // The length bound applies before the pattern.
  assert.strictEqual(ids.validateRequestId('1'.repeat(129), { pattern: /^[0-9]+$/ }), null);
  // A global/sticky RegExp keeps state in lastIndex; results must not alternate.
  const g = /^[a-z]+$/g;
  assert.strictEqual(ids.validateRequestId('abc', { pattern: g }), 'abc');
  assert.strictEqual(ids.validateRequestId('abc', { pattern: g }), 'abc');
});

test('validateRequestId: bad option types throw Node-style errors', () => {
  assert.throws(() => ids.validateRequestId('a', { maxLength: '10' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => ids.validateRequestId('a', { maxLength: 0 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => ids.validateRequestId('a', { maxLength: 1.5 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => ids.validateRequestId('a', { maxLength: NaN }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => ids.validateRequestId('a', { pattern: '[a-z]+' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => ids.validateRequestId('a', 5), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => ids.validateRequestId('a', null), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  // Option errors win even when the value would be rejected anyway.
  assert.throws(() => ids.validateRequestId(undefined, { maxLength: '10' }), { code: 'ERR_INVALID_ARG_TYPE' });
});

// Exact messages: Node's wording (lib/errors.js). Option values are the
// application's own, so they are echoed as Node would.
test('ids: option errors carry Node\'s exact messages', () => {
  assert.throws(() => ids.generateRequestId('v5'), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: "The argument 'kind' must be one of 'v7' or 'v4'. Received 'v5'",
  });
  assert.throws(() => ids.generateRequestId(7), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: "The \"kind\" argument must be one of 'v7' or 'v4'. Received type number (7)",
  });
  assert.throws(() => ids.validateRequestId('a', { maxLength: '10' }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "options.maxLength" property must be of type number. Received type string (\'10\')',
  });
  assert.throws(() => ids.validateRequestId('a', { maxLength: 2 ** 40 }), {
    name: 'RangeError', code: 'ERR_OUT_OF_RANGE',
    message: 'The value of "options.maxLength" is out of range. It must be an integer >= 1 and <= 4294967295. Received 1_099_511_627_776',
  });
  assert.throws(() => ids.validateRequestId('a', { maxLength: NaN }), {
    message: 'The value of "options.maxLength" is out of range. It must be an integer >= 1 and <= 4294967295. Received NaN',
  });
  assert.throws(() => ids.validateRequestId('a', { pattern: '[a-z]+' }), {
    message: 'The "options.pattern" property must be an instance of RegExp. Received type string (\'[a-z]+\')',
  });
  assert.throws(() => ids.validateRequestId('a', null), {
    message: 'The "options" argument must be of type object. Received null',
  });
});

// Last in the file: it leaves the shared v7 clock state in 2030.
test('UUID v7 stays sorted when many ids share a millisecond or the clock goes back', (t) => {
  const start = Date.UTC(2030, 0, 1);
  let now = start;
  t.mock.method(Date, 'now', () => now);
  try {
    // A frozen clock: 10000 ids in "one" millisecond overflow the 12-bit
    // counter several times, which must borrow the next milliseconds.
    const frozen = Array.from({ length: 10000 }, () => ids.generateRequestId());
    now -= 5000; // the clock jumps back
    const after = Array.from({ length: 100 }, () => ids.generateRequestId());
    const list = [...frozen, ...after];
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1] < list[i], `${i}: ${list[i - 1]} !< ${list[i]}`);
    const msOf = (id) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    assert.strictEqual(msOf(frozen[0]), start);
    // At least 2048 ids fit in a millisecond before it borrows the next.
    assert.ok(msOf(frozen[2047]) === msOf(frozen[0]));
    assert.ok(msOf(frozen[9999]) - msOf(frozen[0]) <= 5, 'borrows at most a few ms');
    for (const id of list) assert.match(id, UUID_RE);
  } finally {
    t.mock.restoreAll();
  }
});
