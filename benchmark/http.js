#!/usr/bin/env node
'use strict';
// HTTP benchmark: Express and Koa servers whose middleware runs every request
// in a context, with the built-in AsyncLocalStorage, ours, cls-hooked
// (Express only) and, when register.js exists, the built-in code path under
// `node -r ./register.js`. Each server is its own process on 127.0.0.1
// port 0; load comes from autocannon in THIS process (the driver).
//
//   node benchmark/http.js [--duration 5] [--rounds 3] [--connections 10]
//        [--warmup 2] [--frameworks express,koa] [--instances 1,5] [--json <file>]
//
// Runs are bounded: every autocannon run lasts --duration seconds, every
// server exits when this driver disconnects (or after 15 minutes).

const { fork } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { median, ratio, fmtNum, fmtRatio, markdownTable } = require('./lib/stats');
const { ROOT } = require('./lib/impls');

const SERVER = path.join(__dirname, 'lib', 'http-server.js');
const REGISTER = path.join(ROOT, 'register.js');

function parseArgs(argv) {
  const o = { duration: 5, rounds: 3, connections: 10, warmup: 2, frameworks: ['express', 'koa'], instances: [1, 5], json: null, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--duration') o.duration = Number(next());
    else if (a === '--rounds') o.rounds = Number(next());
    else if (a === '--connections') o.connections = Number(next());
    else if (a === '--warmup') o.warmup = Number(next());
    else if (a === '--frameworks') o.frameworks = next().split(',');
    else if (a === '--instances') o.instances = next().split(',').map(Number);
    else if (a === '--json') o.json = next();
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node benchmark/http.js [--duration s] [--rounds n] [--connections n] [--warmup s] [--frameworks express,koa] [--instances 1,5] [--json file]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(o.duration > 0 && o.duration <= 60)) throw new Error('--duration must be in (0, 60] seconds');
  if (!(o.rounds >= 1 && o.rounds <= 10)) throw new Error('--rounds must be 1..10');
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (...a) => { if (!opts.quiet) console.error(...a); };

function startServer(framework, impl, instances) {
  const execArgv = [...process.execArgv];
  if (impl === 'register') execArgv.push('-r', REGISTER);
  const child = fork(SERVER, [framework, impl, String(instances)], {
    execArgv,
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`${framework}/${impl} did not start`)); }, 20000);
    child.once('message', (m) => { clearTimeout(timer); resolve({ child, port: m.port, framework, impl, instances }); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${framework}/${impl} exited with ${code}`)); });
  });
}

let cpuSeq = 0;
// CPU time (user + system, microseconds) the server process has used so far.
function serverCpu(server) {
  const seq = ++cpuSeq;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no cpu reply')), 5000);
    const onMessage = (m) => {
      if (m && m.type === 'cpu' && m.seq === seq) {
        clearTimeout(timer);
        server.child.off('message', onMessage);
        resolve(m.usage.user + m.usage.system);
      }
    };
    server.child.on('message', onMessage);
    server.child.send({ type: 'cpu', seq });
  });
}

function get(port, id) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers: { 'x-request-id': id } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
  });
}

// Correctness before load: 50 concurrent requests, each must get its own id
// back from the store after the awaits.
async function verify(server) {
  const ids = Array.from({ length: 50 }, (_, i) => `check-${server.impl}-${i}`);
  const res = await Promise.all(ids.map((id) => get(server.port, id)));
  res.forEach((r, i) => {
    let id;
    try { id = JSON.parse(r.body).id; } catch { id = undefined; }
    if (r.status !== 200 || id !== ids[i]) {
      throw new Error(`${server.framework}/${server.impl}: request ${ids[i]} got ${r.status} ${r.body}`);
    }
  });
}

function load(port, duration) {
  const autocannon = require('autocannon');
  return new Promise((resolve, reject) => {
    autocannon({
      url: `http://127.0.0.1:${port}/`,
      connections: opts.connections,
      duration,
      headers: { 'x-request-id': 'bench' },
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function rotate(list, r) {
  return list.map((_, k) => list[(k + r) % list.length]);
}

async function main() {
  const started = Date.now();
  const hasRegister = fs.existsSync(REGISTER);
  const groups = [];
  for (const framework of opts.frameworks) {
    for (const instances of opts.instances) {
      const impls = ['builtin', 'ours'];
      if (framework === 'express') impls.push('cls');
      if (hasRegister) impls.push('register');
      groups.push({ framework, instances, impls, reqs: {}, cpuPerReq: {}, latency: {}, errors: {}, median: {}, cpuMedian: {} });
    }
  }
  let driverWarm = false;
  for (const g of groups) {
    log(`${g.framework}, ${g.instances} instance(s): ${g.impls.join(', ')}`);
    const servers = [];
    try {
      for (const impl of g.impls) servers.push(await startServer(g.framework, impl, g.instances));
      for (const s of servers) {
        await verify(s);
        g.reqs[s.impl] = [];
        g.latency[s.impl] = [];
        g.cpuPerReq[s.impl] = [];
        g.errors[s.impl] = 0;
      }
      if (opts.warmup > 0) {
        // autocannon itself needs JIT warm-up too: once, against the first server
        if (!driverWarm) { await load(servers[0].port, opts.warmup * 2); driverWarm = true; }
        for (const s of servers) await load(s.port, opts.warmup);
      }
      for (let r = 0; r < opts.rounds; r++) {
        for (const s of rotate(servers, r)) {
          const cpu0 = await serverCpu(s);
          const res = await load(s.port, opts.duration);
          const cpu1 = await serverCpu(s);
          g.reqs[s.impl].push(res.requests.average);
          g.cpuPerReq[s.impl].push(res.requests.total ? (cpu1 - cpu0) / res.requests.total : null);
          g.latency[s.impl].push(res.latency.p99);
          g.errors[s.impl] += res.errors + res.timeouts + res.non2xx;
          log(`  round ${r + 1}/${opts.rounds} ${s.impl}: ${Math.round(res.requests.average)} req/s, ${((cpu1 - cpu0) / res.requests.total).toFixed(1)} µs server CPU/req`);
        }
      }
      for (const s of servers) await verify(s);
    } finally {
      for (const s of servers) s.child.kill();
    }
    for (const impl of g.impls) {
      g.median[impl] = median(g.reqs[impl]);
      g.cpuMedian[impl] = median(g.cpuPerReq[impl]);
    }
    g.cpuBuiltinOverOurs = ratio(g.cpuMedian.builtin, g.cpuMedian.ours);
    g.latencyP99Median = Object.fromEntries(g.impls.map((i) => [i, median(g.latency[i])]));
    g.oursOverBuiltin = ratio(g.median.ours, g.median.builtin);
    g.oursOverCls = ratio(g.median.ours, g.median.cls);
    g.registerOverBuiltin = ratio(g.median.register, g.median.builtin);
  }
  const result = {
    tool: 'benchmark/http.js',
    date: new Date().toISOString(),
    node: process.version,
    flags: process.execArgv,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    loadavg: os.loadavg(),
    options: { duration: opts.duration, rounds: opts.rounds, connections: opts.connections, warmup: opts.warmup },
    hasRegister,
    seconds: (Date.now() - started) / 1000,
    groups,
  };
  const flagText = process.execArgv.length ? ` ${process.execArgv.join(' ')}` : '';
  console.log(`\nfast-async-hooks HTTP benchmark - node ${process.version}${flagText} - ${result.date}`);
  console.log(`req/s medians of ${opts.rounds} interleaved ${opts.duration} s autocannon runs, ${opts.connections} connections; ratios > 1 mean ours serves more; server CPU µs/req = server process CPU time / requests served\n`);
  console.log(httpTable(result));
  if (opts.json) {
    fs.mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
    fs.writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
    log(`\nwrote ${opts.json}`);
  }
}

function httpTable(res) {
  const header = ['server', 'built-in req/s', 'ours req/s', 'cls-hooked req/s', 'register req/s', 'ours/built-in', 'ours/cls-hooked', 'register/built-in',
    'server CPU µs/req built-in', 'ours', 'cls-hooked', 'register', 'built-in/ours CPU', 'errors'];
  const rows = res.groups.map((g) => {
    const name = `${g.framework}, ${g.instances} instance${g.instances > 1 ? 's' : ''}`;
    const v = (k) => (g.median[k] == null ? '–' : fmtNum(g.median[k]));
    const c = (k) => (g.cpuMedian && g.cpuMedian[k] != null ? fmtNum(g.cpuMedian[k]) : '–');
    const errors = Object.values(g.errors).reduce((a, b) => a + b, 0);
    return [name, v('builtin'), v('ours'), v('cls'), v('register'),
      fmtRatio(g.oursOverBuiltin), fmtRatio(g.oursOverCls), fmtRatio(g.registerOverBuiltin),
      c('builtin'), c('ours'), c('cls'), c('register'), fmtRatio(g.cpuBuiltinOverOurs), String(errors)];
  });
  return markdownTable(header, rows);
}

module.exports = { httpTable };

if (require.main === module) {
  main().catch((err) => {
    console.error(err && err.stack || err);
    process.exit(1);
  });
}
