'use strict';
// CLI (`fast-async-hooks trace -- node app.js`) and the preload
// (`node -r fast-async-hooks/trace`): a real app on 127.0.0.1 leaves an
// interval behind in a request; the outputs name it.

const { test } = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'bin', 'fast-async-hooks.js');
const APP = path.join(__dirname, 'fixtures', 'tracker', 'leaky-app.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-cli-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

// The test runner's own NODE_OPTIONS/flags must not leak into the app.
const baseEnv = { ...process.env, NODE_OPTIONS: '' };

function outputsOf(out) {
  const files = fs.readdirSync(out);
  const leaks = files.filter((f) => /^leaks-\d+\.json$/.test(f));
  const traces = files.filter((f) => /^trace-\d+\.json$/.test(f));
  assert.strictEqual(leaks.length, 1, files.join(','));
  assert.strictEqual(traces.length, 1, files.join(','));
  return {
    leaks: JSON.parse(fs.readFileSync(path.join(out, leaks[0]), 'utf8')),
    trace: JSON.parse(fs.readFileSync(path.join(out, traces[0]), 'utf8')),
  };
}

function checkLeak(stdout, leaks, trace) {
  const requestId = /request-id (\S+)/.exec(stdout)?.[1];
  assert.ok(requestId, stdout);
  const interval = leaks.leaks.find((l) => l.type === 'Timeout' && /setInterval/.test(l.stack) && /leaky-app\.js/.test(l.stack));
  assert.ok(interval, JSON.stringify(leaks.leaks, null, 2));
  assert.strictEqual(interval.requestId, requestId);
  assert.ok(leaks.leaks.every((l) => l.requestId === requestId));
  assert.ok(Array.isArray(trace.traceEvents) && trace.traceEvents.length > 0);
  assert.ok(trace.traceEvents.some((e) => e.ph === 'X' && e.args.requestId === requestId));
  assert.ok(trace.traceEvents.some((e) => e.ph === 'i' && e.cat === 'request' && e.args.requestId === requestId));
}

test('trace -- node app.js writes a timeline and a leak report when the app ends on its own', () => {
  const out = path.join(dir, 'natural');
  const r = spawnSync(process.execPath, [CLI, 'trace', '--out', out, '--leak-ms', '0', '--stacks', '--', process.execPath, APP],
    { env: baseEnv, encoding: 'utf8', timeout: 60_000 });
  assert.strictEqual(r.status, 0, r.stderr);
  const { leaks, trace } = outputsOf(out);
  checkLeak(r.stdout, leaks, trace);
  assert.match(r.stderr, /1 process\(es\) traced/);
  assert.match(r.stderr, /leaked resource/);
  assert.strictEqual(leaks.olderThanMs, 0);
});

test('process.exit() in the app still writes both files, and the exit status passes through', () => {
  const out = path.join(dir, 'exit');
  const r = spawnSync(process.execPath, [CLI, 'trace', '--out', out, '--leak-ms', '0', '--stacks', '--', process.execPath, APP],
    { env: { ...baseEnv, EXIT_MODE: 'exit' }, encoding: 'utf8', timeout: 60_000 });
  assert.strictEqual(r.status, 3, r.stderr);
  const { leaks, trace } = outputsOf(out);
  checkLeak(r.stdout, leaks, trace);
});

test('node -r fast-async-hooks/trace with FAST_ASYNC_HOOKS_TRACE works without the CLI', () => {
  const out = path.join(dir, 'preload');
  const r = spawnSync(process.execPath, ['-r', 'fast-async-hooks/trace', APP], {
    cwd: ROOT, // resolves the package by its own name (exports self-reference)
    env: { ...baseEnv, FAST_ASYNC_HOOKS_TRACE: out, FAST_ASYNC_HOOKS_TRACE_LEAK_MS: '0', FAST_ASYNC_HOOKS_TRACE_STACKS: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.strictEqual(r.status, 0, r.stderr);
  const { leaks, trace } = outputsOf(out);
  checkLeak(r.stdout, leaks, trace);
  assert.match(r.stderr, /fast-async-hooks trace: wrote/);
});

test('SIGTERM to an app without its own handler still writes both files; the signal ends it as usual', async () => {
  const { spawn } = require('node:child_process');
  const out = path.join(dir, 'signal');
  const app = path.join(__dirname, 'fixtures', 'tracker', 'waiting-app.js');
  const child = spawn(process.execPath, ['-r', path.join(ROOT, 'lib', 'tracker', 'trace.js'), app], {
    env: { ...baseEnv, FAST_ASYNC_HOOKS_TRACE: out, FAST_ASYNC_HOOKS_TRACE_LEAK_MS: '0', FAST_ASYNC_HOOKS_TRACE_STACKS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.strictEqual(signal, 'SIGTERM', `code ${code}: ${stderr}`);
  const { leaks, trace } = outputsOf(out);
  const requestId = /ready (\S+)/.exec(stdout)[1];
  const interval = leaks.leaks.find((l) => /setInterval/.test(l.stack) && /waiting-app\.js/.test(l.stack));
  assert.ok(interval, JSON.stringify(leaks.leaks, null, 2));
  assert.strictEqual(interval.requestId, requestId);
  assert.ok(trace.traceEvents.some((e) => e.ph === 'X'));
});

test('bad CLI usage exits with status 2 and the usage text', () => {
  for (const args of [['trace'], ['trace', '--out'], ['bogus', '--', 'node'], ['trace', '--leak-ms', 'x', '--', 'node']]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { env: baseEnv, encoding: 'utf8' });
    assert.strictEqual(r.status, 2, args.join(' '));
    assert.match(r.stderr, /usage: fast-async-hooks trace/);
  }
  const help = spawnSync(process.execPath, [CLI, '--help'], { env: baseEnv, encoding: 'utf8' });
  assert.strictEqual(help.status, 0);
  assert.match(help.stdout, /Perfetto/);
});
