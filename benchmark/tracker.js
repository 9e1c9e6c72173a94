#!/usr/bin/env node
'use strict';
// Overhead of trackResources() against an empty createHook with the same
// callbacks (the floor any async_hooks-based tracker pays), and against no
// hook at all, on promise-, timer- and nextTick-heavy loops.
//
//   node --expose-gc benchmark/tracker.js [--rounds N] [--clock cpu|wall] [--json file]
//
// Everything runs in this one process, interleaved: each round runs every
// (workload, configuration) pair once, in a rotated order, and the median
// over rounds is reported. Workloads run inside a request context
// (runWithRequestContext), as they would in a server. The tracker is
// created fresh for every sample and stopped after it (its final drain is
// inside the timed region, so batching costs are counted).

const fs = require('node:fs');
const { createHook } = require('node:async_hooks');
const { trackResources } = require('../lib/tracker');
const { runWithRequestContext } = require('../lib/request');

function parseArgs(argv) {
  const opts = { rounds: 15, clock: 'cpu', json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') opts.rounds = Number(argv[++i]);
    else if (a === '--clock') opts.clock = argv[++i];
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: node --expose-gc benchmark/tracker.js [--rounds N] [--clock cpu|wall] [--json file]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (opts.clock !== 'cpu' && opts.clock !== 'wall') throw new Error('--clock must be cpu or wall');
  return opts;
}
const opts = parseArgs(process.argv.slice(2));

function clock() {
  if (opts.clock === 'wall') return Number(process.hrtime.bigint()) / 1e3;
  const u = process.cpuUsage();
  return u.user + u.system; // microseconds
}

// ---------------------------------------------------------------------------
// Workloads: each returns the number of operations it performed.

async function chain() {
  let x = 0;
  for (let i = 0; i < 10; i++) x += await Promise.resolve(i);
  return x;
}

const workloads = {
  // 2,000 async calls, each awaiting 10 resolved promises.
  async promises() {
    for (let i = 0; i < 2000; i++) await chain();
    return 2000;
  },
  // 5,000 setTimeout(0) scheduled at once.
  timers() {
    return new Promise((resolve) => {
      let left = 5000;
      const done = () => { if (--left === 0) resolve(5000); };
      for (let i = 0; i < 5000; i++) setTimeout(done, 0);
    });
  },
  // 5,000 setImmediate scheduled at once.
  immediates() {
    return new Promise((resolve) => {
      let left = 5000;
      const done = () => { if (--left === 0) resolve(5000); };
      for (let i = 0; i < 5000; i++) setImmediate(done);
    });
  },
};

// ---------------------------------------------------------------------------
// Configurations: start() returns stop().

const noop = () => {};
function emptyHook(promises) {
  return () => {
    const callbacks = { init: noop, before: noop, after: noop, destroy: noop };
    if (promises) callbacks.promiseResolve = noop;
    const hook = createHook(callbacks).enable();
    return () => hook.disable();
  };
}
function tracker(promises) {
  return () => {
    const t = trackResources({ promises });
    return () => t.stop();
  };
}

const configs = {
  'none': () => noop,
  'empty-hook': emptyHook(false),
  'tracker': tracker(false),
  'empty-hook+promiseResolve': emptyHook(true),
  'tracker{promises}': tracker(true),
};

// Which pairs are compared (tracker ÷ empty hook with the same callbacks).
const pairs = [
  ['tracker', 'empty-hook'],
  ['tracker{promises}', 'empty-hook+promiseResolve'],
];

async function sample(workload, config) {
  if (global.gc) global.gc();
  const stop = configs[config]();
  let ops;
  const t0 = clock();
  await runWithRequestContext({}, async () => { ops = await workloads[workload](); });
  stop();
  const t1 = clock();
  return ((t1 - t0) * 1000) / ops; // ns per op
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
  if (!global.gc) console.error('note: run with --expose-gc for a GC between samples');
  const names = Object.keys(configs);
  const samples = {};
  for (const w of Object.keys(workloads)) {
    samples[w] = {};
    for (const c of names) samples[w][c] = [];
    // Warm-up: one sample per configuration, discarded.
    for (const c of names) await sample(w, c);
  }
  for (let r = 0; r < opts.rounds; r++) {
    for (const w of Object.keys(workloads)) {
      for (let k = 0; k < names.length; k++) {
        const c = names[(k + r) % names.length];
        samples[w][c].push(await sample(w, c));
      }
    }
  }

  const result = { node: process.version, execArgv: process.execArgv, clock: opts.clock, rounds: opts.rounds, workloads: {} };
  console.log(`Node ${process.version} ${process.execArgv.join(' ')} | clock ${opts.clock} | ${opts.rounds} rounds, median ns per op`);
  console.log('');
  console.log(`| workload | ${names.join(' | ')} | ${pairs.map(([a, b]) => `${a} ÷ ${b}`).join(' | ')} |`);
  console.log(`| --- | ${names.map(() => '---:').join(' | ')} | ${pairs.map(() => '---:').join(' | ')} |`);
  for (const w of Object.keys(workloads)) {
    const med = {};
    for (const c of names) med[c] = median(samples[w][c]);
    const ratios = pairs.map(([a, b]) => med[a] / med[b]);
    result.workloads[w] = { median: med, ratios: Object.fromEntries(pairs.map(([a, b], i) => [`${a}/${b}`, ratios[i]])) };
    console.log(`| ${w} | ${names.map((c) => med[c].toFixed(0)).join(' | ')} | ${ratios.map((x) => `${x.toFixed(2)}×`).join(' | ')} |`);
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
