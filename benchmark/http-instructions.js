#!/usr/bin/env node
'use strict';
// Server-side instructions per HTTP request, counted by valgrind's callgrind:
// the Express and Koa servers of benchmark/http.js (benchmark/lib/http-server.js,
// unchanged per-request work: middleware enters `instances` stores, two
// awaits, every store read, one pino line with the trace id) with the
// built-in AsyncLocalStorage vs ours, on every configured Node. A
// deterministic complement to http.js, whose requests/s ratios move by
// 10-20% between runs on a shared 2-core machine.
//
// Method. The server runs under `valgrind --tool=callgrind` with
// FAH_HTTP_EXIT_AFTER=<n>: it exits as soon as its n-th response is on the
// socket, and callgrind prints the instructions it collected. This driver
// (outside valgrind, so its own work is not counted) sends requests one after
// another over ONE keep-alive connection to 127.0.0.1 with a plain node:http
// Agent, and checks every response carries its own request id. Sequential
// requests on one connection make every process do the same work in the same
// order. The server runs with --no-concurrent-recompilation so optimizing
// compiles happen on the main thread at the same request every time, as in
// benchmark/instructions.js.
//
// --mode ctl (default): valgrind starts with --instr-atstart=no, so start-up
// and W warm-up requests (default 2000) run uninstrumented (~5x slowdown
// instead of ~50x); then `callgrind_control -i on <pid>` switches counting
// on. Callgrind reads that command only while the server executes guest
// code (an idle server sits in epoll_wait), so the driver sends it, then 3
// "nudge" requests, and requires the acknowledgement before the last one.
// Each count is
//
//     (instructions of a server doing W + 3 + N requests − one doing W + 3) / N
//
// with instrumentation switched on the same way in both, so the partly
// counted first nudge and the exit path cancel out (up to the point in the
// first nudge where counting starts: at most one request, 1/N of the
// result).
//
// --mode subtract (the first version, no callgrind_control): everything is
// instrumented and each count is (W + N requests − W requests) / N, default
// W = 200. Its flaw, found with --trace-opt: V8 keeps tiering functions up
// to Turbofan for thousands of requests (~17 compiles between requests 200
// and 500, still ~15 per 1000 requests after 2000, Express, Node 20), so
// with W = 200 ~400,000 instructions of each request's count were the
// optimizing compiler and IC warm-up, and run-to-run spread was up to 15%
// on Node 22 (Maglev). With W = 2000 under --mode ctl the same cell (Express,
// built-in, 5 instances, Node 20) counts ~800,000 instead of ~1,460,000, and
// the compiler's share falls to ~130,000 (callgrind_annotate of kept files).
// A larger W in subtract mode would cost ~1 min of valgrind per 40 requests.
//
// Every cell is measured --repeat times (default 2; built-in and ours
// alternating) and the median is reported with the range.
//
//   node benchmark/http-instructions.js [--configs 20,22,22-frame,24,24-noframe,26,26-noframe]
//        [--frameworks express,koa] [--instances 1,5] [--impls builtin,ours]
//        [--mode ctl|subtract] [--warmup W] [--requests N] [--repeat n] [--json file] [--keep dir]
//
// --impls may include `none` (no context at all, see benchmark/lib/impls.js)
// as a floor: built-in − none is what context propagation costs per request;
// and `emptyhook` (none plus an init hook doing nothing): on promise-hook
// Nodes, the floor of any AsyncLocalStorage that propagates through
// async_hooks, as the built-in and ours do there.
// --keep dir keeps the callgrind output files of every run
// (<dir>/callgrind.<config>.<framework>.<impl>.<instances>.r<repeat>.{base,full}.out)
// for benchmark/lib/http-instructions-annotate.js.
//
// Instructions are a proxy for CPU cost per request, not a requests/s
// measurement: they ignore cache misses, branch mispredictions, the kernel's
// share of the work and the client's. Ratio built-in/ours > 1 means ours
// executes fewer instructions per request (more requests/s when the server
// is CPU-bound on the JS thread).
//
// Needs `valgrind` and `callgrind_control` on PATH. Time (--mode ctl,
// defaults): a (0, N) pair of runs takes ~40-70 s on the idle 2-core
// machine; a configuration is 2 frameworks x 2 instance counts x 2 impls x
// 2 repeats = 16 pairs, ~15-25 min.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { resolveMajors } = require('../scripts/node-majors');
const { createCounter, get } = require('./lib/callgrind-server');
const { median } = require('./lib/stats');

