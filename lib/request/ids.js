'use strict';
// Request ids and W3C Trace Context for the request kit.
//
// Interface (imported by the middleware; keep stable):
//   generateRequestId(kind = 'v7')            -> UUID string ('v7' or 'v4')
//   generateTraceId()                         -> 32 lowercase hex, never all-zero
//   generateSpanId()                          -> 16 lowercase hex, never all-zero
//   parseTraceparent(value)                   -> { version, traceId, parentId, flags, sampled } | null
//   formatTraceparent({ traceId, spanId, flags })  -> 'version-traceid-spanid-flags' (version 00)
//   parseTracestate(value)                    -> [[key, value], ...] | null
//   formatTracestate(entries)                 -> 'k1=v1,k2=v2'
//   validateRequestId(value, { maxLength = 128, pattern } = {}) -> string | null
//
// Parsers take raw header values (`string | string[] | undefined`), never
// throw on malformed input and never echo it: they return null.
// Formatters and option checks throw Node-style errors (programmer errors).
//
// Every operation has a plain-JS implementation here and a Rust one in the
// native addon (src/ids.rs, src/trace_context.rs, src/request_id.rs). The
// exported functions below use whichever path measured faster (see the
// comment on each export and benchmark/ids.js); the differential test in
// __test__/trace-context.test.js keeps the two implementations in agreement.

const crypto = require('node:crypto');

// ---------------------------------------------------------------------------
// Errors (Node-style class + code, matching src/error.rs)

function invalidArgType(name, expected, actual) {
  const err = new TypeError(`The "${name}" argument must be ${expected}. Received ${describe(actual)}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

function invalidArgValue(name, reason) {
  const err = new TypeError(`The argument '${name}' ${reason}`);
  err.code = 'ERR_INVALID_ARG_VALUE';
  return err;
}

function outOfRange(name, range, actual) {
  const err = new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${describe(actual)}`);
  err.code = 'ERR_OUT_OF_RANGE';
  return err;
}

function describe(value) {
  if (value === null) return 'null';
  if (typeof value === 'string') return `type string (length ${value.length})`;
  if (typeof value === 'number') return `type number (${value})`;
  return `type ${typeof value}`;
}

// ---------------------------------------------------------------------------
// Random bytes: one pooled buffer refilled from the CSPRNG, so each id costs
// a slice of an existing buffer rather than a native call per id.

const POOL_SIZE = 16 * 256;
const pool = Buffer.allocUnsafe(POOL_SIZE);
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

const HEX = [];
for (let i = 0; i < 256; i++) HEX.push((i < 16 ? '0' : '') + i.toString(16));

function isZero(offset, n) {
  for (let i = 0; i < n; i++) if (pool[offset + i] !== 0) return false;
  return true;
}

function randomHex(n) {
  let offset = takeRandom(n);
  // All-zero ids are invalid (W3C). Probability 2^-64 / 2^-128: retry.
  while (isZero(offset, n)) offset = takeRandom(n);
  return pool.toString('hex', offset, offset + n);
}

function jsGenerateTraceId() {
  return randomHex(16);
}

function jsGenerateSpanId() {
  return randomHex(8);
}

// UUID v7 (RFC 9562 §5.7) with a 12-bit counter in rand_a (method 1 of
// §6.2) so ids from this process sort in creation order: the counter is
// reseeded with a random value below 2048 every new millisecond, leaving at
// least 2048 increments before it borrows the next millisecond.
let v7LastMs = -1;
let v7Seq = 0;

function jsUuidV7() {
  let ms = Date.now();
  const offset = takeRandom(10);
  if (ms > v7LastMs) {
    v7Seq = ((pool[offset] << 8) | pool[offset + 1]) & 0x7ff;
    v7LastMs = ms;
  } else {
    // Same millisecond or the clock moved back: keep monotonic.
    v7Seq++;
    if (v7Seq > 0xfff) {
      v7LastMs++;
      v7Seq = 0;
    }
    ms = v7LastMs;
  }
  const hi = Math.floor(ms / 0x1000000); // top 24 bits of the 48-bit timestamp
  const lo = ms % 0x1000000; // low 24 bits
  return (
    HEX[(hi >>> 16) & 0xff] + HEX[(hi >>> 8) & 0xff] + HEX[hi & 0xff] +
    HEX[(lo >>> 16) & 0xff] + '-' + HEX[(lo >>> 8) & 0xff] + HEX[lo & 0xff] + '-' +
    HEX[0x70 | (v7Seq >>> 8)] + HEX[v7Seq & 0xff] + '-' +
    HEX[0x80 | (pool[offset + 2] & 0x3f)] + HEX[pool[offset + 3]] + '-' +
    HEX[pool[offset + 4]] + HEX[pool[offset + 5]] + HEX[pool[offset + 6]] +
    HEX[pool[offset + 7]] + HEX[pool[offset + 8]] + HEX[pool[offset + 9]]
  );
}

function jsGenerateRequestId(kind = 'v7') {
  if (kind === 'v7') return jsUuidV7();
  if (kind === 'v4') return crypto.randomUUID();
  throw requestIdKindError(kind);
}

