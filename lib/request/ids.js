'use strict';
// Request ids and W3C Trace Context for the request kit.
//
// Interface (imported by the middleware; keep stable):
//   generateRequestId(kind = 'v7')            -> UUID string ('v7' or 'v4')
//   generateTraceId()                         -> 32 lowercase hex, never all-zero
//   generateSpanId()                          -> 16 lowercase hex, never all-zero
//   parseTraceparent(value)                   -> { version, traceId, parentId, flags, sampled } | null
//                                                (version: 2 hex chars, flags: number 0-255)
//   formatTraceparent({ traceId, spanId, flags = 0 }) -> '00-<traceId>-<spanId>-<flags>'
//   parseTracestate(value)                    -> [[key, value], ...] | null
//   formatTracestate(entries)                 -> 'k1=v1,k2=v2'
//   validateRequestId(value, { maxLength = 128, pattern } = {}) -> string | null
//
// Parsers take raw header values (`string | string[] | undefined`), never
// throw on malformed input and never echo it: they return null.
// Formatters and option checks throw Node-style errors (programmer errors).
//
// Plain JS, no native call: measured faster than napi (see Exports below).

const crypto = require('node:crypto');

// ---------------------------------------------------------------------------
// Errors: Node's classes, codes and messages (lib/errors.js).
//
// Trace-context data handed to the formatters (traceId, spanId, flags,
// tracestate entries) may be copied straight from request headers, so those
// errors wrap the value in untrusted(): the message says what kind of value
// it was (a string by its length, `an instance of Array`) but never echoes
// its content into logs. Option errors (kind, options.*) concern values the
// application wrote itself and read exactly as Node's do. The parsers and
// validateRequestId never throw on header input at all: they return null.

const { invalidArgType, invalidArgValue, outOfRange, untrusted } = require('../errors');

// ---------------------------------------------------------------------------
// Random ids. One pooled buffer is refilled from the CSPRNG (randomFillSync)
// and each id consumes fresh bytes from it, so an id costs no native call.
// Strings are built with one String.fromCharCode call over hex digit codes:
// a single flat allocation, measurably faster than both Buffer#toString('hex')
// and a napi call (benchmark/ids.js). Pool bytes are used once, never reused.

const POOL_SIZE = 4096;
// Its own allocation, never a slice of Node's shared Buffer pool, so no
// other Buffer's `.buffer` can see the random bytes of ids to come.
const pool = Buffer.allocUnsafeSlow(POOL_SIZE);
let poolOffset = POOL_SIZE;

