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
// socket, and callgrind prints the instructions of the whole process. This
// driver (outside valgrind, so its own work is not counted) sends requests
// one after another over ONE keep-alive connection to 127.0.0.1 with a plain
// node:http Agent, and checks every response carries its own request id.
// Each count is
//
//     (instructions of a server doing W + N requests − one doing W) / N
//
// with the same warm-up W in both processes, so start-up, module loading,
// the first (interpreted, then compiled) requests and the exit path cancel
// out; what is left is the steady-state cost of a request. Sequential
// requests on one connection make both processes do the same work in the
// same order (no accept/parse interleaving that depends on timing). The
// server runs with --no-concurrent-recompilation so optimizing compiles land
// on the main thread in the same place both times, as in
// benchmark/instructions.js. Why not `callgrind_control -z`/`--dump-instr`
// around the N requests: callgrind only reads control commands when the
// process is running guest code, and an idle server sits in epoll_wait, so
// zero/dump points would depend on timing; the subtraction needs nothing but
// the final total. Every cell is measured --repeat times (default 2;
// built-in and ours alternating) and the median is reported.
//
//   node benchmark/http-instructions.js [--configs 20,22,22-frame,24,24-noframe,26,26-noframe]
//        [--frameworks express,koa] [--instances 1,5] [--impls builtin,ours]
//        [--warmup W] [--requests N] [--repeat n] [--json file] [--keep dir]
//
// --impls may include `none` (no context at all, see benchmark/lib/impls.js)
// as a floor: built-in − none is what context propagation costs per request.
// --keep dir keeps the callgrind output files of the first repeat of every
// cell (<dir>/callgrind.<config>.<framework>.<impl>.<instances>.{base,full}.out).
//
// Instructions are a proxy for CPU cost per request, not a requests/s
// measurement: they ignore cache misses, branch mispredictions, the kernel's
// share of the work and the client's. Ratio built-in/ours > 1 means ours
// executes fewer instructions per request (more requests/s when the server
// is CPU-bound on the JS thread).
//
// Defaults W = 200, N = 300: under callgrind a server's start-up alone is
// ~1.0-1.3 G instructions (~1 min of a shared core) and a request ~1.3-1.5 M,
// so a run's time is mostly start-up; by request 200 the per-request count
// has settled (W = 100 and W = 200 gave 1.345 M and 1.314 M for Express,
// built-in, 1 instance, Node 20), and N = 300 puts ~0.4 G of request work
// between the two runs, against a run-to-run jitter of a few M.
//
// Needs `valgrind` on PATH. Time: each (W, W + N) pair of runs takes ~1.5-2.5
// min on the shared 2-core machine; a configuration with the defaults is
// 2 frameworks x 2 instance counts x 2 impls x 2 repeats = 16 pairs, ~25-35 min.

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { resolveMajors } = require('../scripts/node-majors');

const CONFIGS = {
  20: { major: 20, flags: [] },
  22: { major: 22, flags: [] },
  '22-frame': { major: 22, flags: ['--experimental-async-context-frame'] },
  24: { major: 24, flags: [] },
  '24-noframe': { major: 24, flags: ['--no-async-context-frame'] },
  26: { major: 26, flags: [] },
  '26-noframe': { major: 26, flags: ['--no-async-context-frame'] },
};
const SERVER = path.join(__dirname, 'lib', 'http-server.js');
const RUN_TIMEOUT_MS = 10 * 60 * 1000; // per valgrind run
const REQUEST_TIMEOUT_MS = 60 * 1000; // per request (valgrind is ~50x slower)

const opts = {
  configs: Object.keys(CONFIGS), frameworks: ['express', 'koa'], instances: [1, 5], impls: ['builtin', 'ours'],
  warmup: 200, requests: 300, repeat: 2, json: null, keep: null,
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--configs') opts.configs = argv[++i].split(',');
  else if (a === '--frameworks') opts.frameworks = argv[++i].split(',');
  else if (a === '--instances') opts.instances = argv[++i].split(',').map(Number);
  else if (a === '--impls') opts.impls = argv[++i].split(',');
  else if (a === '--warmup') opts.warmup = Number(argv[++i]);
  else if (a === '--requests') opts.requests = Number(argv[++i]);
  else if (a === '--repeat') opts.repeat = Number(argv[++i]);
  else if (a === '--json') opts.json = argv[++i];
  else if (a === '--keep') opts.keep = argv[++i]; // directory: keep the callgrind output files of the first repeat
  else if (a === '--help' || a === '-h') {
    console.log('usage: node benchmark/http-instructions.js [--configs 20,22,...] [--frameworks express,koa] [--instances 1,5] [--impls builtin,ours] [--warmup W] [--requests N] [--repeat n] [--json file] [--keep dir]');
    process.exit(0);
  } else throw new Error(`unknown argument ${a}`);
}
for (const id of opts.configs) if (!CONFIGS[id]) throw new Error(`unknown configuration ${id}`);
for (const f of opts.frameworks) if (f !== 'express' && f !== 'koa') throw new Error(`unknown framework ${f}`);
for (const impl of opts.impls) if (!['builtin', 'ours', 'none'].includes(impl)) throw new Error(`unknown impl ${impl}`);
if (!(opts.warmup >= 1 && opts.warmup <= 5000)) throw new Error('--warmup must be 1..5000');
if (!(opts.requests >= 1 && opts.requests <= 5000)) throw new Error('--requests must be 1..5000');
if (!(opts.repeat >= 1 && opts.repeat <= 5)) throw new Error('--repeat must be 1..5');
if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('valgrind is not on PATH (apt-get install valgrind)');
  process.exit(1);
}

