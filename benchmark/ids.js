#!/usr/bin/env node
'use strict';
// Micro-benchmark: the id / trace-context operations of lib/request/ids.js
// against the other plain-JS ways to do them (and the uuid package).
// Rerun after changing lib/request/ids.js. (A Rust implementation through
// napi lost every operation by 1.6x to 121x and was removed:
// benchmark/results/2026-12-07-ids-rust-vs-js.md.)
//
//   node benchmark/ids.js [--rounds N] [--ms M] [--json] [--filter text] [--clock cpu|wall]
//
// Method: candidates of one operation run interleaved, round after round
// (order rotated each round), each for ~M ms per round; the table reports
// the median ns/op over the rounds and the ratio to the fastest candidate.
// --clock cpu (default) charges each round with the process CPU time it
// used (process.cpuUsage, all threads, so GC work counts), which is robust
// on a shared machine where wall time includes time spent descheduled;
// --clock wall uses process.hrtime.
// Each candidate gets its own freshly compiled loop so call sites stay
// monomorphic and no candidate pays for another's type feedback.

const crypto = require('node:crypto');
const os = require('node:os');
const uuid = require('uuid');
const js = require('../lib/request/ids.js');
const { median } = require('./lib/stats');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
}
const ROUNDS = Number(arg('--rounds', 9));
const ROUND_MS = Number(arg('--ms', 25));
const JSON_OUT = process.argv.includes('--json');
const FILTER = arg('--filter', '');
const CLOCK = arg('--clock', 'cpu');
if (CLOCK !== 'cpu' && CLOCK !== 'wall') throw new Error('--clock must be cpu or wall');

function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

// ---------------------------------------------------------------------------
// Alternative plain-JS implementations (candidates that lost stay here so
// the comparison can be rerun).

const hexPool = Buffer.allocUnsafe(4096);
let hexPoolOffset = hexPool.length;
const HEX = [];
for (let i = 0; i < 256; i++) HEX.push((i < 16 ? '0' : '') + i.toString(16));

function traceIdToStringHex() {
  if (hexPoolOffset + 16 > hexPool.length) {
    crypto.randomFillSync(hexPool);
    hexPoolOffset = 0;
  }
  const o = hexPoolOffset;
  hexPoolOffset += 16;
  return hexPool.toString('hex', o, o + 16);
}

function traceIdHexTable() {
  if (hexPoolOffset + 16 > hexPool.length) {
    crypto.randomFillSync(hexPool);
    hexPoolOffset = 0;
  }
  const o = hexPoolOffset;
  hexPoolOffset += 16;
  let out = '';
  for (let i = 0; i < 16; i++) out += HEX[hexPool[o + i]];
  return out;
}

const u8 = new Uint8Array(16);
function traceIdGetRandomValues() {
  crypto.getRandomValues(u8);
  return Buffer.from(u8.buffer, 0, 16).toString('hex');
}

function traceIdRandomBytes() {
  return crypto.randomBytes(16).toString('hex');
}

const TRACEPARENT_RE = /^[ \t]*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[!-~]*)?[ \t]*$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
function parseTraceparentRegex(value) {
  if (typeof value !== 'string' || value.length > 512) return null;
  const m = TRACEPARENT_RE.exec(value);
  if (m === null) return null;
  const version = m[1];
  if (version === 'ff' || (version === '00' && m[5] !== undefined)) return null;
  if (m[2] === ZERO_TRACE || m[3] === ZERO_SPAN) return null;
  const flags = parseInt(m[4], 16);
  return { version, traceId: m[2], parentId: m[3], flags, sampled: (flags & 1) === 1 };
}

// ---------------------------------------------------------------------------
// Inputs

const TP_VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TP_INVALID = '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01';

