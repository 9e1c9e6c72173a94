#!/usr/bin/env node
'use strict';
// fast-async-hooks trace [options] -- <command> [args...]
//
// Runs <command> (typically `node app.js`) with resource tracking preloaded
// in every Node process it starts (NODE_OPTIONS --require), and when they
// exit prints where the timelines and leak reports went plus a short leak
// summary. Exit status is the command's.

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const USAGE = `usage: fast-async-hooks trace [options] -- <command> [args...]

Runs <command> with async resource tracking and writes, per Node process,
  <out>/trace-<pid>.json  Chrome trace events (open in Perfetto or chrome://tracing)
  <out>/leaks-<pid>.json  resources still alive long after their request ended

options:
  --out <dir>          output directory (default ./fast-async-hooks-trace)
  --promises           track promises too
  --stacks             capture creation stacks (slower)
  --leak-ms <n>        leak age threshold in ms (default 1000)
  --max-events <n>     timeline ring size (default 100000)
  -h, --help           this text

Without the CLI: FAST_ASYNC_HOOKS_TRACE=<dir> node -r fast-async-hooks/trace app.js`;

function fail(message) {
  process.stderr.write(`fast-async-hooks: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv) {
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(command === undefined ? 2 : 0);
  }
  if (command !== 'trace') fail(`unknown command '${command}'`);
  const opts = { out: 'fast-async-hooks-trace', promises: false, stacks: false, leakMs: null, maxEvents: null, cmd: null };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) fail(`${a} needs a value`);
      return rest[++i];
    };
    const count = () => {
      const v = value();
      if (!/^\d+$/.test(v)) fail(`${a} must be a non-negative integer, got '${v}'`);
      return v;
    };
    if (a === '--') { opts.cmd = rest.slice(i + 1); break; }
    else if (a === '--out') opts.out = value();
    else if (a === '--promises') opts.promises = true;
    else if (a === '--stacks') opts.stacks = true;
    else if (a === '--leak-ms') opts.leakMs = count();
    else if (a === '--max-events') opts.maxEvents = count();
    else if (a === '-h' || a === '--help') { process.stdout.write(`${USAGE}\n`); process.exit(0); }
    else fail(`unknown option '${a}'`);
  }
  if (!opts.cmd || opts.cmd.length === 0) fail('missing -- <command>');
  return opts;
}

function summarize(dir, pids) {
  const lines = [];
  for (const pid of pids) {
    const file = path.join(dir, `leaks-${pid}.json`);
    let doc;
    try {
      doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const byType = new Map();
    for (const leak of doc.leaks) byType.set(leak.type, (byType.get(leak.type) || 0) + 1);
    const parts = [...byType].map(([type, n]) => `${n} ${type}`).join(', ');
    const requests = new Set(doc.leaks.map((l) => l.requestId)).size;
    lines.push(`  pid ${pid}: ${doc.leaks.length} leaked resource(s)` +
      (doc.leaks.length ? ` in ${requests} request(s): ${parts}` : '') +
      `; trace-${pid}.json, leaks-${pid}.json`);
  }
  return lines;
}

function main() {
  const opts = parse(process.argv.slice(2));
  const dir = path.resolve(opts.out);
  fs.mkdirSync(dir, { recursive: true });
  const before = new Set(fs.readdirSync(dir));
  const preload = path.join(__dirname, '..', 'lib', 'tracker', 'trace.js');
  const env = {
    ...process.env,
    FAST_ASYNC_HOOKS_TRACE: dir,
    FAST_ASYNC_HOOKS_TRACE_QUIET: '1',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS || ''} --require ${JSON.stringify(preload)}`.trim(),
  };
  if (opts.promises) env.FAST_ASYNC_HOOKS_TRACE_PROMISES = '1';
  if (opts.stacks) env.FAST_ASYNC_HOOKS_TRACE_STACKS = '1';
  if (opts.leakMs !== null) env.FAST_ASYNC_HOOKS_TRACE_LEAK_MS = opts.leakMs;
  if (opts.maxEvents !== null) env.FAST_ASYNC_HOOKS_TRACE_MAX_EVENTS = opts.maxEvents;

  const child = spawn(opts.cmd[0], opts.cmd.slice(1), { stdio: 'inherit', env });
  const forward = (signal) => () => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward(signal));
  child.on('error', (err) => {
    process.stderr.write(`fast-async-hooks: cannot run '${opts.cmd[0]}': ${err.message}\n`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    const pids = fs.readdirSync(dir)
      .filter((f) => !before.has(f) && /^leaks-\d+\.json$/.test(f))
      .map((f) => f.slice(6, -5));
    const lines = summarize(dir, pids);
    process.stderr.write(`fast-async-hooks trace: ${lines.length} process(es) traced into ${dir}\n${lines.join('\n')}${lines.length ? '\n' : ''}`);
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });
}

main();
