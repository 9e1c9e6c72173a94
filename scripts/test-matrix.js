#!/usr/bin/env node
'use strict';
// Runs the JS suite on every supported configuration: Node 20, 22, 24, 26
// with their default context mechanism, plus Node 24/26 with
// --no-async-context-frame and Node 22 with --experimental-async-context-frame.
// The AsyncContextFrame configurations also run the behavioural suites with
// FAST_ASYNC_HOOKS_PORTABLE=1, the engine's path without direct frame
// access (lib/async_hooks/frame_access.js), which must behave the same.

const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { resolveMajors } = require('./node-majors');

const CONFIGS = [
  { major: 20, flags: [] },
  { major: 22, flags: [] },
  { major: 22, flags: ['--experimental-async-context-frame'] },
  { major: 24, flags: [] },
  { major: 24, flags: ['--no-async-context-frame'] },
  { major: 26, flags: [] },
  { major: 26, flags: ['--no-async-context-frame'] },
];
const PORTABLE_FILES = ['conformance', 'side-by-side', 'register', 'gc', 'frame-access'];
for (const { major, flags } of CONFIGS.filter(({ major, flags }) =>
  (major >= 24 && flags.length === 0) || flags.includes('--experimental-async-context-frame'))) {
  CONFIGS.push({ major, flags, env: { FAST_ASYNC_HOOKS_PORTABLE: '1' }, files: PORTABLE_FILES });
}

const bins = resolveMajors();
const only = process.argv.slice(2);
const results = [];
for (const { major, flags, env = {}, files } of CONFIGS) {
  const filters = files ? (only.length ? files.filter((f) => only.some((x) => f.includes(x) || x.includes(f))) : files) : only;
  if (files && filters.length === 0) continue;
  const label = `node ${major}${flags.length ? ' ' + flags.join(' ') : ''}` +
    Object.entries(env).map(([k, v]) => ` ${k}=${v}`).join('');
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, 'run-tests.js'), ...filters], {
    stdio: 'inherit',
    env: { ...process.env, ...env, NODE_BIN: bins[major], NODE_FLAGS: flags.join(' ') },
  });
  results.push({ label, ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
console.log('\nconfiguration summary:');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.label} (${r.seconds}s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
