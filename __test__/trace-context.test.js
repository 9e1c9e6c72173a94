'use strict';
// W3C Trace Context (traceparent / tracestate) in lib/request/ids.js.
// Untrusted headers must never throw and never be echoed when malformed.
// Property tests over random and adversarial input: ids-properties.test.js.

const { test } = require('node:test');
const assert = require('node:assert');

const ids = require('../lib/request/ids.js');

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const SPEC = `00-${TRACE}-${SPAN}-01`;


// ---------------------------------------------------------------------------
// traceparent

test(`parses the spec example traceparent`, () => {
  assert.deepStrictEqual(ids.parseTraceparent(SPEC), { version: '00', traceId: TRACE, parentId: SPAN, flags: 1, sampled: true });
  assert.deepStrictEqual(ids.parseTraceparent(`00-${TRACE}-${SPAN}-00`), { version: '00', traceId: TRACE, parentId: SPAN, flags: 0, sampled: false });
  assert.deepStrictEqual(ids.parseTraceparent(`00-${TRACE}-${SPAN}-ff`), { version: '00', traceId: TRACE, parentId: SPAN, flags: 255, sampled: true });
  assert.strictEqual(ids.parseTraceparent(`00-${TRACE}-${SPAN}-02`).sampled, false);
});

test(`rejects malformed traceparents with null`, () => {
  const bad = [
    '', '00', SPEC.slice(0, 54), `${SPEC}-`, `${SPEC}-extra`, `${SPEC}0`,
    SPEC.toUpperCase(), `00-${TRACE.toUpperCase()}-${SPAN}-01`, `00-${TRACE}-${SPAN.toUpperCase()}-01`, `00-${TRACE}-${SPAN}-0A`,
    `ff-${TRACE}-${SPAN}-01`, `ff-${TRACE}-${SPAN}-01-extra`,
    `00-${'0'.repeat(32)}-${SPAN}-01`, `00-${TRACE}-${'0'.repeat(16)}-01`,
    `00_${TRACE}-${SPAN}-01`, `00-${TRACE}_${SPAN}-01`, `00-${TRACE}-${SPAN}_01`,
    `0-0${TRACE}-${SPAN}-01`, `00-${TRACE.slice(1)}g-${SPAN}-01`, `00-${TRACE}-${SPAN}-0g`, `0x-${TRACE}-${SPAN}-01`,
    `${SPEC}\r\nSet-Cookie: a=b`, `\n${SPEC}`, `${SPEC}\r`, `${SPEC}\n`, `\v${SPEC}`, `${SPEC}\u00a0`, `\u2003${SPEC}`,
    `${SPEC}é`, `é${SPEC.slice(1)}`, `${SPEC}\0`,
    `cc-${TRACE}-${SPAN}-01x`, `cc-${TRACE}-${SPAN}-01-a b`, `cc-${TRACE}-${SPAN}-01-a\tb`, `cc-${TRACE}-${SPAN}-01-é`,
    `cc-${TRACE}-${SPAN}-01-${'a'.repeat(600)}`,
    ` ${SPEC.replace('-', ' - ')}`, SPEC.replace(/-/g, ''),
  ];
  for (const h of bad) assert.strictEqual(ids.parseTraceparent(h), null, JSON.stringify(h.slice(0, 80)));
});

test(`optional whitespace (SP / HTAB) around the value is stripped, nothing else`, () => {
  assert.strictEqual(ids.parseTraceparent(` \t${SPEC}\t `).traceId, TRACE);
  assert.strictEqual(ids.parseTraceparent(`${SPEC}\r`), null);
});

test(`future versions keep the first four fields and ignore the rest`, () => {
  assert.deepStrictEqual(ids.parseTraceparent(`cc-${TRACE}-${SPAN}-09-what-the-future-holds`),
    { version: 'cc', traceId: TRACE, parentId: SPAN, flags: 9, sampled: true });
  assert.strictEqual(ids.parseTraceparent(`01-${TRACE}-${SPAN}-00`).version, '01');
  assert.strictEqual(ids.parseTraceparent(`01-${TRACE}-${SPAN}-00-`).version, '01');
  assert.strictEqual(ids.parseTraceparent(`fe-${TRACE}-${SPAN}-00-x`).version, 'fe');
});