const bins = resolveMajors({ installMissing: false });
const live = new Set();
const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-http-instr-'));
function cleanup() {
  for (const c of live) { try { c.kill('SIGKILL'); } catch {} }
  try { fs.rmSync(tmpdir, { recursive: true, force: true }); } catch {}
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { cleanup(); process.exit(130); });

function get(agent, port, id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent, headers: { 'x-request-id': id } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('request timeout')));
  });
}

// Starts the server under callgrind, sends `total` sequential requests,
// waits for it to exit; returns the collected instruction count.
function count(node, flags, framework, impl, instances, total, outFile) {
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`,
      node, '--no-concurrent-recompilation', ...flags, SERVER, framework, impl, String(instances)], {
      env: { ...process.env, NODE_OPTIONS: '', FAH_HTTP_EXIT_AFTER: String(total) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    let started = false;
    let failed = null;
    const timer = setTimeout(() => { failed = new Error('valgrind run timed out'); child.kill('SIGKILL'); }, RUN_TIMEOUT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (started || nl < 0) return;
      started = true;
      const { port } = JSON.parse(stdout.slice(0, nl));
      drive(port, total, framework, impl).catch((err) => { failed = err; child.kill('SIGKILL'); });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      live.delete(child);
      const m = /Collected : (\d+)/.exec(stderr);
      if (failed) reject(failed);
      else if (code !== 0 || !m) reject(new Error(`callgrind run failed (${framework} ${impl} ${instances} x${total}, exit ${code}):\n${stderr.slice(-2000)}`));
      else resolve(Number(m[1]));
    });
  });
}

async function drive(port, total, framework, impl) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < total; i++) {
      const id = `r${i}`;
      const r = await get(agent, port, id);
      let got;
      try { got = JSON.parse(r.body).id; } catch { got = undefined; }
      // impl 'none' (no context at all) has no request id to give back.
      if (r.status !== 200 || (impl !== 'none' && got !== id)) throw new Error(`${framework}/${impl}: request ${id} got ${r.status} ${r.body}`);
    }
  } finally {
    agent.destroy();
  }
}

// keepAs: a path prefix; when given, the callgrind output files of both runs
// are kept as <keepAs>.base.out (W requests) and <keepAs>.full.out (W + N),
// e.g. for `callgrind_annotate --inclusive=yes` on each and a per-function
// subtraction.
async function perRequest(node, flags, framework, impl, instances, keepAs) {
  const tmp = path.join(tmpdir, 'callgrind.out');
  const base = await count(node, flags, framework, impl, instances, opts.warmup, keepAs ? `${keepAs}.base.out` : tmp);
  const full = await count(node, flags, framework, impl, instances, opts.warmup + opts.requests, keepAs ? `${keepAs}.full.out` : tmp);
  fs.rmSync(tmp, { force: true });
  return { base, full, perRequest: (full - base) / opts.requests };
}

function median(values) {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
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
            const keepAs = opts.keep && r === 0 ? path.join(opts.keep, `callgrind.${id}.${framework}.${impl}.${instances}`) : null;
            const s = await perRequest(node, flags, framework, impl, instances, keepAs);
            samples[impl].push(s);
            console.error(`  ${version} ${framework} ${impl} x${instances} #${r + 1}: ${s.perRequest.toFixed(0)} instr/request (W ${s.base}, W+N ${s.full}; ${((Date.now() - started) / 60000).toFixed(1)} min)`);
          }
        }
        const row = {
          config: id, node: `${version}${flags.length ? ` ${flags.join(' ')}` : ''}`, framework, instances,
          warmup: opts.warmup, requests: opts.requests,
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
  console.log(`Server instructions per HTTP request (callgrind; W=${opts.warmup} warm-up + N=${opts.requests} sequential keep-alive requests, median of ${opts.repeat}, range in parentheses), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Ratios > 1: ours executes fewer.\n`);
  console.log(out.join('\n'));
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(rows, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
