#!/usr/bin/env node
'use strict';
// Micro benchmarks: node:async_hooks AsyncLocalStorage (built-in) vs
// fast-async-hooks (ours) vs cls-hooked, on the Node running this script
// (flags such as --no-async-context-frame are passed on to every child).
//
//   node benchmark/micro.js [--json <file>] [--quick] [--rounds N] [--only <regex>] [--clock cpu|wall]
//
// --clock cpu (default) times with the CPU time of the child process (all
// its threads), so time spent waiting for a core on a shared machine is not
// counted; --clock wall uses process.hrtime.
//
// This process only drives: every case runs in child processes
// (benchmark/lib/micro-child.js) so no implementation's hooks or instances
// leak into another's measurement. See benchmark/README.md for what each
// case measures and how it is isolated.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { median, ratio } = require('./lib/stats');
const { microTable } = require('./lib/report');

const CHILD = path.join(__dirname, 'lib', 'micro-child.js');

function parseArgs(argv) {
  const opts = { json: null, quick: false, rounds: null, only: null, quiet: false, clock: 'cpu' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = argv[++i];
    else if (a === '--quick') opts.quick = true;
    else if (a === '--rounds') opts.rounds = Number(argv[++i]);
    else if (a === '--only') opts.only = new RegExp(argv[++i]);
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--clock') {
      opts.clock = argv[++i];
      if (opts.clock !== 'cpu' && opts.clock !== 'wall') throw new Error('--clock must be cpu or wall');
    }
    else if (a === '--help' || a === '-h') {
      console.log('usage: node benchmark/micro.js [--json <file>] [--quick] [--rounds N] [--only <regex>] [--clock cpu|wall] [--quiet]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const log = (...args) => { if (!opts.quiet) console.error(...args); };

// Round counts (each round = one sample per implementation).
const R = {
  syncRounds: opts.rounds || (opts.quick ? 3 : 5), // child processes per implementation
  asyncRounds: opts.rounds || (opts.quick ? 3 : 5), // child processes per implementation
  memoryRounds: opts.rounds || (opts.quick ? 2 : 3),
};

function runChild(spec, extraFlags = []) {
  spec = { ...spec, clock: opts.clock };
  const out = execFileSync(process.execPath,
    [...process.execArgv, ...extraFlags, CHILD, JSON.stringify(spec)],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

// Every case: { id, group, title, unit, impls, samples: { impl: [..] } }
const cases = [];
function addCase(id, group, title, unit, impls) {
  const c = { id, group, title, unit, impls, samples: Object.fromEntries(impls.map((i) => [i, []])) };
  if (!opts.only || opts.only.test(id)) cases.push(c);
  return c;
}

// ---------------------------------------------------------------- cases ---

const SYNC = [
  { id: 'getStore-in-1', case: 'getStore-in', live: 1, title: 'getStore() inside run, 1 live instance' },
  { id: 'getStore-in-10', case: 'getStore-in', live: 10, title: 'getStore() inside run, 10 live instances' },
  { id: 'getStore-out', case: 'getStore-out', live: 0, title: 'getStore() outside any context' },
  { id: 'run-1', case: 'run', live: 1, title: 'run() with 1 live instance' },
  { id: 'run-5', case: 'run', live: 5, title: 'run() with 5 live instances' },
  { id: 'run-10', case: 'run', live: 10, title: 'run() with 10 live instances' },
];
for (const s of SYNC) s.c = addCase(s.id, 'sync', s.title, 'ns/op', ['builtin', 'ours', 'cls']);

const AWAIT = [1, 5, 10].map((live) => ({
  live,
  c: addCase(`await-${live}`, 'await', `async fn awaiting 10 resolved promises, ${live} live instance${live > 1 ? 's' : ''}`,
    'ns/op', ['none', 'builtin', 'ours', 'cls']),
}));

const TIMER_KINDS = ['setTimeout', 'setImmediate', 'nextTick'];
const TIMERS = TIMER_KINDS.map((kind) => ({
  kind,
  c: addCase(`timers-${kind}`, 'timers', `${kind === 'setTimeout' ? 'setTimeout(0)' : kind === 'nextTick' ? 'process.nextTick' : 'setImmediate'} callback inside a context (per callback)`,
    'ns/op', ['none', 'builtin', 'ours', 'cls']),
}));

const MEMORY_COUNT = 10000;
const memoryCase = addCase('memory-10k', 'memory',
  `heap retained per in-flight context (${MEMORY_COUNT.toLocaleString('en-US')} pending async fns, each in its own run())`,
  'bytes', ['none', 'builtin', 'ours', 'cls']);

// ----------------------------------------------------------------- run ----

function rotate(list, r) {
  return list.map((_, k) => list[(k + r) % list.length]);
}

const started = Date.now();

// Sync cases: one child per implementation per case per round.
const syncTodo = SYNC.filter((s) => cases.includes(s.c));
for (let r = 0; r < R.syncRounds; r++) {
  log(`sync round ${r + 1}/${R.syncRounds}`);
  for (const s of syncTodo) {
    for (const impl of rotate(s.c.impls, r)) {
      const res = runChild({ kind: 'sync', impl, case: s.case, live: s.live, samples: 3, sampleMs: opts.quick ? 10 : 15, warmupMs: opts.quick ? 60 : 120 });
      s.c.samples[impl].push(median(res.samples));
    }
  }
}

// Await and timer cases: one child per implementation per round, the
// implementations interleaved (rotated start) across rounds.
const awaitTodo = AWAIT.filter((a) => cases.includes(a.c));
for (let r = 0; r < R.asyncRounds; r++) {
  for (const a of awaitTodo) {
    log(`await ${a.live} live, round ${r + 1}/${R.asyncRounds}`);
    for (const impl of rotate(a.c.impls, r)) {
      const res = runChild({ kind: 'await', impl, live: a.live, samples: 3, sampleMs: opts.quick ? 20 : 30, warmupMs: opts.quick ? 60 : 100 });
      a.c.samples[impl].push(median(res.samples));
    }
  }
}

const timerTodo = TIMERS.filter((t) => cases.includes(t.c));
if (timerTodo.length) {
  for (let r = 0; r < R.asyncRounds; r++) {
    log(`timers round ${r + 1}/${R.asyncRounds}`);
    for (const impl of rotate(['none', 'builtin', 'ours', 'cls'], r)) {
      const res = runChild({ kind: 'timers', impl, kinds: timerTodo.map((t) => t.kind), batch: 10000, samples: 3, sampleMs: opts.quick ? 15 : 25, warmupMs: opts.quick ? 30 : 60 });
      for (const t of timerTodo) t.c.samples[impl].push(median(res.samples[t.kind]));
    }
  }
}

if (cases.includes(memoryCase)) {
  for (let r = 0; r < R.memoryRounds; r++) {
    log(`memory round ${r + 1}/${R.memoryRounds}`);
    for (const impl of rotate(memoryCase.impls, r)) {
      const res = runChild({ kind: 'memory', impl, count: MEMORY_COUNT }, ['--expose-gc']);
      memoryCase.samples[impl].push(res.samples[0]);
    }
  }
}

// -------------------------------------------------------------- report ----

const oursIsBuiltin = (() => {
  try {
    return execFileSync(process.execPath, [...process.execArgv, '-p',
      `require(${JSON.stringify(path.join(__dirname, '..'))}).AsyncLocalStorage === require('node:async_hooks').AsyncLocalStorage`],
    { encoding: 'utf8' }).trim() === 'true';
  } catch { return null; }
})();

for (const c of cases) {
  c.median = Object.fromEntries(Object.entries(c.samples).map(([k, v]) => [k, median(v)]));
  const m = c.median;
  c.builtinOverOurs = ratio(m.builtin, m.ours);
  c.clsOverOurs = ratio(m.cls, m.ours);
  c.oursOverNone = ratio(m.ours, m.none);
  c.builtinOverNone = ratio(m.builtin, m.none);
  if (c.group === 'memory') {
    // bytes the context itself costs, on top of the same code without ALS
    c.overheadBytes = Object.fromEntries(['builtin', 'ours', 'cls'].map((k) => [k, m[k] != null && m.none != null ? m[k] - m.none : null]));
  }
}

const gitRev = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: __dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch { return null; }
})();

const result = {
  tool: 'benchmark/micro.js',
  date: new Date().toISOString(),
  node: process.version,
  flags: process.execArgv,
  platform: `${process.platform}-${process.arch}`,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0] && os.cpus()[0].model,
  loadavg: os.loadavg(),
  gitRev,
  oursIsBuiltin,
  seconds: (Date.now() - started) / 1000,
  clock: opts.clock,
  rounds: R,
  cases,
};

const flagText = process.execArgv.length ? ` ${process.execArgv.join(' ')}` : '';
console.log(`\nfast-async-hooks micro benchmarks - node ${process.version}${flagText} - ${result.date}`);
console.log(`ns/op of ${opts.clock === 'cpu' ? 'process CPU time' : 'wall time'} (bytes for memory), medians; ratios > 1 mean ours is faster/smaller. load avg ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ${result.seconds.toFixed(0)} s\n`);
if (oursIsBuiltin) console.log('NOTE: fast-async-hooks still re-exports the built-in AsyncLocalStorage; "ours" measures the built-in again.\n');
console.log(microTable(result));

if (opts.json) {
  fs.mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
  fs.writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
  log(`\nwrote ${opts.json}`);
}