function takeRandom(n) {
  if (poolOffset + n > POOL_SIZE) {
    crypto.randomFillSync(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += n;
  return offset;
}

const fromCharCode = String.fromCharCode;
const DIGITS = '0123456789abcdef';
// Char code of the high / low hex digit of a byte.
const HI = new Uint8Array(256);
const LO = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HI[i] = DIGITS.charCodeAt(i >> 4);
  LO[i] = DIGITS.charCodeAt(i & 15);
}
const HEX = [];
for (let i = 0; i < 256; i++) HEX.push(DIGITS[i >> 4] + DIGITS[i & 15]);

function isZero(b, o, n) {
  for (let i = 0; i < n; i++) if (b[o + i] !== 0) return false;
  return true;
}

function generateTraceId() {
  let o = takeRandom(16);
  // All-zero ids are invalid (W3C); probability 2^-128, but retry anyway.
  while (isZero(pool, o, 16)) o = takeRandom(16);
  const b = pool;
  const b0 = b[o], b1 = b[o + 1], b2 = b[o + 2], b3 = b[o + 3], b4 = b[o + 4], b5 = b[o + 5], b6 = b[o + 6], b7 = b[o + 7];
  const b8 = b[o + 8], b9 = b[o + 9], b10 = b[o + 10], b11 = b[o + 11], b12 = b[o + 12], b13 = b[o + 13], b14 = b[o + 14], b15 = b[o + 15];
  return fromCharCode(
    HI[b0], LO[b0], HI[b1], LO[b1], HI[b2], LO[b2], HI[b3], LO[b3],
    HI[b4], LO[b4], HI[b5], LO[b5], HI[b6], LO[b6], HI[b7], LO[b7],
    HI[b8], LO[b8], HI[b9], LO[b9], HI[b10], LO[b10], HI[b11], LO[b11],
    HI[b12], LO[b12], HI[b13], LO[b13], HI[b14], LO[b14], HI[b15], LO[b15]);
}

function generateSpanId() {
  let o = takeRandom(8);
  while (isZero(pool, o, 8)) o = takeRandom(8); // probability 2^-64
  const b = pool;
  const b0 = b[o], b1 = b[o + 1], b2 = b[o + 2], b3 = b[o + 3], b4 = b[o + 4], b5 = b[o + 5], b6 = b[o + 6], b7 = b[o + 7];
  return fromCharCode(
    HI[b0], LO[b0], HI[b1], LO[b1], HI[b2], LO[b2], HI[b3], LO[b3],
    HI[b4], LO[b4], HI[b5], LO[b5], HI[b6], LO[b6], HI[b7], LO[b7]);
}

// 16 bytes -> 8-4-4-4-12 lowercase hex.
const uuidBytes = new Uint8Array(16);
function formatUuid(u) {
  const u0 = u[0], u1 = u[1], u2 = u[2], u3 = u[3], u4 = u[4], u5 = u[5], u6 = u[6], u7 = u[7];
  const u8 = u[8], u9 = u[9], u10 = u[10], u11 = u[11], u12 = u[12], u13 = u[13], u14 = u[14], u15 = u[15];
  return fromCharCode(
    HI[u0], LO[u0], HI[u1], LO[u1], HI[u2], LO[u2], HI[u3], LO[u3], 0x2d,
    HI[u4], LO[u4], HI[u5], LO[u5], 0x2d,
    HI[u6], LO[u6], HI[u7], LO[u7], 0x2d,
    HI[u8], LO[u8], HI[u9], LO[u9], 0x2d,
    HI[u10], LO[u10], HI[u11], LO[u11], HI[u12], LO[u12], HI[u13], LO[u13], HI[u14], LO[u14], HI[u15], LO[u15]);
}

// UUID v4 (RFC 9562 §5.4).
function jsUuidV4() {
  const o = takeRandom(16);
  for (let i = 0; i < 16; i++) uuidBytes[i] = pool[o + i];
  uuidBytes[6] = (uuidBytes[6] & 0x0f) | 0x40;
  uuidBytes[8] = (uuidBytes[8] & 0x3f) | 0x80;
  return formatUuid(uuidBytes);
}

// UUID v7 (RFC 9562 §5.7) with a 12-bit counter in rand_a (method 1 of
// §6.2) so ids from this process sort in creation order: the counter is
// reseeded with a random value below 2048 every new millisecond, leaving at
// least 2048 increments before it borrows the next millisecond. A clock
// that moves back is ignored (the last timestamp is kept).
let v7LastMs = -1;
let v7Seq = 0;

function jsUuidV7() {
  const o = takeRandom(10);
  const now = Date.now();
  if (now > v7LastMs) {
    v7LastMs = now;
    v7Seq = ((pool[o + 8] << 8) | pool[o + 9]) & 0x7ff;
  } else if (++v7Seq > 0xfff) {
    v7LastMs++;
    v7Seq = 0;
  }
  const ms = v7LastMs;
  const high = Math.floor(ms / 0x100000000); // top 16 of the 48 bits
  const low = ms >>> 0; // ms % 2^32 (ms is a non-negative integer)
  const u = uuidBytes;
  u[0] = high >>> 8;
  u[1] = high;
  u[2] = low >>> 24;
  u[3] = low >>> 16;
  u[4] = low >>> 8;
  u[5] = low;
  u[6] = 0x70 | (v7Seq >>> 8);
  u[7] = v7Seq;
  u[8] = 0x80 | (pool[o] & 0x3f);
  for (let i = 1; i < 8; i++) u[8 + i] = pool[o + i];
  return formatUuid(u);
}

function generateRequestId(kind = 'v7') {
  if (kind === 'v7') return jsUuidV7();
  if (kind === 'v4') return jsUuidV4();
  throw requestIdKindError(kind);
}

function requestIdKindError(kind) {
  if (typeof kind !== 'string') return invalidArgType('kind', "one of 'v7' or 'v4'", kind);
  return invalidArgValue('kind', kind, "must be one of 'v7' or 'v4'");
}

// ---------------------------------------------------------------------------
// Header values as Node delivers them: a string, an array of strings (when a
// header is repeated and Node does not join it), or undefined.

function singleHeader(value) {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
  return null;
}

// Optional whitespace (RFC 9110 §5.6.3: SP / HTAB) around a field value is
// not part of the value, so it is stripped. Nothing else is: CR, LF, other
// control characters or Unicode spaces make the header invalid.
function owsStart(s, start, end) {
  while (start < end) {
    const c = s.charCodeAt(start);
    if (c !== 0x20 && c !== 0x09) break;
    start++;
  }
  return start;
}

function owsEnd(s, start, end) {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x20 && c !== 0x09) break;
    end--;
  }
  return end;
}