test(`non-string header values are null, never a throw`, () => {
  for (const v of [undefined, null, 0, 1, true, {}, [], [SPEC, SPEC], [1], Symbol('x'), () => SPEC, { toString: () => SPEC }]) {
    assert.strictEqual(ids.parseTraceparent(v), null);
  }
});

test('parseTraceparent accepts a header delivered as a one-element array', () => {
  assert.strictEqual(ids.parseTraceparent([SPEC]).traceId, TRACE);
  assert.strictEqual(ids.parseTraceparent([SPEC, SPEC]), null);
});

test('formatTraceparent writes version 00 and round-trips through the parser', () => {
  assert.strictEqual(ids.formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: 1 }), SPEC);
  assert.strictEqual(ids.formatTraceparent({ traceId: TRACE, spanId: SPAN }), `00-${TRACE}-${SPAN}-00`);
  for (let flags = 0; flags < 256; flags += 17) {
    const h = ids.formatTraceparent({ traceId: TRACE, spanId: SPAN, flags });
    assert.strictEqual(h, `00-${TRACE}-${SPAN}-${flags.toString(16).padStart(2, '0')}`);
    assert.strictEqual(ids.parseTraceparent(h).flags, flags);
  }
});

test('formatTraceparent rejects bad input with Node-style errors', () => {
  const cases = [
    [{ traceId: 1, spanId: SPAN }, 'ERR_INVALID_ARG_TYPE'],
    [{ spanId: SPAN }, 'ERR_INVALID_ARG_TYPE'],
    [{ traceId: TRACE, spanId: null }, 'ERR_INVALID_ARG_TYPE'],
    [{ traceId: TRACE.toUpperCase(), spanId: SPAN }, 'ERR_INVALID_ARG_VALUE'],
    [{ traceId: TRACE.slice(1), spanId: SPAN }, 'ERR_INVALID_ARG_VALUE'],
    [{ traceId: `${TRACE}0`, spanId: SPAN }, 'ERR_INVALID_ARG_VALUE'],
    [{ traceId: 'x'.repeat(100000), spanId: SPAN }, 'ERR_INVALID_ARG_VALUE'],
    [{ traceId: '0'.repeat(32), spanId: SPAN }, 'ERR_INVALID_ARG_VALUE'],
    [{ traceId: TRACE, spanId: '0'.repeat(16) }, 'ERR_INVALID_ARG_VALUE'],
    [{ traceId: TRACE, spanId: `${SPAN.slice(1)}\n` }, 'ERR_INVALID_ARG_VALUE'],
    [{ traceId: TRACE, spanId: SPAN, flags: '01' }, 'ERR_INVALID_ARG_TYPE'],
    [{ traceId: TRACE, spanId: SPAN, flags: null }, 'ERR_INVALID_ARG_TYPE'],
    [{ traceId: TRACE, spanId: SPAN, flags: 256 }, 'ERR_OUT_OF_RANGE'],
    [{ traceId: TRACE, spanId: SPAN, flags: -1 }, 'ERR_OUT_OF_RANGE'],
    [{ traceId: TRACE, spanId: SPAN, flags: 1.5 }, 'ERR_OUT_OF_RANGE'],
    [{ traceId: TRACE, spanId: SPAN, flags: NaN }, 'ERR_OUT_OF_RANGE'],
  ];
  for (const [fields, code] of cases) {
    const label = JSON.stringify(fields).slice(0, 100);
    assert.throws(() => ids.formatTraceparent(fields), { code }, label);
  }
  assert.throws(() => ids.formatTraceparent(), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => ids.formatTraceparent(null), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
});

test('formatTraceparent: exact messages, and trace data is never echoed', () => {
  const secret = 'Bearer-secret-token-000000000000';
  assert.throws(() => ids.formatTraceparent({ traceId: secret, spanId: SPAN }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE',
    message: "The argument 'traceId' must be 32 lowercase hex characters. Received type string (length 32)",
  });
  assert.throws(() => ids.formatTraceparent({ traceId: TRACE, spanId: '0'.repeat(16) }), {
    message: "The argument 'spanId' must not be all zeros. Received type string (length 16)",
  });
  assert.throws(() => ids.formatTraceparent({ traceId: 1, spanId: SPAN }), {
    name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE',
    message: 'The "traceId" argument must be a string of 32 lowercase hex characters. Received type number (1)',
  });
  assert.throws(() => ids.formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: '01' }), {
    message: 'The "flags" argument must be of type number. Received type string (length 2)',
  });
  assert.throws(() => ids.formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: 1.5 }), {
    name: 'RangeError', code: 'ERR_OUT_OF_RANGE',
    message: 'The value of "flags" is out of range. It must be an integer >= 0 and <= 255. Received 1.5',
  });
  assert.throws(() => ids.formatTraceparent(null), {
    message: 'The "fields" argument must be of type object. Received null',
  });
});

