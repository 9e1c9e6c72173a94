#!/usr/bin/env node
'use strict';
// Instructions per operation, counted by valgrind's callgrind: built-in vs
// ours on every configured Node, as a complement to the timing benchmarks
// (synchronous cases repeat to about 1%, where timings on a shared machine
// move by 20% or more; see benchmark/README.md for what still moves: timer
// cases, and counts taken while other jobs load the machine). Each count is (instructions of a process doing N ops) minus
// (the same process doing 0 ops), divided by N: start-up, module loading
// and warm-up cancel out. Run with --no-concurrent-recompilation so the
// optimizing compiler's work lands in the same place both times, and with
// V8's hash and random seeds fixed per repetition (--hash-seed,
// --random-seed; the same for both processes of a count and for both
// implementations): with random seeds, V8's start-up alone varied by 5-6
// million instructions between identical processes (the prime search in
// HashSeed::InitializeRoots), +-6 per getStore() at 10^6 operations and
// +-300 per timer callback at 2x10^4; fixed seeds repeat a count to within
// a few thousand instructions. Each repetition uses other seeds, so medians
// still range over identity hashes (which decide collisions in Maps).
//
// Timer cases are counted in windows instead (--method window, their
// default): subtracting two processes left them bimodal, because one event of
// ~50 million instructions (a collection or a compile) landed in the N-op
// process or in the zero-op one, +-2,400-4,800 per callback at 2x10^4
// callbacks. In window mode one process runs, after its warm-up, K pairs of
// an empty window and a window of N ops; callgrind dumps its counters at
// every window's start (--dump-before on a marker call, process.cpuUsage(),
// that nothing else makes). Timers warm up with 60,000 callbacks here
// (instructions-child.js), the first pair is dropped, and a count is
//
//     (mean over the kept N-op windows - median over the empty windows) / N
//
// The mean, not the median: scavenges, the callbacks' own allocation cost,
// come every one or two windows (+15-20% in the window that has one), so
// the median picked a mode by chance. A window above 1.5x the median is left
// out as an outlier: the ~50 million instruction event is ~10,000 per
// callback at N = 5,000, and the window after such an event still ran ~2x
// (Node 26, 2026-12-01). The JSON keeps every window's count.
//
//   node benchmark/instructions.js [--configs 20,22,22-frame,24,24-noframe,26,26-noframe]
//        [--cases getStore,getStoreLast,getStoreMixed,run,runNested,await,awaitInside,setTimeout,setImmediate,nextTick] [--live 1,10]
//        [--repeat n] [--method auto|subtract|window] [--windows K] [--json file]
//
// --repeat n measures every cell n times (built-in and ours alternating) and
// reports medians: promise- and GC-heavy cases move by a few percent per run.
//
// Needs `valgrind` on PATH. Takes about 10 minutes per configuration (valgrind start-up dominates).

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { resolveMajors } = require('../scripts/node-majors');

const CONFIGS = require('./lib/node-configs');
const { median } = require('./lib/stats');
// Ops per measurement: enough that N ops dwarf the run-to-run jitter of the
// zero-op process (a few thousand instructions with fixed seeds; garbage
// collections landing in one window and not the other move async cases
// more).
const OPS = { getStore: 1000000, getStoreLast: 1000000, getStoreMixed: 1000000, run: 100000, runNested: 100000, await: 5000, awaitInside: 50000, setTimeout: 20000, setImmediate: 20000, nextTick: 20000 };
// getStore reads the first instance created, measured at 1 only;
// getStoreLast the last one created of several (ours keeps the first
// instance's store apart from the others', see lib/async_hooks).
const LIVE_CASES = new Set(['run', 'runNested', 'await', 'awaitInside']);
const MANY_ONLY_CASES = new Set(['getStoreLast', 'getStoreMixed']);

// Window mode: ops per window, and the cases it applies to under --method auto.
const WINDOW_OPS = { await: 1000, awaitInside: 10000, setTimeout: 5000, setImmediate: 5000, nextTick: 5000 };
const WINDOW_BY_DEFAULT = new Set(['setTimeout', 'setImmediate', 'nextTick']);

