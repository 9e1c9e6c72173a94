#!/usr/bin/env node
'use strict';
// Overhead of trackResources() against an empty createHook with the same
// callbacks (the floor any async_hooks-based tracker pays), and against no
// hook at all, on promise-, timer- and immediate-heavy loops.
//
//   node benchmark/tracker.js [--rounds N] [--iterations N] [--clock cpu|wall] [--json file]
//
// Each sample is a child process running one (workload, configuration)
// pair: the hook or tracker is set up once, the workload runs
// `--iterations` times (the first third is warm-up) and the child reports
// the median ns per op of the rest. Samples are interleaved: every round
// runs every pair once, configurations in a rotated order; the table shows
// the median over rounds. Workloads run inside a request context
// (runWithRequestContext), as in a server; the tracker keeps its defaults
// (100,000-event timeline ring, request ids, callback timing). Flags given
// to node (e.g. --no-async-context-frame) are passed on to the children.
//
// Instructions mode (timings on a shared machine move by 40%; instruction
// counts by a few %):
//
//   node benchmark/tracker.js --instructions [--configs 20,22,22-frame,24,24-noframe,26,26-noframe]
//        [--workloads promises,timers,immediates] [--hooks empty-hook,tracker,...] [--reps N] [--ops N]
//        [--warmup N] [--json file]
//
// runs each (workload, configuration) child (benchmark/lib/
// tracker-instructions-child.js) under `valgrind --tool=callgrind
// --callgrind-out-file=/dev/null node --no-concurrent-recompilation
// --predictable` (V8's background GC and compiler threads otherwise move a
// 0-op count by ~10M instructions between runs; with it, ~30k) with
// N ops and with 0 ops (same set-up and warm-up), `--reps` times each
// (default 2), and reports (median instr(N) - median instr(0)) / N per op
// and tracker ÷ empty hook. One op: an async call awaiting 10 promises,
// one setTimeout(0), one setImmediate (N = 1,000, 10,000, 10,000; counts
// include the garbage collections the ops cause, so per-op figures move
// with N by a few hundred instructions; the timers workload also depends
// on wall-clock time, how many timers expire per loop turn under valgrind,
// and moves by thousands). The ops run after a warm-up (5,000 async calls,
// 20,000 timers or immediates) that lets V8 finish tiering up the hooks and
// Node's hook plumbing first: the overhead a long-running server pays. With
// shorter warm-ups TurboFan compiles inside the measured ops and callgrind
// counts it (per op at N = 10,000 immediates after 5,000, Node 24,
// 2026-11-30: 4,754 for the empty hook, 8,770 for the tracker; on Node 26
// after 300 async calls, 101,286 of the tracker's 259,736 per tracked
// promise op against 23,975 of the empty hook's 126,650). With these
// warm-ups none was left in the window where checked (Node 24 immediates,
// --trace-opt; Node 26 tracked promises and timers, callgrind_annotate:
// compiler functions 0 per op). `--warmup N` sets the
// warm-up ops of every workload. Node 20 is
// the system `node`; the others are found by scripts/node-majors.js (run
// it first to install them). Needs valgrind on PATH; children run one
// after another, 20–60 s each on a 2-core machine.

const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { median } = require('./lib/stats');