test('formatTracestate: exact messages, and entries are never echoed', () => {
  const secret = 'sess=Bearer-secret';
  const cases = [
    [secret, 'ERR_INVALID_ARG_TYPE', `The "entries" argument must be an array of [key, value] pairs. Received type string (length ${secret.length})`],
    [[secret], 'ERR_INVALID_ARG_TYPE', `The "entries[0]" argument must be a [key, value] pair of strings. Received type string (length ${secret.length})`],
    [[['ok', '1'], ['Bad', secret]], 'ERR_INVALID_ARG_VALUE', "The argument 'entries[1]' has an invalid tracestate key. Received an instance of Array"],
    [[['a', `${secret},x`]], 'ERR_INVALID_ARG_VALUE', "The argument 'entries[0]' has an invalid tracestate value. Received an instance of Array"],
    [[['a', 'Bearer-secret'], ['a', 'Bearer-secret']], 'ERR_INVALID_ARG_VALUE', "The argument 'entries[1]' repeats a tracestate key. Received an instance of Array"],
  ];
  for (const [value, code, message] of cases) {
    assert.throws(() => ids.formatTracestate(value), { name: 'TypeError', code, message });
  }
});

// ---------------------------------------------------------------------------
// tracestate


test(`parses spec tracestate examples`, () => {
  assert.deepStrictEqual(ids.parseTracestate('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'),
    [['rojo', '00f067aa0ba902b7'], ['congo', 't61rcWkgMzE']]);
  assert.deepStrictEqual(ids.parseTracestate(' congo=ucfJifl5GOE , rojo=00f067aa0ba902b7 ,,\t'),
    [['congo', 'ucfJifl5GOE'], ['rojo', '00f067aa0ba902b7']]);
  assert.deepStrictEqual(ids.parseTracestate('fw529a3039@dt=aGVsbG8,0a@b=c'), [['fw529a3039@dt', 'aGVsbG8'], ['0a@b', 'c']]);
  assert.deepStrictEqual(ids.parseTracestate('a= x y'), [['a', ' x y']]);
  assert.deepStrictEqual(ids.parseTracestate('a=!"#$%&\'()*+-./09:;<>?@AZ[\\]^_`az{|}~'), [['a', '!"#$%&\'()*+-./09:;<>?@AZ[\\]^_`az{|}~']]);
  assert.deepStrictEqual(ids.parseTracestate(''), []);
  assert.deepStrictEqual(ids.parseTracestate(' , ,\t'), []);
});

test(`drops the whole tracestate on any invalid member`, () => {
  const bad = [
    'a', '=b', 'a=', 'A=b', '1a=b', 'a=b=c', 'a=b,a=c', 'a=1,b=2,a=3', 'a=b\r\nx=y', 'a=b\n', 'a=bé', 'é=b',
    'a b=c', 'a=\tb', 'a=b\t c', '@b=c', 'a@=c', 'a@1b=c', 'a@b@c=d', '-a@b=c', 'a@bbbbbbbbbbbbbbb=c', 'a=b,c',
    'a=b;c=d', 'a=\0', `a=${'x'.repeat(257)}`, `${'k'.repeat(257)}=v`, `${'t'.repeat(242)}@s=v`, 'ok=1,BAD=2',
    'a =b', 'a= ', 'a=b\u00a0',
  ];
  for (const h of bad) assert.strictEqual(ids.parseTracestate(h), null, JSON.stringify(h.slice(0, 60)));
  assert.deepStrictEqual(ids.parseTracestate('a@bbbbbbbbbbbbbb=c'), [['a@bbbbbbbbbbbbbb', 'c']]);
  assert.deepStrictEqual(ids.parseTracestate(`${'t'.repeat(241)}@s=v`), [[`${'t'.repeat(241)}@s`, 'v']]);
  assert.strictEqual(ids.parseTracestate(`a=${'x'.repeat(256)}`)[0][1].length, 256);
});