const CONFIGS = require('./lib/node-configs');
const SERVER = path.join(__dirname, 'lib', 'http-server.js');

const opts = {
  configs: Object.keys(CONFIGS), frameworks: ['express', 'koa'], instances: [1, 5], impls: ['builtin', 'ours'],
  mode: 'ctl', warmup: null, requests: null, repeat: 2, json: null, keep: null,
};
// Baselines with no context, hence no request id in the response.
const CONTEXTLESS = ['none', 'emptyhook'];
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--configs') opts.configs = argv[++i].split(',');
  else if (a === '--frameworks') opts.frameworks = argv[++i].split(',');
  else if (a === '--instances') opts.instances = argv[++i].split(',').map(Number);
  else if (a === '--impls') opts.impls = argv[++i].split(',');
  else if (a === '--warmup') opts.warmup = Number(argv[++i]);
  else if (a === '--mode') opts.mode = argv[++i];
  else if (a === '--requests') opts.requests = Number(argv[++i]);
  else if (a === '--repeat') opts.repeat = Number(argv[++i]);
  else if (a === '--json') opts.json = argv[++i];
  else if (a === '--keep') opts.keep = argv[++i]; // directory: keep every callgrind output file
  else if (a === '--help' || a === '-h') {
    console.log('usage: node benchmark/http-instructions.js [--configs 20,22,...] [--frameworks express,koa] [--instances 1,5] [--impls builtin,ours] [--mode ctl|subtract] [--warmup W] [--requests N] [--repeat n] [--json file] [--keep dir]');
    process.exit(0);
  } else throw new Error(`unknown argument ${a}`);
}
for (const id of opts.configs) if (!CONFIGS[id]) throw new Error(`unknown configuration ${id}`);
for (const f of opts.frameworks) if (f !== 'express' && f !== 'koa') throw new Error(`unknown framework ${f}`);
for (const impl of opts.impls) if (!['builtin', 'ours', ...CONTEXTLESS].includes(impl)) throw new Error(`unknown impl ${impl}`);
if (opts.mode !== 'ctl' && opts.mode !== 'subtract') throw new Error('--mode must be ctl or subtract');
if (opts.warmup === null) opts.warmup = opts.mode === 'ctl' ? 2000 : 200;
// ctl: 3,000 counted requests hold ~8 scavenges (one per 300-400 requests,
// ~13 M instructions each); with 300 a window held 0 or 1 and two counts of
// a cell differed by up to 15% (see benchmark/README.md).
if (opts.requests === null) opts.requests = opts.mode === 'ctl' ? 3000 : 300;
if (!(opts.warmup >= 1 && opts.warmup <= 5000)) throw new Error('--warmup must be 1..5000');
if (!(opts.requests >= 1 && opts.requests <= 5000)) throw new Error('--requests must be 1..5000');
if (!(opts.repeat >= 1 && opts.repeat <= 5)) throw new Error('--repeat must be 1..5');
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not on PATH (apt-get install valgrind)');
  process.exit(1);
}

const bins = resolveMajors({ installMissing: false });
const counter = createCounter(opts);
process.on('exit', counter.cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { counter.cleanup(); process.exit(130); });

