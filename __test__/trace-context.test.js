'use strict';
// W3C Trace Context (traceparent / tracestate): the façade in
// lib/request/ids.js, its plain-JS implementation and the Rust functions in
// the binding. Untrusted headers must never throw, never be echoed when
// malformed, and the JS and Rust parsers must agree on every input.

const { test } = require('node:test');
const assert = require('node:assert');

const ids = require('../lib/request/ids.js');
const native = require('../lib/native.js');

const js = ids._js;

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const SPEC = `00-${TRACE}-${SPAN}-01`;

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

// Same inputs to the façade (or its JS twin) and to the Rust binding.
const parsers = {
  facade: ids.parseTraceparent,
  js: js.parseTraceparent,
  native: native.parseTraceparent,
};

// ---------------------------------------------------------------------------
// traceparent

for (const [name, parse] of Object.entries(parsers)) {
  test(`${name}: parses the spec example traceparent`, () => {
    assert.deepStrictEqual(parse(SPEC), { version: '00', traceId: TRACE, parentId: SPAN, flags: 1, sampled: true });
    assert.deepStrictEqual(parse(`00-${TRACE}-${SPAN}-00`), { version: '00', traceId: TRACE, parentId: SPAN, flags: 0, sampled: false });
    assert.deepStrictEqual(parse(`00-${TRACE}-${SPAN}-ff`), { version: '00', traceId: TRACE, parentId: SPAN, flags: 255, sampled: true });
    assert.strictEqual(parse(`00-${TRACE}-${SPAN}-02`).sampled, false);
  });

  test(`${name}: rejects malformed traceparents with null`, () => {
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
    for (const h of bad) assert.strictEqual(parse(h), null, JSON.stringify(h.slice(0, 80)));
  });

  test(`${name}: optional whitespace (SP / HTAB) around the value is stripped, nothing else`, () => {
    assert.strictEqual(parse(` \t${SPEC}\t `).traceId, TRACE);
    assert.strictEqual(parse(`${SPEC}\r`), null);
  });

  test(`${name}: future versions keep the first four fields and ignore the rest`, () => {
    assert.deepStrictEqual(parse(`cc-${TRACE}-${SPAN}-09-what-the-future-holds`),
      { version: 'cc', traceId: TRACE, parentId: SPAN, flags: 9, sampled: true });
    assert.strictEqual(parse(`01-${TRACE}-${SPAN}-00`).version, '01');
    assert.strictEqual(parse(`01-${TRACE}-${SPAN}-00-`).version, '01');
    assert.strictEqual(parse(`fe-${TRACE}-${SPAN}-00-x`).version, 'fe');
  });

  test(`${name}: non-string header values are null, never a throw`, () => {
    for (const v of [undefined, null, 0, 1, true, {}, [], [SPEC, SPEC], [1], Symbol('x'), () => SPEC, { toString: () => SPEC }]) {
      assert.strictEqual(parse(v), null);
    }
  });
}

test('façade accepts a header delivered as a one-element array', () => {
  assert.strictEqual(ids.parseTraceparent([SPEC]).traceId, TRACE);
  assert.strictEqual(ids.parseTraceparent([SPEC, SPEC]), null);
  assert.strictEqual(native.parseTraceparent([SPEC]), null); // the binding takes strings only
});

test('formatTraceparent writes version 00 and round-trips through both parsers', () => {
  assert.strictEqual(ids.formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: 1 }), SPEC);
  assert.strictEqual(ids.formatTraceparent({ traceId: TRACE, spanId: SPAN }), `00-${TRACE}-${SPAN}-00`);
  assert.strictEqual(native.formatTraceparent(TRACE, SPAN, 1), SPEC);
  assert.strictEqual(native.formatTraceparent(TRACE, SPAN), `00-${TRACE}-${SPAN}-00`);
  for (let flags = 0; flags < 256; flags += 17) {
    const h = ids.formatTraceparent({ traceId: TRACE, spanId: SPAN, flags });
    assert.strictEqual(h, native.formatTraceparent(TRACE, SPAN, flags));
    assert.strictEqual(js.parseTraceparent(h).flags, flags);
    assert.strictEqual(native.parseTraceparent(h).flags, flags);
  }
});