// ---------------------------------------------------------------------------
// traceparent (W3C Trace Context §3.2)

// Longest traceparent we look at. Version 00 is exactly 55 characters; later
// versions may append fields, which we ignore. Anything longer is dropped
// before it is scanned.
const TRACEPARENT_MAX_INPUT = 512;
const TRACEPARENT_V00_LEN = 55;

// Lowercase hex digit value, or -1 (uppercase is invalid per spec).
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX_VALUE[0x61 + i] = 10 + i;

// True if s[from, from+n) is all lowercase hex digits.
function hexRun(s, from, n) {
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || HEX_VALUE[c] < 0) return false;
  }
  return true;
}

function allZeroChars(s, from, n) {
  for (let i = from; i < from + n; i++) if (s.charCodeAt(i) !== 0x30) return false;
  return true;
}

function parseTraceparent(value) {
  const s = singleHeader(value);
  if (s === null || s.length > TRACEPARENT_MAX_INPUT) return null;
  const start = owsStart(s, 0, s.length);
  const end = owsEnd(s, start, s.length);
  const len = end - start;
  if (len < TRACEPARENT_V00_LEN) return null;
  const b = start;
  if (!hexRun(s, b, 2) || s.charCodeAt(b + 2) !== 0x2d ||
      !hexRun(s, b + 3, 32) || s.charCodeAt(b + 35) !== 0x2d ||
      !hexRun(s, b + 36, 16) || s.charCodeAt(b + 52) !== 0x2d ||
      !hexRun(s, b + 53, 2)) {
    return null;
  }
  const v0 = s.charCodeAt(b);
  const v1 = s.charCodeAt(b + 1);
  if (v0 === 0x66 && v1 === 0x66) return null; // version ff is forbidden
  if (v0 === 0x30 && v1 === 0x30) {
    if (len !== TRACEPARENT_V00_LEN) return null;
  } else if (len > TRACEPARENT_V00_LEN) {
    // A future version may append fields: ignored, but they must start
    // with '-' and be visible ASCII (no spaces, controls or non-ASCII).
    if (s.charCodeAt(b + 55) !== 0x2d) return null;
    for (let i = b + 56; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x21 || c > 0x7e) return null;
    }
  }
  if (allZeroChars(s, b + 3, 32) || allZeroChars(s, b + 36, 16)) return null;
  const flags = HEX_VALUE[s.charCodeAt(b + 53)] * 16 + HEX_VALUE[s.charCodeAt(b + 54)];
  return {
    version: s.slice(b, b + 2),
    traceId: s.slice(b + 3, b + 35),
    parentId: s.slice(b + 36, b + 52),
    flags,
    sampled: (flags & 1) === 1,
  };
}

function checkHexId(name, value, n) {
  if (typeof value !== 'string') throw invalidArgType(name, `a string of ${n} lowercase hex characters`, untrusted(value));
  if (value.length !== n || !hexRun(value, 0, n)) {
    throw invalidArgValue(name, untrusted(value), `must be ${n} lowercase hex characters`);
  }
  if (allZeroChars(value, 0, n)) throw invalidArgValue(name, untrusted(value), 'must not be all zeros');
}

function checkFlags(flags) {
  if (flags === undefined) return 0;
  if (typeof flags !== 'number') throw invalidArgType('flags', 'number', untrusted(flags));
  if (!Number.isInteger(flags) || flags < 0 || flags > 255) {
    throw outOfRange('flags', 'an integer >= 0 and <= 255', flags);
  }
  return flags;
}