function server(node, flags, framework, impl, instances) {
  return {
    node,
    args: [...flags, SERVER, framework, impl, String(instances)],
    env: {},
    label: `${framework} ${impl} ${instances}`,
    async request(agent, port, i) {
      const id = `r${i}`;
      const r = await get(agent, port, '/', { 'x-request-id': id });
      let got;
      try { got = JSON.parse(r.body).id; } catch { got = undefined; }
      // The context-less baselines have no request id to give back.
      if (r.status !== 200 || (!CONTEXTLESS.includes(impl) && got !== id)) throw new Error(`${framework}/${impl}: request ${id} got ${r.status} ${r.body}`);
    },
  };
}

async function main() {
  const started = Date.now();
  if (opts.keep) fs.mkdirSync(opts.keep, { recursive: true });
  const rows = [];
  for (const id of opts.configs) {
    const { major, flags } = CONFIGS[id];
    const node = bins[major];
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    for (const framework of opts.frameworks) {
      for (const instances of opts.instances) {
        const samples = Object.fromEntries(opts.impls.map((impl) => [impl, []]));
        for (let r = 0; r < opts.repeat; r++) {
          const order = r % 2 ? [...opts.impls].reverse() : opts.impls;
          for (const impl of order) {
            const keepAs = opts.keep ? path.join(opts.keep, `callgrind.${id}.${framework}.${impl}.${instances}.r${r + 1}`) : null;
            const s = await counter.perRequest(server(node, flags, framework, impl, instances), keepAs);
            samples[impl].push(s);
            console.error(`  ${version} ${framework} ${impl} x${instances} #${r + 1}: ${s.perRequest.toFixed(0)} instr/request (W ${s.base}, W+N ${s.full}; ${((Date.now() - started) / 60000).toFixed(1)} min)`);
          }
        }
        const row = {
          config: id, node: `${version}${flags.length ? ` ${flags.join(' ')}` : ''}`, framework, instances,
          mode: opts.mode, warmup: opts.warmup, requests: opts.requests,
        };
        for (const impl of opts.impls) {
          row[impl] = median(samples[impl].map((s) => s.perRequest));
          row[`${impl}Samples`] = samples[impl];
        }
        if (row.builtin !== undefined && row.ours !== undefined) row.ratio = row.builtin / row.ours;
        rows.push(row);
        console.error(`${row.node} ${framework} x${instances}: ${opts.impls.map((impl) => `${impl} ${row[impl].toFixed(0)}`).join(', ')}${row.ratio ? `, built-in/ours ${row.ratio.toFixed(3)}x` : ''}`);
      }
    }
  }

  const fmt = (v) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
  const spread = (ss) => {
    if (!ss || ss.length < 2) return '';
    const v = ss.map((s) => s.perRequest);
    return ` (${fmt(Math.min(...v))}–${fmt(Math.max(...v))})`;
  };
  const extra = opts.impls.filter((i) => i !== 'builtin' && i !== 'ours');
  const head = ['node', 'framework', 'instances', 'built-in', 'ours', 'built-in/ours', ...extra];
  const out = [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i < 2 ? '---' : '---:')).join(' | ')} |`];
  for (const r of rows) {
    out.push(`| ${[r.node, r.framework, r.instances, fmt(r.builtin) + spread(r.builtinSamples), fmt(r.ours) + spread(r.oursSamples),
      r.ratio ? `${r.ratio.toFixed(3)}×` : '–', ...extra.map((e) => fmt(r[e]) + spread(r[`${e}Samples`]))].join(' | ')} |`);
  }
  const how = opts.mode === 'ctl'
    ? `${opts.warmup} uninstrumented warm-up requests, then (N=${opts.requests} counted requests − 0) / N`
    : `(W=${opts.warmup} + N=${opts.requests} requests − W) / N, all instrumented`;
  console.log(`Server instructions per HTTP request (callgrind; ${how}; sequential keep-alive requests, median of ${opts.repeat}, range in parentheses), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Ratios > 1: ours executes fewer.\n`);
  console.log(out.join('\n'));
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(rows, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