function parseArgs(argv) {
  const opts = { rounds: 7, iterations: 12, clock: 'cpu', json: null, child: null,
    instructions: false, configs: null, workloads: null, hooks: null, reps: 2, ops: null, warmup: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') opts.rounds = Number(argv[++i]);
    else if (a === '--iterations') opts.iterations = Number(argv[++i]);
    else if (a === '--clock') opts.clock = argv[++i];
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '--instructions') opts.instructions = true;
    else if (a === '--configs') opts.configs = argv[++i].split(',');
    else if (a === '--workloads') opts.workloads = argv[++i].split(',');
    else if (a === '--hooks') opts.hooks = argv[++i].split(',');
    else if (a === '--reps') opts.reps = Number(argv[++i]);
    else if (a === '--ops') opts.ops = Number(argv[++i]);
    else if (a === '--warmup') opts.warmup = Number(argv[++i]);
    else if (a === '--child') opts.child = { workload: argv[++i], config: argv[++i] };
    else if (a === '--help' || a === '-h') {
      console.log('usage: node benchmark/tracker.js [--rounds N] [--iterations N] [--clock cpu|wall] [--json file]\n' +
        '       node benchmark/tracker.js --instructions [--configs 20,24,...] [--workloads promises,timers,immediates] [--hooks empty-hook,tracker,...] [--reps N] [--ops N] [--warmup N] [--json file]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (opts.clock !== 'cpu' && opts.clock !== 'wall') throw new Error('--clock must be cpu or wall');
  return opts;
}
const opts = parseArgs(process.argv.slice(2));


// ---------------------------------------------------------------------------
// Child: one configuration, one workload.

const workloads = {
  // 2,000 async calls, each awaiting 10 resolved promises.
  promises: { ops: 2000, async run() {
    for (let i = 0; i < 2000; i++) await chain();
  } },
  // 5,000 setTimeout(0) scheduled at once.
  timers: { ops: 5000, run() {
    return new Promise((resolve) => {
      let left = 5000;
      const done = () => { if (--left === 0) resolve(); };
      for (let i = 0; i < 5000; i++) setTimeout(done, 0);
    });
  } },
  // 5,000 setImmediate scheduled at once.
  immediates: { ops: 5000, run() {
    return new Promise((resolve) => {
      let left = 5000;
      const done = () => { if (--left === 0) resolve(); };
      for (let i = 0; i < 5000; i++) setImmediate(done);
    });
  } },
};

async function chain() {
  let x = 0;
  for (let i = 0; i < 10; i++) x += await Promise.resolve(i);
  return x;
}

const noop = () => {};
const configs = {
  'none': () => noop,
  'empty-hook': () => emptyHook(false),
  'tracker': () => tracker(false),
  'empty-hook+promiseResolve': () => emptyHook(true),
  'tracker{promises}': () => tracker(true),
};
function emptyHook(promises) {
  const { createHook } = require('node:async_hooks');
  const callbacks = { init: noop, before: noop, after: noop, destroy: noop };
  if (promises) callbacks.promiseResolve = noop;
  const hook = createHook(callbacks).enable();
  return () => hook.disable();
}
function tracker(promises) {
  const t = require('../lib/tracker').trackResources({ promises });
  return () => t.stop();
}

function clock() {
  if (opts.clock === 'wall') return Number(process.hrtime.bigint()) / 1e3;
  const u = process.cpuUsage();
  return u.user + u.system; // microseconds
}

async function child({ workload, config }) {
  const { runWithRequestContext } = require('../lib/request');
  const w = workloads[workload];
  const stop = configs[config]();
  const times = [];
  for (let i = 0; i < opts.iterations; i++) {
    const t0 = clock();
    await runWithRequestContext({}, () => w.run());
    times.push(((clock() - t0) * 1000) / w.ops);
  }
  stop();
  const measured = times.slice(Math.floor(opts.iterations / 3));
  process.stdout.write(JSON.stringify({ ns: median(measured) }));
}

// ---------------------------------------------------------------------------
// Parent.

const pairs = [
  ['tracker', 'empty-hook'],
  ['tracker{promises}', 'empty-hook+promiseResolve'],
];

function sample(workload, config) {
  const out = execFileSync(process.execPath, [
    ...process.execArgv, __filename, '--child', workload, config,
    '--iterations', String(opts.iterations), '--clock', opts.clock,
  ], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(out).ns;
}

function parent() {
  const names = Object.keys(configs);
  const samples = {};
  for (const w of Object.keys(workloads)) {
    samples[w] = {};
    for (const c of names) samples[w][c] = [];
  }
  for (let r = 0; r < opts.rounds; r++) {
    for (const w of Object.keys(workloads)) {
      for (let k = 0; k < names.length; k++) {
        const c = names[(k + r) % names.length];
        samples[w][c].push(sample(w, c));
      }
    }
    process.stderr.write(`round ${r + 1}/${opts.rounds}\n`);
  }

  const result = { node: process.version, execArgv: process.execArgv, clock: opts.clock, rounds: opts.rounds, iterations: opts.iterations, workloads: {} };
  console.log(`Node ${process.version} ${process.execArgv.join(' ')} | clock ${opts.clock} | ${opts.rounds} rounds × ${opts.iterations} iterations, median ns per op`);
  console.log('');
  console.log(`| workload | ${names.join(' | ')} | ${pairs.map(([a, b]) => `${a} ÷ ${b}`).join(' | ')} |`);
  console.log(`| --- | ${names.map(() => '---:').join(' | ')} | ${pairs.map(() => '---:').join(' | ')} |`);
  for (const w of Object.keys(workloads)) {
    const med = {};
    for (const c of names) med[c] = median(samples[w][c]);
    const ratios = pairs.map(([a, b]) => med[a] / med[b]);
    result.workloads[w] = { median: med, samples: samples[w], ratios: Object.fromEntries(pairs.map(([a, b], i) => [`${a}/${b}`, ratios[i]])) };
    console.log(`| ${w} | ${names.map((c) => med[c].toFixed(0)).join(' | ')} | ${ratios.map((x) => `${x.toFixed(2)}×`).join(' | ')} |`);
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
}

// ---------------------------------------------------------------------------
// Instructions mode.

const NODE_CONFIGS = require('./lib/node-configs');
// Ops per count: promises = async calls of 10 awaits each.
const INSTRUCTION_OPS = { promises: 1000, timers: 10000, immediates: 10000 };

function instructionsMode() {
  const { spawnSync } = require('node:child_process');
  const path = require('node:path');
  const { resolveMajors } = require('../scripts/node-majors');
  const configIds = opts.configs || ['20', '24'];
  const workloadNames = opts.workloads || Object.keys(workloads);
  for (const id of configIds) if (!NODE_CONFIGS[id]) throw new Error(`unknown configuration ${id}`);
  for (const w of workloadNames) if (!workloads[w]) throw new Error(`unknown workload ${w}`);
  if (!(opts.reps >= 1)) throw new Error('--reps must be >= 1');
  if (opts.warmup !== null && !(Number.isInteger(opts.warmup) && opts.warmup >= 0)) throw new Error('--warmup must be an integer >= 0');
  const warmupArgs = opts.warmup === null ? [] : [String(opts.warmup)];
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.error('valgrind is not on PATH');
    process.exit(1);
  }
  const hookNames = opts.hooks || ['empty-hook', 'tracker', 'empty-hook+promiseResolve', 'tracker{promises}'];
  for (const c of hookNames) if (!configs[c]) throw new Error(`unknown hook configuration ${c}`);
  const bins = resolveMajors({ installMissing: false });
  const CHILD = path.join(__dirname, 'lib', 'tracker-instructions-child.js');
  const count = (node, flags, args) => {
    const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null',
      node, '--no-concurrent-recompilation', '--predictable', ...flags, CHILD, ...args],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    const m = /Collected : (\d+)/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`callgrind run failed (${args.join(' ')}):\n${r.stderr.slice(-2000)}`);
    return Number(m[1]);
  };
  const perOp = (node, flags, w, config) => {
    const ops = opts.ops || INSTRUCTION_OPS[w];
    const full = [];
    const base = [];
    for (let r = 0; r < opts.reps; r++) {
      base.push(count(node, flags, [w, config, '0', ...warmupArgs]));
      full.push(count(node, flags, [w, config, String(ops), ...warmupArgs]));
    }
    return { perOp: (median(full) - median(base)) / ops, ops, full, base };
  };
  const rows = [];
  for (const id of configIds) {
    const { major, flags } = NODE_CONFIGS[id];
    const node = bins[major];
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    const label = `${version}${flags.length ? ` ${flags.join(' ')}` : ''}`;
    for (const w of workloadNames) {
      const cell = {};
      for (const c of hookNames) {
        cell[c] = perOp(node, flags, w, c);
        process.stderr.write(`${label} ${w} ${c}: ${cell[c].perOp.toFixed(0)} instructions/op\n`);
      }
      const ratioOf = (a, b) => (cell[a] && cell[b] ? cell[a].perOp / cell[b].perOp : undefined);
      const row = { config: id, node: label, workload: w, warmup: opts.warmup ?? 'default', cells: cell,
        ratio: ratioOf('tracker', 'empty-hook'),
        ratioPromises: ratioOf('tracker{promises}', 'empty-hook+promiseResolve') };
      rows.push(row);
    }
  }
  const fmt = (c) => (c === undefined ? '–' : Math.round(c.perOp).toLocaleString('en-US'));
  const fmtRatio = (x) => (x === undefined ? '–' : `${x.toFixed(2)}×`);
  const warmupNote = opts.warmup === null ? 'warm-up 5,000 async calls / 20,000 timers or immediates' : `warm-up ${opts.warmup} ops`;
  console.log(`Instructions per op (callgrind, median of ${opts.reps} counts at N and at 0 ops, ${warmupNote}), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  console.log('');
  console.log('| node | workload | empty hook | tracker | ratio | empty hook + promiseResolve | tracker `{ promises: true }` | ratio |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const c = r.cells;
    console.log(`| ${r.node} | ${r.workload} | ${fmt(c['empty-hook'])} | ${fmt(c.tracker)} | ${fmtRatio(r.ratio)} | ` +
      `${fmt(c['empty-hook+promiseResolve'])} | ${fmt(c['tracker{promises}'])} | ${fmtRatio(r.ratioPromises)} |`);
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(rows, null, 2) + '\n');
}

if (opts.instructions) {
  instructionsMode();
} else if (opts.child) {
  child(opts.child).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  parent();
}