test(`at most 32 members and 512 characters (without OWS)`, () => {
  const members = (n) => Array.from({ length: n }, (_, i) => `k${i}=v`).join(',');
  assert.strictEqual(ids.parseTracestate(members(32)).length, 32);
  assert.strictEqual(ids.parseTracestate(members(33)), null);
  const atLimit = `a=${'x'.repeat(254)},b=${'y'.repeat(253)}`;
  assert.strictEqual(atLimit.length, 512);
  assert.strictEqual(ids.parseTracestate(atLimit).length, 2);
  assert.strictEqual(ids.parseTracestate(`a=${'x'.repeat(254)},b=${'y'.repeat(254)}`), null);
  assert.strictEqual(ids.parseTracestate(`a=${'x'.repeat(254)} ,   b=${'y'.repeat(253)}`).length, 2);
  assert.strictEqual(ids.parseTracestate(' '.repeat(4097)), null);
  assert.deepStrictEqual(ids.parseTracestate(' '.repeat(4096)), []);
  assert.strictEqual(ids.parseTracestate(`a=b${' '.repeat(5000)}`), null);
});

test(`non-string header values are null`, () => {
  for (const v of [undefined, null, 1, {}, [1], ['a=1', 2], Symbol('s')]) assert.strictEqual(ids.parseTracestate(v), null);
});

test('parseTracestate combines a repeated tracestate header (string[]) with commas, as HTTP allows', () => {
  assert.deepStrictEqual(ids.parseTracestate(['a=1', 'b=2,c=3']), [['a', '1'], ['b', '2'], ['c', '3']]);
  assert.deepStrictEqual(ids.parseTracestate([]), []);
  assert.strictEqual(ids.parseTracestate(['a=1', 'a=2']), null);
  assert.strictEqual(ids.parseTracestate(['a=1', 'x'.repeat(5000)]), null);
});

test('formatTracestate formats what parse accepts and refuses the rest', () => {
  const entries = [['rojo', '00f067aa0ba902b7'], ['congo', 't61rcWkgMzE'], ['t@s', ' v']];
  const expected = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,t@s= v';
  assert.strictEqual(ids.formatTracestate(entries), expected);
  assert.deepStrictEqual(ids.parseTracestate(expected), entries);
  assert.strictEqual(ids.formatTracestate([]), '');
  const cases = [
    ['x', 'ERR_INVALID_ARG_TYPE'],
    [undefined, 'ERR_INVALID_ARG_TYPE'],
    [[['a']], 'ERR_INVALID_ARG_TYPE'],
    [[['a', 1]], 'ERR_INVALID_ARG_TYPE'],
    [[['a', '1', '2']], 'ERR_INVALID_ARG_TYPE'],
    [['a=1'], 'ERR_INVALID_ARG_TYPE'],
    [[['A', '1']], 'ERR_INVALID_ARG_VALUE'],
    [[['a', 'x,y']], 'ERR_INVALID_ARG_VALUE'],
    [[['a', 'x ']], 'ERR_INVALID_ARG_VALUE'],
    [[['a', '\n']], 'ERR_INVALID_ARG_VALUE'],
    [[['a', 'x'.repeat(100000)]], 'ERR_INVALID_ARG_VALUE'],
    [[['a', '1'], ['a', '2']], 'ERR_INVALID_ARG_VALUE'],
    [[['A', '1'], ['b', 2]], 'ERR_INVALID_ARG_TYPE'], // type checks come first
    [Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']), 'ERR_INVALID_ARG_VALUE'],
    [[['a', 'x'.repeat(256)], ['b', 'y'.repeat(256)]], 'ERR_INVALID_ARG_VALUE'],
  ];
  for (const [value, code] of cases) {
    const label = JSON.stringify(value)?.slice(0, 80);
    assert.throws(() => ids.formatTracestate(value), { name: 'TypeError', code }, label);
  }
});