test('formatTraceparent rejects bad input with Node-style errors (JS and Rust agree)', () => {
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
    assert.throws(() => native.formatTraceparent(fields.traceId, fields.spanId, fields.flags), { code }, label);
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

const tsParsers = { facade: ids.parseTracestate, js: js.parseTracestate, native: native.parseTracestate };

for (const [name, parse] of Object.entries(tsParsers)) {
  test(`${name}: parses spec tracestate examples`, () => {
    assert.deepStrictEqual(parse('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'),
      [['rojo', '00f067aa0ba902b7'], ['congo', 't61rcWkgMzE']]);
    assert.deepStrictEqual(parse(' congo=ucfJifl5GOE , rojo=00f067aa0ba902b7 ,,\t'),
      [['congo', 'ucfJifl5GOE'], ['rojo', '00f067aa0ba902b7']]);
    assert.deepStrictEqual(parse('fw529a3039@dt=aGVsbG8,0a@b=c'), [['fw529a3039@dt', 'aGVsbG8'], ['0a@b', 'c']]);
    assert.deepStrictEqual(parse('a= x y'), [['a', ' x y']]);
    assert.deepStrictEqual(parse('a=!"#$%&\'()*+-./09:;<>?@AZ[\\]^_`az{|}~'), [['a', '!"#$%&\'()*+-./09:;<>?@AZ[\\]^_`az{|}~']]);
    assert.deepStrictEqual(parse(''), []);
    assert.deepStrictEqual(parse(' , ,\t'), []);
  });

  test(`${name}: drops the whole tracestate on any invalid member`, () => {
    const bad = [
      'a', '=b', 'a=', 'A=b', '1a=b', 'a=b=c', 'a=b,a=c', 'a=1,b=2,a=3', 'a=b\r\nx=y', 'a=b\n', 'a=bé', 'é=b',
      'a b=c', 'a=\tb', 'a=b\t c', '@b=c', 'a@=c', 'a@1b=c', 'a@b@c=d', '-a@b=c', 'a@bbbbbbbbbbbbbbb=c', 'a=b,c',
      'a=b;c=d', 'a=\0', `a=${'x'.repeat(257)}`, `${'k'.repeat(257)}=v`, `${'t'.repeat(242)}@s=v`, 'ok=1,BAD=2',
      'a =b', 'a= ', 'a=b\u00a0',
    ];
    for (const h of bad) assert.strictEqual(parse(h), null, JSON.stringify(h.slice(0, 60)));
    assert.deepStrictEqual(parse('a@bbbbbbbbbbbbbb=c'), [['a@bbbbbbbbbbbbbb', 'c']]);
    assert.deepStrictEqual(parse(`${'t'.repeat(241)}@s=v`), [[`${'t'.repeat(241)}@s`, 'v']]);
    assert.strictEqual(parse(`a=${'x'.repeat(256)}`)[0][1].length, 256);
  });

  test(`${name}: at most 32 members and 512 characters (without OWS)`, () => {
    const members = (n) => Array.from({ length: n }, (_, i) => `k${i}=v`).join(',');
    assert.strictEqual(parse(members(32)).length, 32);
    assert.strictEqual(parse(members(33)), null);
    const atLimit = `a=${'x'.repeat(254)},b=${'y'.repeat(253)}`;
    assert.strictEqual(atLimit.length, 512);
    assert.strictEqual(parse(atLimit).length, 2);
    assert.strictEqual(parse(`a=${'x'.repeat(254)},b=${'y'.repeat(254)}`), null);
    assert.strictEqual(parse(`a=${'x'.repeat(254)} ,   b=${'y'.repeat(253)}`).length, 2);
    assert.strictEqual(parse(' '.repeat(4097)), null);
    assert.deepStrictEqual(parse(' '.repeat(4096)), []);
    assert.strictEqual(parse(`a=b${' '.repeat(5000)}`), null);
  });

  test(`${name}: non-string header values are null`, () => {
    for (const v of [undefined, null, 1, {}, [1], ['a=1', 2], Symbol('s')]) assert.strictEqual(parse(v), null);
  });
}

test('façade combines a repeated tracestate header (string[]) with commas, as HTTP allows', () => {
  assert.deepStrictEqual(ids.parseTracestate(['a=1', 'b=2,c=3']), [['a', '1'], ['b', '2'], ['c', '3']]);
  assert.deepStrictEqual(ids.parseTracestate([]), []);
  assert.strictEqual(ids.parseTracestate(['a=1', 'a=2']), null);
  assert.strictEqual(ids.parseTracestate(['a=1', 'x'.repeat(5000)]), null);
});

test('formatTracestate formats what parse accepts and refuses the rest (JS and Rust agree)', () => {
  const entries = [['rojo', '00f067aa0ba902b7'], ['congo', 't61rcWkgMzE'], ['t@s', ' v']];
  const expected = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,t@s= v';
  assert.strictEqual(ids.formatTracestate(entries), expected);
  assert.strictEqual(native.formatTracestate(entries), expected);
  assert.deepStrictEqual(ids.parseTracestate(expected), entries);
  assert.strictEqual(ids.formatTracestate([]), '');
  assert.strictEqual(native.formatTracestate([]), '');
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
    assert.throws(() => native.formatTracestate(value), { name: 'TypeError', code }, label);
  }
});

// ---------------------------------------------------------------------------
// Differential: JS and Rust parsers on the same random / adversarial input.

const NASTY = [
  '0', 'f', 'a', 'A', 'F', 'g', '-', ' ', '\t', '\r', '\n', '\0', '\v', ',', '=', '@', '*', '/', '_', '~', '\x7f',
  'é', '\u00a0', '\u2028', '\ud800', '\udfff', '😀', 'ÿ', 'Ā',
];

function mutate(rand, s) {
  const kind = Math.floor(rand() * 7);
  const pick = () => NASTY[Math.floor(rand() * NASTY.length)];
  const at = Math.floor(rand() * (s.length + 1));
  switch (kind) {
    case 0: return s.slice(0, at) + pick() + s.slice(at + 1); // replace
    case 1: return s.slice(0, at) + pick() + s.slice(at); // insert
    case 2: return s.slice(0, at) + s.slice(at + 1); // delete
    case 3: return s.slice(0, at); // truncate
    case 4: return s + (rand() < 0.5 ? '-' : '') + pick().repeat(Math.floor(rand() * 4)); // extra fields
    case 5: return s.toUpperCase();
    default: return (rand() < 0.5 ? ' ' : '\t') + s + (rand() < 0.5 ? ' ' : '');
  }
}

function hex(rand, n) {
  let out = '';
  for (let i = 0; i < n; i++) out += '0123456789abcdef'[Math.floor(rand() * 16)];
  return out;
}

test('differential: JS and Rust traceparent parsers agree on random and adversarial input', () => {
  const rand = prng(0x7eace);
  let valid = 0;
  const versions = ['00', '00', '00', '01', 'cc', 'fe', 'ff', '0f'];
  for (let i = 0; i < 30000; i++) {
    const version = versions[Math.floor(rand() * versions.length)];
    const traceId = rand() < 0.05 ? '0'.repeat(32) : hex(rand, 32);
    const spanId = rand() < 0.05 ? '0'.repeat(16) : hex(rand, 16);
    let h = `${version}-${traceId}-${spanId}-${hex(rand, 2)}`;
    const mutations = Math.floor(rand() * 3);
    for (let m = 0; m < mutations; m++) h = mutate(rand, h);
    if (rand() < 0.02) h += '-' + 'x'.repeat(Math.floor(rand() * 600));
    const expected = native.parseTraceparent(h);
    assert.deepStrictEqual(js.parseTraceparent(h), expected, JSON.stringify(h));
    assert.deepStrictEqual(ids.parseTraceparent(h), expected, JSON.stringify(h));
    if (expected !== null) valid++;
  }
  assert.ok(valid > 3000 && valid < 27000, `valid ${valid}`);
});

test('differential: JS and Rust tracestate parsers agree on random and adversarial input', () => {
  const rand = prng(0x57a7e);
  const keyChars = 'abcxyz019_-*/';
  const valueChars = 'abcXYZ019 !~"\\.:;<>?';
  const key = () => {
    let k = 'abcz'[Math.floor(rand() * 4)];
    const n = Math.floor(rand() * (rand() < 0.05 ? 300 : 8));
    for (let i = 0; i < n; i++) k += keyChars[Math.floor(rand() * keyChars.length)];
    if (rand() < 0.2) k += '@' + 'abcz'[Math.floor(rand() * 4)] + 'x'.repeat(Math.floor(rand() * (rand() < 0.1 ? 20 : 5)));
    return k;
  };
  const value = () => {
    let v = '';
    const n = 1 + Math.floor(rand() * (rand() < 0.05 ? 300 : 12));
    for (let i = 0; i < n; i++) v += valueChars[Math.floor(rand() * valueChars.length)];
    return v;
  };
  let valid = 0;
  for (let i = 0; i < 20000; i++) {
    const members = Math.floor(rand() * (rand() < 0.1 ? 40 : 5));
    const parts = [];
    for (let m = 0; m < members; m++) {
      const ows = rand() < 0.2 ? ' \t'.slice(0, 1 + Math.floor(rand() * 2)) : '';
      parts.push(rand() < 0.05 ? ows : `${ows}${key()}=${value()}${ows}`);
    }
    let h = parts.join(',');
    const mutations = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 2);
    for (let m = 0; m < mutations; m++) h = mutate(rand, h);
    const expected = native.parseTracestate(h);
    assert.deepStrictEqual(js.parseTracestate(h), expected, JSON.stringify(h));
    if (expected !== null) valid++;
  }
  assert.ok(valid > 2000 && valid < 18000, `valid ${valid}`);
});