const opts = { configs: Object.keys(CONFIGS), cases: Object.keys(OPS), live: [1, 10], repeat: 1, method: 'auto', windows: 13, json: null };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--configs') opts.configs = argv[++i].split(',');
  else if (a === '--cases') opts.cases = argv[++i].split(',');
  else if (a === '--live') opts.live = argv[++i].split(',').map(Number);
  else if (a === '--repeat') opts.repeat = Number(argv[++i]);
  else if (a === '--method') opts.method = argv[++i];
  else if (a === '--windows') opts.windows = Number(argv[++i]);
  else if (a === '--json') opts.json = argv[++i];
  else if (a === '--help' || a === '-h') {
    console.log('usage: node benchmark/instructions.js [--configs 20,22,...] [--cases getStore,run,...] [--live 1,10] [--repeat n] [--method auto|subtract|window] [--windows K] [--json file]');
    process.exit(0);
  } else throw new Error(`unknown argument ${a}`);
}
if (!(Number.isInteger(opts.repeat) && opts.repeat >= 1 && opts.repeat <= 9)) throw new Error('--repeat must be 1..9');
if (!['auto', 'subtract', 'window'].includes(opts.method)) throw new Error('--method must be auto, subtract or window');
if (!(Number.isInteger(opts.windows) && opts.windows >= 3 && opts.windows <= 50)) throw new Error('--windows must be 3..50');
for (const id of opts.configs) if (!CONFIGS[id]) throw new Error(`unknown configuration ${id}`);
for (const c of opts.cases) if (!OPS[c]) throw new Error(`unknown case ${c}`);
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not on PATH (apt-get install valgrind)');
  process.exit(1);
}

const bins = resolveMajors({ installMissing: false });
const CHILD = path.join(__dirname, 'lib', 'instructions-child.js');

function windowed(c) {
  if (opts.method === 'auto') return WINDOW_BY_DEFAULT.has(c);
  return opts.method === 'window' && c in WINDOW_OPS;
}

// The child under callgrind, with the Node flags every count uses (both methods).
function callgrind(callgrindFlags, node, flags, seed, args) {
  return spawnSync('valgrind', ['--tool=callgrind', ...callgrindFlags,
    node, '--no-concurrent-recompilation', `--hash-seed=${seed}`, `--random-seed=${seed}`, ...flags, CHILD, ...args],
  { encoding: 'utf8' });
}

function count(node, flags, seed, args) {
  const r = callgrind(['--callgrind-out-file=/dev/null'], node, flags, seed, args);
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`callgrind run failed (${args.join(' ')}):\n${r.stderr.slice(-2000)}`);
  return Number(m[1]);
}

function perOp(node, flags, seed, impl, c, live) {
  const ops = OPS[c];
  const base = count(node, flags, seed, [impl, c, String(live), '0']);
  const full = count(node, flags, seed, [impl, c, String(live), String(ops)]);
  return (full - base) / ops;
}

