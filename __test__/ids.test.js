'use strict';
// Request ids, trace/span id generation and X-Request-Id validation:
// the façade (lib/request/ids.js), its plain-JS implementation and the
// Rust functions in the native binding must all behave the same.

const { test } = require('node:test');
const assert = require('node:assert');

const ids = require('../lib/request/ids.js');
const native = require('../lib/native.js');

const js = ids._js;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/;

// Deterministic PRNG so a failing random case can be reproduced.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const generators = {
  facade: ids,
  js,
  native,
};

for (const [name, impl] of Object.entries(generators)) {
  test(`${name}: generateRequestId() is a UUID v7 with the current time, sorted in creation order`, () => {
    const before = Date.now();
    const list = Array.from({ length: 5000 }, () => impl.generateRequestId());
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
    assert.strictEqual(impl.generateRequestId('v7').length, 36);
  });

  test(`${name}: generateRequestId('v4') is a random UUID v4`, () => {
    const list = Array.from({ length: 2000 }, () => impl.generateRequestId('v4'));
    for (const id of list) {
      const m = UUID_RE.exec(id);
      assert.ok(m, id);
      assert.strictEqual(m[1], '4');
      assert.match(m[2], /[89ab]/);
    }
    assert.strictEqual(new Set(list).size, list.length);
  });

  test(`${name}: generateRequestId rejects unknown kinds with Node-style errors`, () => {
    assert.throws(() => impl.generateRequestId('v5'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => impl.generateRequestId('V7'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    assert.throws(() => impl.generateRequestId(7), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => impl.generateRequestId(null), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  });

  test(`${name}: trace and span ids are lowercase hex of the right size, distinct`, () => {
    // More than one pool's worth, so refills are exercised.
    const traces = Array.from({ length: 3000 }, () => impl.generateTraceId());
    const spans = Array.from({ length: 3000 }, () => impl.generateSpanId());
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
}

test('generated hex digits are spread evenly (no stuck nibble from the hex tables)', () => {
  const counts = new Array(16).fill(0);
  const n = 4000;
  for (let i = 0; i < n; i++) {
    for (const c of ids.generateTraceId()) counts[Number.parseInt(c, 16)]++;
  }
  const expected = (n * 32) / 16;
  for (const c of counts) assert.ok(Math.abs(c - expected) < expected * 0.1, `${counts}`);
});

test('generated ids are accepted by both parsers and the request id validator', () => {
  for (let i = 0; i < 200; i++) {
    const header = ids.formatTraceparent({ traceId: ids.generateTraceId(), spanId: ids.generateSpanId(), flags: i & 0xff });
    assert.ok(js.parseTraceparent(header));
    assert.ok(native.parseTraceparent(header));
    const header2 = native.formatTraceparent(native.generateTraceId(), native.generateSpanId(), 1);
    assert.ok(js.parseTraceparent(header2));
    for (const id of [ids.generateRequestId(), ids.generateRequestId('v4'), native.generateRequestId(), native.generateRequestId('v4')]) {
      assert.strictEqual(ids.validateRequestId(id), id);
      assert.strictEqual(native.validateRequestId(id), id);
    }
  }
});

// ---------------------------------------------------------------------------
// validateRequestId

test('validateRequestId accepts safe ids and returns them unchanged', () => {
  for (const ok of ['abc', 'req-1', 'A.b_c:d-e', '0190d3a4-7b7c-7cc2-9a56-3a4a2b1c0d9e', 'x'.repeat(128)]) {
    assert.strictEqual(ids.validateRequestId(ok), ok);
    assert.strictEqual(native.validateRequestId(ok), ok);
  }
});

test('validateRequestId rejects unsafe, empty and oversized ids with null, without throwing', () => {
  const bad = [
    '', ' ', 'a b', 'abc\r\nSet-Cookie: x=1', 'abc\n', 'abc\r', '\0', 'a\tb', 'é', 'abc\u2028', 'a/b', 'a"b',
    '<script>', 'a%0d%0a', 'a,b', 'a;b', '\ud800', 'x'.repeat(129), 'x'.repeat(1e6),
  ];
  for (const value of bad) {
    assert.strictEqual(ids.validateRequestId(value), null, JSON.stringify(value.slice(0, 20)));
    assert.strictEqual(native.validateRequestId(value), null, JSON.stringify(value.slice(0, 20)));
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
  // The binding itself only takes strings; anything else is null.
  assert.strictEqual(native.validateRequestId(['abc']), null);
  assert.strictEqual(native.validateRequestId(undefined), null);
  assert.strictEqual(native.validateRequestId(12345), null);
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
  // Binding: maxLength and an ASCII allowlist.
  assert.strictEqual(native.validateRequestId('abcd', 4), 'abcd');
  assert.strictEqual(native.validateRequestId('abcde', 4), null);
  assert.strictEqual(native.validateRequestId('12345', undefined, '0123456789'), '12345');
  assert.strictEqual(native.validateRequestId('123a', undefined, '0123456789'), null);
  assert.strictEqual(native.validateRequestId('a b', 10, 'ab'), null);
});

test('validateRequestId: bad option types throw Node-style errors', () => {
  for (const impl of [ids, js]) {
    assert.throws(() => impl.validateRequestId('a', { maxLength: '10' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => impl.validateRequestId('a', { maxLength: 0 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => impl.validateRequestId('a', { maxLength: 1.5 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => impl.validateRequestId('a', { maxLength: NaN }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => impl.validateRequestId('a', { pattern: '[a-z]+' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => impl.validateRequestId('a', 5), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => impl.validateRequestId('a', null), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  }
  assert.throws(() => native.validateRequestId('a', '10'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => native.validateRequestId('a', null), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => native.validateRequestId('a', 0), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => native.validateRequestId('a', 2 ** 32), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => native.validateRequestId('a', NaN), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  assert.throws(() => native.validateRequestId('a', 10, 5), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => native.validateRequestId('a', 10, ''), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => native.validateRequestId('a', 10, 'a b'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => native.validateRequestId('a', 10, 'aé'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  // Option errors win even when the value would be rejected anyway.
  assert.throws(() => native.validateRequestId(undefined, '10'), { code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => ids.validateRequestId(undefined, { maxLength: '10' }), { code: 'ERR_INVALID_ARG_TYPE' });
});

// Exact messages: Node's wording (lib/errors.js). Option values are the
// application's own, so they are echoed as Node would.
test('ids: option errors carry Node\'s exact messages', () => {
  for (const impl of [ids, js]) {
    assert.throws(() => impl.generateRequestId('v5'), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: "The argument 'kind' must be one of 'v7' or 'v4'. Received 'v5'",
    });
    assert.throws(() => impl.generateRequestId(7), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: "The \"kind\" argument must be one of 'v7' or 'v4'. Received type number (7)",
    });
    assert.throws(() => impl.validateRequestId('a', { maxLength: '10' }), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
      message: 'The "options.maxLength" property must be of type number. Received type string (\'10\')',
    });
    assert.throws(() => impl.validateRequestId('a', { maxLength: 2 ** 40 }), {
      name: 'RangeError', code: 'ERR_OUT_OF_RANGE',
      message: 'The value of "options.maxLength" is out of range. It must be an integer >= 1 and <= 4294967295. Received 1_099_511_627_776',
    });
    assert.throws(() => impl.validateRequestId('a', { maxLength: NaN }), {
      message: 'The value of "options.maxLength" is out of range. It must be an integer >= 1 and <= 4294967295. Received NaN',
    });
    assert.throws(() => impl.validateRequestId('a', { pattern: '[a-z]+' }), {
      message: 'The "options.pattern" property must be an instance of RegExp. Received type string (\'[a-z]+\')',
    });
    assert.throws(() => impl.validateRequestId('a', null), {
      message: 'The "options" argument must be of type object. Received null',
    });
  }
});

test('differential: JS and Rust request id validation agree on random and adversarial input', () => {
  const rand = prng(0x5eed1d);
  const alphabet = [
    'a', 'Z', '0', '9', '.', '_', ':', '-', ' ', '\t', '\r', '\n', '\0', '/', '%', ',', ';', '"', '\x7f',
    'é', 'ß', '\u2028', '\ud800', '\udc00', '😀', '\uffff',
  ];
  let accepted = 0;
  for (let i = 0; i < 20000; i++) {
    const len = Math.floor(rand() * (rand() < 0.1 ? 300 : 12));
    let s = '';
    for (let j = 0; j < len; j++) s += rand() < 0.8 ? alphabet[Math.floor(rand() * 8)] : alphabet[Math.floor(rand() * alphabet.length)];
    const maxLength = rand() < 0.5 ? undefined : 1 + Math.floor(rand() * 200);
    const expected = native.validateRequestId(s, maxLength);
    assert.strictEqual(js.validateRequestId(s, { maxLength }), expected, JSON.stringify([s, maxLength]));
    if (expected !== null) accepted++;
  }
  // The generator must exercise both outcomes, or the test proves nothing.
  assert.ok(accepted > 1000 && accepted < 19000, `accepted ${accepted}`);
});

// Last in the file: it leaves the shared v7 clock state in 2030.
test('UUID v7 stays sorted when many ids share a millisecond or the clock goes back', (t) => {
  // The façade and its JS twin share one v7 state: give each a later start.
  for (const [i, impl] of [ids, js].entries()) {
    const start = Date.UTC(2030, 0, 1 + i);
    let now = start;
    t.mock.method(Date, 'now', () => now);
    try {
      // A frozen clock: 10000 ids in "one" millisecond overflow the 12-bit
      // counter several times, which must borrow the next milliseconds.
      const frozen = Array.from({ length: 10000 }, () => impl.generateRequestId());
      now -= 5000; // the clock jumps back
      const after = Array.from({ length: 100 }, () => impl.generateRequestId());
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
  }
});
