'use strict';
// Property tests (fast-check) of lib/request/ids.js over random and
// adversarial input: parsers never throw and accept exactly what the W3C
// Trace Context grammar allows, formatters round-trip through the parsers,
// request ids are accepted exactly when safe. A failure prints the seed and
// the shrunk counterexample; `fc.assert(..., { seed, path })` replays it.

const { test } = require('node:test');
const assert = require('node:assert');
const fc = require('fast-check');

const ids = require('../lib/request/ids.js');

const HEX = '0123456789abcdef';
const lcHex = (n) => fc.string({ unit: fc.constantFrom(...HEX), minLength: n, maxLength: n });
const nonZero = (s) => /[^0]/.test(s);
const byteHex = (b) => b.toString(16).padStart(2, '0');

// A well-formed version-00 header.
const validTraceparent = fc.tuple(lcHex(32).filter(nonZero), lcHex(16).filter(nonZero), fc.integer({ min: 0, max: 255 }))
  .map(([traceId, parentId, flags]) => `00-${traceId}-${parentId}-${byteHex(flags)}`);

// Anything a header can carry and more: lone surrogates, controls, non-ASCII.
const anyString = (maxLength) => fc.oneof(
  fc.string({ unit: 'binary', maxLength }),
  fc.string({ unit: fc.constantFrom(...'0af-= ,\t\r\n\0@*/_~AF\x7f\u00a0é'), maxLength }),
);

// What a non-null traceparent result must be, whatever the input.
function assertWellFormedTraceparent(header, parsed) {
  assert.match(parsed.version, /^[0-9a-f]{2}$/);
  assert.notStrictEqual(parsed.version, 'ff');
  assert.match(parsed.traceId, /^[0-9a-f]{32}$/);
  assert.match(parsed.parentId, /^[0-9a-f]{16}$/);
  assert.ok(nonZero(parsed.traceId) && nonZero(parsed.parentId));
  assert.strictEqual(parsed.sampled, (parsed.flags & 1) === 1);
  // The fields are the input's own, in order, after optional SP / HTAB.
  const body = header.replace(/^[ \t]+/, '');
  assert.ok(body.startsWith(`${parsed.version}-${parsed.traceId}-${parsed.parentId}-${byteHex(parsed.flags)}`), header);
}

test('traceparent: arbitrary strings never throw; any result is the input\'s well-formed fields', () => {
  fc.assert(fc.property(anyString(700), (header) => {
    const parsed = ids.parseTraceparent(header);
    if (parsed !== null) assertWellFormedTraceparent(header, parsed);
  }), { numRuns: 3000 });
});

test('traceparent: a valid header with one character replaced parses exactly when still valid', () => {
  // For 55-character version-00-shaped input the grammar is simple enough to
  // state: dashes at 2, 35, 52, lowercase hex elsewhere, version not ff,
  // neither id all zeros; other versions of exactly this shape are valid too.
  const expected = (h) => {
    const m = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(h);
    if (m === null || m[1] === 'ff' || !nonZero(m[2]) || !nonZero(m[3])) return null;
    const flags = Number.parseInt(m[4], 16);
    return { version: m[1], traceId: m[2], parentId: m[3], flags, sampled: (flags & 1) === 1 };
  };
  const replacement = fc.oneof(fc.constantFrom(...HEX, '-', 'A', 'F', 'g', ' ', '\t', '\n', '\0'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
  fc.assert(fc.property(validTraceparent, fc.integer({ min: 0, max: 54 }), replacement, (tp, pos, c) => {
    const h = tp.slice(0, pos) + c + tp.slice(pos + 1);
    assert.deepStrictEqual(ids.parseTraceparent(h), expected(h), JSON.stringify(h));
  }), { numRuns: 5000 });
});

test('traceparent: valid headers round-trip through parse and format', () => {
  fc.assert(fc.property(validTraceparent, (tp) => {
    const parsed = ids.parseTraceparent(tp);
    assert.strictEqual(ids.formatTraceparent({ traceId: parsed.traceId, spanId: parsed.parentId, flags: parsed.flags }), tp);
  }));
});

test('traceparent: optional SP / HTAB around the value are stripped, other whitespace is refused', () => {
  const ows = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 3 });
  const other = fc.constantFrom('\r', '\n', '\v', '\f', '\u00a0', '\u2003', '\u2028', '\ufeff');
  fc.assert(fc.property(validTraceparent, ows, ows, other, fc.boolean(), (tp, before, after, bad, atEnd) => {
    assert.deepStrictEqual(ids.parseTraceparent(before + tp + after), ids.parseTraceparent(tp));
    assert.strictEqual(ids.parseTraceparent(atEnd ? tp + bad : bad + tp), null);
  }));
});

test('traceparent: future versions parse their first four fields and ignore the rest', () => {
  const tail = fc.option(fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 20 }).map((t) => `-${t}`), { nil: '' });
  fc.assert(fc.property(validTraceparent, fc.integer({ min: 1, max: 0xfe }), tail, (tp, version, rest) => {
    const parsed = ids.parseTraceparent(byteHex(version) + tp.slice(2) + rest);
    assert.strictEqual(parsed.version, byteHex(version));
    assert.deepStrictEqual({ ...parsed, version: '00' }, ids.parseTraceparent(tp));
  }));
});