// One process, callgrind dumping at every window's start: returns the
// instructions of each dump in order (start-up + warm-up, then empty and
// N-op windows alternating, then the exit path).
function countWindows(node, flags, seed, args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-instr-'));
  try {
    const out = path.join(dir, 'cg.out');
    const r = callgrind([`--callgrind-out-file=${out}`, '--dump-before=*CPUUsage*'], node, flags, seed, args);
    if (r.status !== 0) throw new Error(`callgrind run failed (${args.join(' ')}):\n${r.stderr.slice(-2000)}`);
    const parts = fs.readdirSync(dir)
      .map((f) => ({ f, n: f === 'cg.out' ? Infinity : Number(/^cg\.out\.(\d+)$/.exec(f)?.[1]) }))
      .filter((p) => !Number.isNaN(p.n))
      .sort((x, y) => x.n - y.n);
    return parts.map(({ f }) => {
      const m = /^(?:summary|totals): (\d+)/m.exec(fs.readFileSync(path.join(dir, f), 'utf8'));
      if (!m) throw new Error(`no totals in callgrind dump ${f}`);
      return Number(m[1]);
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function windowPerOp(node, flags, seed, impl, c, live) {
  const ops = WINDOW_OPS[c];
  const dumps = countWindows(node, flags, seed, [impl, c, String(live), String(ops), String(opts.windows)]);
  // start-up + warm-up, K x (empty, full), exit
  if (dumps.length !== 2 * opts.windows + 2) throw new Error(`${impl} ${c}: ${dumps.length} callgrind dumps, expected ${2 * opts.windows + 2}`);
  const windows = dumps.slice(1, -1);
  const { empty, full } = windowsAfterFirst(windows);
  const limit = 1.5 * median(full);
  const kept = full.filter((v) => v <= limit);
  const mean = kept.reduce((x, y) => x + y, 0) / kept.length;
  return {
    perOp: (mean - median(empty)) / ops,
    outliers: full.length - kept.length,
    windows,
  };
}

// `windows` alternates (empty, full) K times; the first pair runs while
// the process is still settling and is left out of every figure.
function windowsAfterFirst(windows) {
  const empty = [];
  const full = [];
  for (let k = 2; k < windows.length; k += 2) { empty.push(windows[k]); full.push(windows[k + 1]); }
  return { empty, full };
}

// A count at or below zero is not the operations' cost: a garbage
// collection or compile landed in the zero-op process and not in the other
// (seen with fixed seeds for setTimeout, built-in: Node 22 -2,523 and
// Node 22 with frames -3,052 per callback). Such a sample is taken again with seeds no
// repetition uses (S + 100, S + 200), and the retry is reported.
function positivePerOp(node, flags, seed, impl, c, live) {
  for (let retry = 0; retry < 3; retry++) {
    const s = seed + retry * 100;
    const value = perOp(node, flags, s, impl, c, live);
    if (value > 0) return value;
    console.error(`  ${impl} ${c} live=${live} seed ${s}: ${value.toFixed(0)} per op, not a cost; counting again`);
  }
  throw new Error(`${impl} ${c} live=${live}: no positive count in three tries`);
}


const rows = [];
for (const id of opts.configs) {
  const { major, flags } = CONFIGS[id];
  const node = bins[major];
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  for (const c of opts.cases) {
    const lives = LIVE_CASES.has(c) ? opts.live : MANY_ONLY_CASES.has(c) ? opts.live.filter((n) => n > 1) : [1];
    for (const live of lives) {
      const samples = { builtin: [], ours: [] };
      const windowDetail = windowed(c) ? { builtin: [], ours: [] } : null;
      for (let r = 0; r < opts.repeat; r++) {
        for (const impl of r % 2 ? ['ours', 'builtin'] : ['builtin', 'ours']) {
          if (windowDetail) {
            const w = windowPerOp(node, flags, r + 1, impl, c, live);
            samples[impl].push(w.perOp);
            windowDetail[impl].push(w);
          } else {
            samples[impl].push(positivePerOp(node, flags, r + 1, impl, c, live));
          }
        }
      }
      const builtin = median(samples.builtin);
      const ours = median(samples.ours);
      const row = { config: id, node: `${version}${flags.length ? ` ${flags.join(' ')}` : ''}`, case: c, live, method: windowDetail ? 'window' : 'subtract', builtin, ours, ratio: builtin / ours, samples };
      if (windowDetail) row.windows = windowDetail;
      rows.push(row);
      console.error(`${row.node} ${c} live=${live}: built-in ${builtin.toFixed(0)}, ours ${ours.toFixed(0)}, ${row.ratio.toFixed(2)}x`);
      if (windowDetail) {
        for (const impl of ['builtin', 'ours']) {
          const perWindow = (w) => windowsAfterFirst(w.windows).full.map((v) => Math.round(v / WINDOW_OPS[c])).join(' ');
          console.error(`  ${impl} per op by window after the first: ${windowDetail[impl].map((w) => `${perWindow(w)}${w.outliers ? ` (${w.outliers} outlier)` : ''}`).join(' | ')}`);
        }
      }
    }
  }
}

const LABEL = {
  getStore: 'getStore() inside run', getStoreLast: 'getStore() of the last instance created, inside run',
  getStoreMixed: 'getStore() of the first and of the last instance created, inside run', run: 'run(store, noop)', runNested: 'run(store, () => run(store2, noop)), same instance', await: 'run() of an async fn awaiting 10 times',
  awaitInside: 'one await inside a context',
  setTimeout: 'setTimeout(0) callback reading the store', setImmediate: 'setImmediate callback reading the store',
  nextTick: 'process.nextTick callback reading the store',
};
const out = ['| node | case | live instances | built-in | ours | built-in/ours |', '| --- | --- | ---: | ---: | ---: | ---: |'];
for (const r of rows) {
  out.push(`| ${r.node} | ${LABEL[r.case]}${r.method === 'window' ? ' (windows)' : ''} | ${r.live} | ${Math.round(r.builtin).toLocaleString('en-US')} | ${Math.round(r.ours).toLocaleString('en-US')} | ${r.ratio.toFixed(2)}× |`);
}
console.log(`Instructions per operation (callgrind), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Ratios > 1: ours executes fewer.\n`);
console.log(out.join('\n'));
if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(rows, null, 2));
