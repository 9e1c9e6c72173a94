'use strict';
// Preload: `node -r fast-async-hooks/trace app.js` (the CLI
// `fast-async-hooks trace -- node app.js` sets it up). Tracks resources for
// the whole process and, when it ends, writes into the directory named by
// FAST_ASYNC_HOOKS_TRACE (default ./fast-async-hooks-trace):
//   trace-<pid>.json   Chrome trace events (Perfetto, chrome://tracing)
//   leaks-<pid>.json   leak report + tracker stats
//
// Other settings (environment):
//   FAST_ASYNC_HOOKS_TRACE_PROMISES=1   track promises too
//   FAST_ASYNC_HOOKS_TRACE_STACKS=1     capture creation stacks
//   FAST_ASYNC_HOOKS_TRACE_LEAK_MS=n    leak age threshold (default 1000)
//   FAST_ASYNC_HOOKS_TRACE_MAX_EVENTS=n timeline ring size (default 100000)
//
// Output is written once: on 'beforeExit' (asynchronously, off the JS
// thread) when the event loop drains, else synchronously on 'exit'
// (process.exit()) or on SIGINT/SIGTERM when the app has no handler of its
// own (the signal is re-raised afterwards so the exit status is unchanged).

const fs = require('node:fs');
const path = require('node:path');
const { trackResources } = require('./index');

const env = process.env;
const dir = path.resolve(env.FAST_ASYNC_HOOKS_TRACE || 'fast-async-hooks-trace');
const flag = (name) => env[name] === '1' || env[name] === 'true';
const number = (name, fallback) => {
  const value = Number(env[name]);
  return env[name] !== undefined && env[name] !== '' && Number.isFinite(value) && value >= 0 ? value : fallback;
};
const leakMs = number('FAST_ASYNC_HOOKS_TRACE_LEAK_MS', 1000);

const tracker = trackResources({
  promises: flag('FAST_ASYNC_HOOKS_TRACE_PROMISES'),
  captureStacks: flag('FAST_ASYNC_HOOKS_TRACE_STACKS'),
  maxEvents: Math.floor(number('FAST_ASYNC_HOOKS_TRACE_MAX_EVENTS', 100_000)),
});

const tracePath = path.join(dir, `trace-${process.pid}.json`);
const leaksPath = path.join(dir, `leaks-${process.pid}.json`);
// 'idle' -> 'writing' (async, beforeExit) -> 'done'. An exit while the
// async write is still running writes again, synchronously, to a temporary
// name renamed over the target, so a half-written file never remains.
let state = 'idle';

function leakDocument() {
  return {
    pid: process.pid,
    argv: process.argv,
    node: process.version,
    olderThanMs: leakMs,
    generatedAt: new Date().toISOString(),
    stats: tracker.stats(),
    leaks: tracker.leakReport({ olderThanMs: leakMs }),
  };
}

function report(error) {
  process.stderr.write(`fast-async-hooks trace: ${error ? `could not write (${error.message})` : `wrote ${tracePath}`}\n`);
}

async function writeAsync() {
  if (state !== 'idle') return;
  state = 'writing';
  try {
    fs.mkdirSync(dir, { recursive: true });
    const leaks = leakDocument();
    tracker.stop();
    await tracker.writeTimeline(tracePath);
    if (state !== 'writing') return; // exit() overtook us and wrote both files
    fs.writeFileSync(leaksPath, JSON.stringify(leaks, null, 2) + '\n');
    state = 'done';
    if (env.FAST_ASYNC_HOOKS_TRACE_QUIET !== '1') report();
  } catch (err) {
    state = 'done';
    report(err);
  }
}

function writeSync() {
  if (state === 'done') return;
  state = 'done';
  try {
    fs.mkdirSync(dir, { recursive: true });
    const leaks = leakDocument();
    tracker.stop();
    const tmp = `${tracePath}.${process.pid}.tmp`;
    tracker.writeTimelineSync(tmp);
    fs.renameSync(tmp, tracePath);
    fs.writeFileSync(leaksPath, JSON.stringify(leaks, null, 2) + '\n');
    if (env.FAST_ASYNC_HOOKS_TRACE_QUIET !== '1') report();
  } catch (err) {
    report(err);
  }
}

process.once('beforeExit', () => { writeAsync(); });
process.once('exit', writeSync);

for (const signal of ['SIGINT', 'SIGTERM']) {
  const onSignal = () => {
    // Only stand in for the default action when nobody else handles it.
    if (process.listenerCount(signal) > 1) return;
    writeSync();
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  };
  process.on(signal, onSignal);
}

module.exports = { tracker, dir, tracePath, leaksPath };