test('traceparent: generated trace and span ids always format and parse, with their flags', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), (flags) => {
    const traceId = ids.generateTraceId();
    const spanId = ids.generateSpanId();
    assert.deepStrictEqual(ids.parseTraceparent(ids.formatTraceparent({ traceId, spanId, flags })),
      { version: '00', traceId, parentId: spanId, flags, sampled: (flags & 1) === 1 });
  }), { numRuns: 1000 });
});

// ---------------------------------------------------------------------------
// tracestate

const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const LCALPHA = 'abcdefghijklmnopqrstuvwxyz';
const keyChars = (max) => fc.string({ unit: fc.constantFrom(...KEY_CHARS), maxLength: max });
const validKey = fc.oneof(
  fc.tuple(fc.constantFrom(...LCALPHA), keyChars(20)).map(([c, rest]) => c + rest),
  fc.tuple(fc.constantFrom(...LCALPHA, ...'0123456789'), keyChars(10), fc.constantFrom(...LCALPHA), keyChars(13))
    .map(([t0, t, s0, s]) => `${t0}${t}@${s0}${s}`),
);
// Printable ASCII but ',' and '='; the last character not a space.
const valueChar = (min) => fc.integer({ min, max: 0x7e }).filter((c) => c !== 0x2c && c !== 0x3d).map((c) => String.fromCharCode(c));
const validValue = fc.tuple(fc.string({ unit: valueChar(0x20), maxLength: 20 }), valueChar(0x21)).map(([v, last]) => v + last);
const validTracestate = fc.uniqueArray(fc.tuple(validKey, validValue), { maxLength: 8, selector: ([k]) => k });

const KEY_RE = /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/;
const VALUE_RE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

// What a non-null tracestate result must be, whatever the input.
function assertWellFormedTracestate(entries) {
  assert.ok(entries.length <= 32);
  assert.strictEqual(new Set(entries.map(([k]) => k)).size, entries.length);
  for (const [k, v] of entries) {
    assert.match(k, KEY_RE);
    assert.match(v, VALUE_RE);
  }
  assert.deepStrictEqual(ids.parseTracestate(ids.formatTracestate(entries)), entries);
}

test('tracestate: arbitrary strings never throw; any result is well formed and round-trips', () => {
  fc.assert(fc.property(anyString(700), (header) => {
    const parsed = ids.parseTracestate(header);
    if (parsed !== null) assertWellFormedTracestate(parsed);
  }), { numRuns: 3000 });
});

test('tracestate: valid member lists round-trip, with optional whitespace around members', () => {
  const ows = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 2 });
  fc.assert(fc.property(validTracestate, ows, (entries, space) => {
    const formatted = ids.formatTracestate(entries);
    assert.deepStrictEqual(ids.parseTracestate(formatted), entries);
    const spaced = entries.map(([k, v]) => `${space}${k}=${v}${space}`).join(',');
    assert.deepStrictEqual(ids.parseTracestate(spaced), entries);
  }), { numRuns: 1000 });
});

test('tracestate: valid lists with one character replaced never throw and stay well formed', () => {
  const replacement = fc.oneof(fc.constantFrom(...',= \t\r\n\0@*/A\x7f\u00a0é'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
  fc.assert(fc.property(validTracestate.filter((e) => e.length > 0), fc.nat(), replacement, (entries, at, c) => {
    const s = ids.formatTracestate(entries);
    const pos = at % s.length;
    const parsed = ids.parseTracestate(s.slice(0, pos) + c + s.slice(pos + 1));
    if (parsed !== null) assertWellFormedTracestate(parsed);
  }), { numRuns: 3000 });
});

// ---------------------------------------------------------------------------
// X-Request-Id

const SAFE_ID = /^[A-Za-z0-9._:-]+$/;

test('validateRequestId: never throws on any string; accepts exactly safe ids within the bound', () => {
  const maxLength = fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined });
  const idLike = fc.oneof(anyString(300), fc.stringMatching(/^[A-Za-z0-9._:-]{0,200}$/));
  fc.assert(fc.property(idLike, maxLength, (s, max) => {
    const accepted = ids.validateRequestId(s, { maxLength: max });
    const safe = s.length >= 1 && s.length <= (max ?? 128) && SAFE_ID.test(s);
    assert.strictEqual(accepted, safe ? s : null, JSON.stringify([s, max]));
  }), { numRuns: 5000 });
});

test('validateRequestId: allowlisted ids up to 128 characters are accepted by default', () => {
  fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/), (id) => {
    assert.strictEqual(ids.validateRequestId(id), id);
  }), { numRuns: 1000 });
});

test('validateRequestId: generated request ids pass the default policy', () => {
  fc.assert(fc.property(fc.constantFrom('v7', 'v4'), (kind) => {
    const id = ids.generateRequestId(kind);
    assert.strictEqual(ids.validateRequestId(id), id);
  }), { numRuns: 1000 });
});