// Always emits version 00: a vendor that receives a later version still
// sends the version it implements (§3.2.4.1).
function formatTraceparent(fields) {
  if (fields === null || typeof fields !== 'object') throw invalidArgType('fields', 'object', fields);
  const { traceId, spanId } = fields;
  checkHexId('traceId', traceId, 32);
  checkHexId('spanId', spanId, 16);
  const flags = checkFlags(fields.flags);
  return `00-${traceId}-${spanId}-${HEX[flags]}`;
}

// ---------------------------------------------------------------------------
// tracestate (W3C Trace Context §3.3)
//
// Rules chosen here (the spec leaves some to the vendor):
// - A repeated header (array value) is combined with ',' as HTTP allows.
// - Raw input over TRACESTATE_MAX_INPUT characters is dropped unread.
// - Empty / whitespace-only list members are allowed and skipped.
// - Any invalid member, a duplicate key, more than 32 members, or a
//   combined length over 512 characters (members joined by ',', without
//   optional whitespace, the size the spec asks vendors to propagate)
//   drops the whole header: parse returns null. We never try to repair or
//   truncate someone else's state.
// - An empty or whitespace-only header is valid and yields [].

const TRACESTATE_MAX_MEMBERS = 32;
const TRACESTATE_MAX_LEN = 512;
const TRACESTATE_MAX_INPUT = 4096;

// Character classes for tracestate keys and values (ASCII only).
const KEY_CHAR = 1; // keychar = lcalpha / DIGIT / '_' / '-' / '*' / '/'
const LC_ALPHA = 2;
const DIGIT = 4;
const VALUE_CHAR = 8; // chr = 0x20-0x7E except ',' and '='
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0x20; c <= 0x7e; c++) if (c !== 0x2c && c !== 0x3d) CHAR_CLASS[c] |= VALUE_CHAR;
for (let c = 0x61; c <= 0x7a; c++) CHAR_CLASS[c] |= KEY_CHAR | LC_ALPHA;
for (let c = 0x30; c <= 0x39; c++) CHAR_CLASS[c] |= KEY_CHAR | DIGIT;
for (const c of '_-*/') CHAR_CLASS[c.charCodeAt(0)] |= KEY_CHAR;

function charClass(c) {
  return c < 128 ? CHAR_CLASS[c] : 0;
}

// key = simple-key / multi-tenant-key
// simple-key = lcalpha 0*255(keychar)
// multi-tenant-key = tenant-id '@' system-id
// tenant-id = (lcalpha / DIGIT) 0*240(keychar); system-id = lcalpha 0*13(keychar)
function isValidKey(s, from, to) {
  const len = to - from;
  if (len < 1 || len > 256) return false;
  let at = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x40) {
      if (at !== -1) return false;
      at = i;
    } else if ((charClass(c) & KEY_CHAR) === 0) {
      return false;
    }
  }
  const first = charClass(s.charCodeAt(from));
  if (at === -1) return (first & LC_ALPHA) !== 0;
  const tenantLen = at - from;
  const systemLen = to - at - 1;
  return tenantLen >= 1 && tenantLen <= 241 && systemLen >= 1 && systemLen <= 14 &&
    (first & (LC_ALPHA | DIGIT)) !== 0 && (charClass(s.charCodeAt(at + 1)) & LC_ALPHA) !== 0;
}

// value = 0*255(chr) nblk-chr; nblk-chr = chr except space
function isValidValue(s, from, to) {
  const len = to - from;
  if (len < 1 || len > 256) return false;
  for (let i = from; i < to; i++) {
    if ((charClass(s.charCodeAt(i)) & VALUE_CHAR) === 0) return false;
  }
  return s.charCodeAt(to - 1) !== 0x20;
}

function tracestateInput(value) {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return null;
  let total = 0;
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') return null;
    total += value[i].length + 1;
    if (total > TRACESTATE_MAX_INPUT + 1) return null;
  }
  return value.join(',');
}

