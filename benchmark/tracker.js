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

const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

function parseArgs(argv) {
  const opts = { rounds: 7, iterations: 12, clock: 'cpu', json: null, child: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') opts.rounds = Number(argv[++i]);
    else if (a === '--iterations') opts.iterations = Number(argv[++i]);
    else if (a === '--clock') opts.clock = argv[++i];
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '--child') opts.child = { workload: argv[++i], config: argv[++i] };
    else if (a === '--help' || a === '-h') {
      console.log('usage: node benchmark/tracker.js [--rounds N] [--iterations N] [--clock cpu|wall] [--json file]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (opts.clock !== 'cpu' && opts.clock !== 'wall') throw new Error('--clock must be cpu or wall');
  return opts;
}
const opts = parseArgs(process.argv.slice(2));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

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

if (opts.child) {
  child(opts.child).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  parent();
}
