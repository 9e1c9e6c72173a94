'use strict';
// Server instructions per request under valgrind's callgrind: the counting
// machinery shared by benchmark/http-instructions.js and
// benchmark/stacks/run.js (method and its history: the header of
// http-instructions.js and benchmark/README.md).
//
// A server started under callgrind prints one JSON line { port } on stdout
// and exits (code 0) as soon as its n-th response is on the socket
// (FAH_HTTP_EXIT_AFTER=<n>). The driver, outside valgrind, sends requests
// one after another over ONE keep-alive connection to 127.0.0.1 and checks
// each response with the caller's `request(agent, port, i)`.
//
// mode 'ctl': start-up and `warmup` requests run uninstrumented
// (--instr-atstart=no), then `callgrind_control -i on` and NUDGES requests
// that wake the server up so it reads the command; a count is
// (run with warmup + NUDGES + N requests − run with warmup + NUDGES) / N.
// mode 'subtract': everything instrumented, (warmup + N − warmup) / N.

const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const RUN_TIMEOUT_MS = 20 * 60 * 1000; // per valgrind run
const REQUEST_TIMEOUT_MS = 60 * 1000; // per request (valgrind is ~50x slower)
const NUDGES = 3; // ctl mode: requests sent after `callgrind_control -i on`, in both runs

function instrumentationOn(pid) {
  return new Promise((resolve, reject) => {
    execFile('callgrind_control', ['-i', 'on', String(pid)], { timeout: 120000 }, (err, stdout) => {
      if (err || !/OK/.test(stdout)) reject(new Error(`callgrind_control -i on ${pid} failed: ${err ? err.message : stdout}`));
      else resolve();
    });
  });
}

// One GET over `agent`; resolves { status, body, headers }.
function get(agent, port, urlPath, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('request timeout')));
  });
}

// opts: { mode: 'ctl'|'subtract', warmup, requests }.
// Returns { perRequest(server, keepAs), cleanup() } where server is
// { node, args (node flags + script + its arguments), env, label,
//   request(agent, port, i) -> Promise (rejects on a wrong response),
//   perfMap (optional): run node with --perf-basic-prof and keep V8's map of
//   JIT code as <out file>.perf.map, so the annotator can name the JS
//   functions callgrind only knows as ???:0x<address> (attribution runs
//   only: the map costs a write per compiled code object) }.
function createCounter(opts) {
  const live = new Set();
  const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fah-callgrind-'));
  function cleanup() {
    for (const c of live) { try { c.kill('SIGKILL'); } catch {} }
    try { fs.rmSync(tmpdir, { recursive: true, force: true }); } catch {}
  }

  // ctlPid: switch instrumentation on after opts.warmup requests; callgrind
  // reads the command only while the server runs guest code (an idle server
  // sits in epoll_wait), so the command is sent first and the next request
  // (the first nudge) wakes the server up; it must have been acknowledged
  // before the last nudge is sent.
  async function drive(server, port, total, ctlPid) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let ack = null;
    let acked = false;
    try {
      for (let i = 0; i < total; i++) {
        if (ctlPid && i === opts.warmup) {
          ack = instrumentationOn(ctlPid).then(() => { acked = true; });
          ack.catch(() => {});
          await new Promise((r) => setTimeout(r, 300));
        }
        if (ctlPid && i === opts.warmup + NUDGES - 1) {
          await Promise.race([ack, new Promise((r) => setTimeout(r, 2000))]);
          if (!acked) throw new Error('callgrind did not acknowledge instrumentation on within the nudge requests');
        }
        await server.request(agent, port, i);
      }
    } finally {
      agent.destroy();
    }
  }

  // Starts the server under callgrind, sends its requests, waits for it to
  // exit; returns the collected instruction count.
  function count(server, measured, outFile) {
    const ctl = opts.mode === 'ctl';
    const total = ctl ? opts.warmup + NUDGES + measured : measured;
    return new Promise((resolve, reject) => {
      const child = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, ...(ctl ? ['--instr-atstart=no'] : []),
        server.node, '--no-concurrent-recompilation', ...(server.perfMap ? ['--perf-basic-prof'] : []), ...server.args], {
        env: { ...process.env, NODE_OPTIONS: '', ...server.env, FAH_HTTP_EXIT_AFTER: String(total) },
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
        drive(server, port, total, ctl ? child.pid : null).catch((err) => { failed = err; child.kill('SIGKILL'); });
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        live.delete(child);
        const m = /Collected : (\d+)/.exec(stderr);
        if (server.perfMap) {
          const map = `/tmp/perf-${child.pid}.map`;
          try { fs.renameSync(map, `${outFile}.perf.map`); } catch { try { fs.copyFileSync(map, `${outFile}.perf.map`); fs.rmSync(map); } catch {} }
        }
        if (failed) reject(failed);
        else if (code !== 0 || !m) reject(new Error(`callgrind run failed (${server.label} x${total}, exit ${code}):\n${stderr.slice(-2000)}`));
        else resolve(Number(m[1]));
      });
    });
  }

  // keepAs: a path prefix; when given, the callgrind output files of both
  // runs are kept as <keepAs>.base.out and <keepAs>.full.out (for
  // benchmark/lib/http-instructions-annotate.js).
  async function perRequest(server, keepAs) {
    const tmp = path.join(tmpdir, 'callgrind.out');
    const first = opts.mode === 'ctl' ? 0 : opts.warmup;
    const base = await count(server, first, keepAs ? `${keepAs}.base.out` : tmp);
    const full = await count(server, first + opts.requests, keepAs ? `${keepAs}.full.out` : tmp);
    fs.rmSync(tmp, { force: true });
    return { base, full, perRequest: (full - base) / opts.requests };
  }

  return { perRequest, cleanup };
}


module.exports = { createCounter, get, NUDGES };