function parseTracestate(value) {
  const s = tracestateInput(value);
  if (s === null || s.length > TRACESTATE_MAX_INPUT) return null;
  const entries = [];
  let size = 0;
  let pos = 0;
  const n = s.length;
  while (pos <= n) {
    let comma = s.indexOf(',', pos);
    if (comma === -1) comma = n;
    const from = owsStart(s, pos, comma);
    const to = owsEnd(s, from, comma);
    if (from < to) {
      const eq = s.indexOf('=', from);
      if (eq === -1 || eq >= to) return null;
      if (!isValidKey(s, from, eq) || !isValidValue(s, eq + 1, to)) return null;
      if (entries.length === TRACESTATE_MAX_MEMBERS) return null;
      const key = s.slice(from, eq);
      for (let i = 0; i < entries.length; i++) if (entries[i][0] === key) return null;
      size += (entries.length === 0 ? 0 : 1) + (to - from);
      if (size > TRACESTATE_MAX_LEN) return null;
      entries.push([key, s.slice(eq + 1, to)]);
    }
    pos = comma + 1;
  }
  return entries;
}

function formatTracestate(entries) {
  if (!Array.isArray(entries)) throw invalidArgType('entries', 'an array of [key, value] pairs', untrusted(entries));
  if (entries.length > TRACESTATE_MAX_MEMBERS) {
    throw invalidArgValue('entries', untrusted(entries), `must have at most ${TRACESTATE_MAX_MEMBERS} members`);
  }
  // All type checks first, then value checks: a type error anywhere wins.
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!Array.isArray(entry) || entry.length !== 2 ||
        typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
      throw invalidArgType(`entries[${i}]`, 'a [key, value] pair of strings', untrusted(entry));
    }
  }
  let out = '';
  for (let i = 0; i < entries.length; i++) {
    const key = entries[i][0];
    const val = entries[i][1];
    if (!isValidKey(key, 0, key.length)) throw invalidArgValue(`entries[${i}]`, untrusted(entries[i]), 'has an invalid tracestate key');
    if (!isValidValue(val, 0, val.length)) throw invalidArgValue(`entries[${i}]`, untrusted(entries[i]), 'has an invalid tracestate value');
    for (let j = 0; j < i; j++) {
      if (entries[j][0] === key) throw invalidArgValue(`entries[${i}]`, untrusted(entries[i]), 'repeats a tracestate key');
    }
    out += (i === 0 ? '' : ',') + key + '=' + val;
  }
  if (out.length > TRACESTATE_MAX_LEN) {
    throw invalidArgValue('entries', untrusted(entries), `must format to at most ${TRACESTATE_MAX_LEN} characters`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Incoming X-Request-Id

const DEFAULT_REQUEST_ID_MAX = 128;
const DEFAULT_REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

function checkRequestIdOptions(options) {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'object', options);
  const { maxLength, pattern } = options;
  if (maxLength !== undefined) {
    if (typeof maxLength !== 'number') throw invalidArgType('options.maxLength', 'number', maxLength);
    if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 0xffffffff) {
      throw outOfRange('options.maxLength', 'an integer >= 1 and <= 4294967295', maxLength);
    }
  }
  if (pattern !== undefined && !(pattern instanceof RegExp)) {
    throw invalidArgType('options.pattern', 'RegExp', pattern);
  }
}

function validateRequestId(value, options) {
  checkRequestIdOptions(options);
  const maxLength = (options && options.maxLength) || DEFAULT_REQUEST_ID_MAX;
  const pattern = (options && options.pattern) || DEFAULT_REQUEST_ID_PATTERN;
  const s = singleHeader(value);
  // Length first: an oversized value is rejected before anything scans it.
  if (s === null || s.length === 0 || s.length > maxLength) return null;
  if (pattern.global || pattern.sticky) pattern.lastIndex = 0;
  return pattern.test(s) ? s : null;
}

// ---------------------------------------------------------------------------
// Exports.
//
// A Rust implementation of each operation through napi cost 1.6x (traceId)
// to 121x (validateRequestId on 10k characters) this JS on Node 24
// (benchmark/results/2026-12-07-ids-rust-vs-js.md; 1.3x to 178x on Node 20,
// 24 and 26 in earlier runs): the napi call and
// building JS strings, arrays and objects through napi cost more than the
// whole JS implementation. So this file is the one implementation;
// __test__/ids-properties.test.js holds its properties.

module.exports = {
  generateRequestId,
  generateTraceId,
  generateSpanId,
  parseTraceparent,
  formatTraceparent,
  parseTracestate,
  formatTracestate,
  validateRequestId,
};