const operations = [
  ['requestId v7', {
    'js pooled fromCharCode v7': () => js.generateRequestId('v7'),
    'uuid pkg v7()': () => uuid.v7(),
  }],
  ['requestId v4', {
    'js pooled fromCharCode v4': () => js.generateRequestId('v4'),
    'js crypto.randomUUID()': () => crypto.randomUUID(),
    'uuid pkg v4()': () => uuid.v4(),
  }],
  ['traceId', {
    'js pooled fromCharCode': () => js.generateTraceId(),
    'js pooled buf.toString(hex)': traceIdToStringHex,
    'js pooled hex table concat': traceIdHexTable,
    'js getRandomValues+hex': traceIdGetRandomValues,
    'js randomBytes(16).hex': traceIdRandomBytes,
  }],
  ['parseTraceparent valid', {
    'js charCode scanner': () => js.parseTraceparent(TP_VALID),
    'js regex': () => parseTraceparentRegex(TP_VALID),
  }],
  ['parseTraceparent invalid', {
    'js charCode scanner': () => js.parseTraceparent(TP_INVALID),
    'js regex': () => parseTraceparentRegex(TP_INVALID),
  }],
].filter(([name]) => name.includes(FILTER));

// One freshly compiled loop per candidate (see header comment).
function makeLoop() {
  // eslint-disable-next-line no-new-func
  return new Function('fn', 'n', `
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const r = fn();
      // Read a char of string results: real callers use the string (log
      // it, set a header), which makes V8 flatten lazily built strings.
      if (r === null) sink++;
      else if (typeof r === 'string') sink += r.charCodeAt(r.length - 1);
      else sink += 2;
    }
    return sink;`);
}

function measure(candidate, ms) {
  // Batches grow until one takes ~0.5 ms, so timer reads stay negligible.
  let n = candidate.batch;
  const deadline = process.hrtime.bigint() + BigInt(ms * 1e6);
  const cpu0 = cpuNs();
  let ops = 0;
  let wall = 0n;
  let sink = 0;
  while (process.hrtime.bigint() < deadline) {
    const t0 = process.hrtime.bigint();
    sink += candidate.loop(candidate.fn, n);
    const dt = process.hrtime.bigint() - t0;
    wall += dt;
    ops += n;
    if (dt < 500000n) n *= 2;
  }
  const cpu = cpuNs() - cpu0;
  candidate.batch = n;
  if (sink === -1) console.log('unreachable');
  return (CLOCK === 'cpu' ? cpu : Number(wall)) / ops;
}


const results = [];
for (const [op, fns] of operations) {
  const candidates = Object.entries(fns).map(([name, fn]) => ({ name, fn, loop: makeLoop(), batch: 64, samples: [] }));
  for (const c of candidates) measure(c, 20); // warm-up: tier up before timing
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < candidates.length; k++) {
      const c = candidates[(k + r) % candidates.length];
      c.samples.push(measure(c, ROUND_MS));
    }
  }
  const rows = candidates.map((c) => ({ op, candidate: c.name, nsPerOp: median(c.samples) }));
  const best = Math.min(...rows.map((x) => x.nsPerOp));
  for (const row of rows) row.ratio = row.nsPerOp / best;
  results.push(...rows);
}

if (JSON_OUT) {
  console.log(JSON.stringify({
    node: process.version, clock: CLOCK, rounds: ROUNDS, roundMs: ROUND_MS, loadavg: os.loadavg(), results,
  }, null, 2));
} else {
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`node ${process.version}, ${ROUNDS} interleaved rounds x ${ROUND_MS} ms, median ns/op of ${CLOCK === 'cpu' ? 'process CPU time' : 'wall time'}, load avg ${load}`);
  const w = Math.max(...results.map((r) => r.op.length));
  const cw = Math.max(...results.map((r) => r.candidate.length));
  let last = '';
  for (const r of results) {
    if (r.op !== last && last !== '') console.log('');
    console.log(`${(r.op === last ? '' : r.op).padEnd(w)}  ${r.candidate.padEnd(cw)}  ${r.nsPerOp.toFixed(1).padStart(8)} ns  ${r.ratio === 1 ? ' fastest' : `x${r.ratio.toFixed(2)}`.padStart(8)}`);
    last = r.op;
  }
}