test('differential: JS and Rust formatters agree (output or error code) on random entries', () => {
  const rand = prng(0xf0f0);
  const code = (fn) => {
    try {
      return { out: fn() };
    } catch (err) {
      return { code: err.code, name: err.name };
    }
  };
  for (let i = 0; i < 3000; i++) {
    const n = Math.floor(rand() * 5);
    const entries = [];
    for (let m = 0; m < n; m++) {
      const k = rand() < 0.8 ? `k${Math.floor(rand() * 6)}` : mutate(rand, 'key');
      const v = rand() < 0.8 ? `v${Math.floor(rand() * 100)}` : mutate(rand, 'value');
      entries.push(rand() < 0.03 ? [k] : [k, v]);
    }
    assert.deepStrictEqual(code(() => js.formatTracestate(entries)), code(() => native.formatTracestate(entries)), JSON.stringify(entries));
    const traceId = rand() < 0.7 ? hex(rand, 32) : mutate(rand, hex(rand, 32));
    const spanId = rand() < 0.7 ? hex(rand, 16) : mutate(rand, hex(rand, 16));
    const flags = rand() < 0.8 ? Math.floor(rand() * 256) : [undefined, -1, 256, 0.5, '1', null][Math.floor(rand() * 6)];
    assert.deepStrictEqual(
      code(() => js.formatTraceparent({ traceId, spanId, flags })),
      code(() => native.formatTraceparent(traceId, spanId, flags)),
      JSON.stringify([traceId, spanId, flags]));
  }
});