function requestIdKindError(kind) {
  if (typeof kind !== 'string') return invalidArgType('kind', "one of 'v7' or 'v4'", kind);
  return invalidArgValue('kind', "must be one of 'v7' or 'v4'");
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

// True if s[from, from+n) is lowercase hex and not all '0'.
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

function jsParseTraceparent(value) {
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
  } else if (len > TRACEPARENT_V00_LEN && s.charCodeAt(b + 55) !== 0x2d) {
    // A future version may append fields, but only after a '-'.
    return null;
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
  if (typeof value !== 'string') throw invalidArgType(name, `a string of ${n} lowercase hex characters`, value);
  if (value.length !== n || !hexRun(value, 0, n)) {
    throw invalidArgValue(name, `must be ${n} lowercase hex characters`);
  }
  if (allZeroChars(value, 0, n)) throw invalidArgValue(name, 'must not be all zeros');
}

function checkFlags(flags) {
  if (flags === undefined) return 0;
  if (typeof flags !== 'number') throw invalidArgType('flags', 'a number', flags);
  if (!Number.isInteger(flags) || flags < 0 || flags > 255) {
    throw outOfRange('flags', 'an integer >= 0 and <= 255', flags);
  }
  return flags;
}

// Always emits version 00: a vendor that receives a later version still
// sends the version it implements (§3.2.4.1).
function jsFormatTraceparent(fields) {
  if (fields === null || typeof fields !== 'object') throw invalidArgType('fields', 'an object', fields);
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

// key char after the first: lcalpha / DIGIT / '_' / '-' / '*' / '/'
function isKeyChar(c) {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) ||
    c === 0x5f || c === 0x2d || c === 0x2a || c === 0x2f;
}

function isValidKey(s, from, to) {
  const len = to - from;
  if (len < 1 || len > 256) return false;
  let at = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x40) {
      if (at !== -1) return false;
      at = i;
    } else if (!isKeyChar(c)) {
      return false;
    }
  }
  const c0 = s.charCodeAt(from);
  if (at === -1) {
    // simple-key = lcalpha 0*255(keychar)
    return c0 >= 0x61 && c0 <= 0x7a;
  }
  // multi-tenant-key = tenant-id '@' system-id
  // tenant-id = (lcalpha / DIGIT) 0*240(keychar); system-id = lcalpha 0*13(keychar)
  const tenantLen = at - from;
  const systemLen = to - at - 1;
  if (tenantLen < 1 || tenantLen > 241 || systemLen < 1 || systemLen > 14) return false;
  if (!((c0 >= 0x61 && c0 <= 0x7a) || (c0 >= 0x30 && c0 <= 0x39))) return false;
  const s0 = s.charCodeAt(at + 1);
  return s0 >= 0x61 && s0 <= 0x7a;
}

// value = 0*255(chr) nblk-chr; chr = 0x20 / nblk-chr;
// nblk-chr = 0x21-0x7E except ',' and '='
function isValidValue(s, from, to) {
  const len = to - from;
  if (len < 1 || len > 256) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x2c || c === 0x3d) return false;
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

function jsParseTracestate(value) {
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

function jsFormatTracestate(entries) {
  if (!Array.isArray(entries)) throw invalidArgType('entries', 'an array of [key, value] pairs', entries);
  if (entries.length > TRACESTATE_MAX_MEMBERS) {
    throw invalidArgValue('entries', `must have at most ${TRACESTATE_MAX_MEMBERS} members`);
  }
  let out = '';
  const seen = new Set();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!Array.isArray(entry) || entry.length !== 2 ||
        typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
      throw invalidArgType(`entries[${i}]`, 'a [key, value] pair of strings', entry);
    }
    const [key, val] = entry;
    if (!isValidKey(key, 0, key.length)) throw invalidArgValue(`entries[${i}]`, 'has an invalid tracestate key');
    if (!isValidValue(val, 0, val.length)) throw invalidArgValue(`entries[${i}]`, 'has an invalid tracestate value');
    if (seen.has(key)) throw invalidArgValue(`entries[${i}]`, 'repeats a tracestate key');
    seen.add(key);
    out += (i === 0 ? '' : ',') + key + '=' + val;
  }
  if (out.length > TRACESTATE_MAX_LEN) {
    throw invalidArgValue('entries', `must format to at most ${TRACESTATE_MAX_LEN} characters`);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Incoming X-Request-Id

const DEFAULT_REQUEST_ID_MAX = 128;
const DEFAULT_REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

function checkRequestIdOptions(options) {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') throw invalidArgType('options', 'an object', options);
  const { maxLength, pattern } = options;
  if (maxLength !== undefined) {
    if (typeof maxLength !== 'number') throw invalidArgType('options.maxLength', 'a number', maxLength);
    if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 0xffffffff) {
      throw outOfRange('options.maxLength', 'an integer >= 1 and <= 4294967295', maxLength);
    }
  }
  if (pattern !== undefined && !(pattern instanceof RegExp)) {
    throw invalidArgType('options.pattern', 'an instance of RegExp', pattern);
  }
}

function jsValidateRequestId(value, options) {
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
// Exports. Path per operation chosen from benchmark/ids.js.

const js = {
  generateRequestId: jsGenerateRequestId,
  generateTraceId: jsGenerateTraceId,
  generateSpanId: jsGenerateSpanId,
  parseTraceparent: jsParseTraceparent,
  formatTraceparent: jsFormatTraceparent,
  parseTracestate: jsParseTracestate,
  formatTracestate: jsFormatTracestate,
  validateRequestId: jsValidateRequestId,
};

module.exports = {
  generateRequestId: jsGenerateRequestId,
  generateTraceId: jsGenerateTraceId,
  generateSpanId: jsGenerateSpanId,
  parseTraceparent: jsParseTraceparent,
  formatTraceparent: jsFormatTraceparent,
  parseTracestate: jsParseTracestate,
  formatTracestate: jsFormatTracestate,
  validateRequestId: jsValidateRequestId,
};

// For tests and benchmark/ids.js only: the plain-JS implementations.
Object.defineProperty(module.exports, '_js', { value: js, enumerable: false });
