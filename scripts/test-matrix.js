#!/usr/bin/env node
'use strict';
// Runs the JS suite on every supported configuration: Node 20, 22, 24, 26
// with their default context mechanism, plus Node 24/26 with
// --no-async-context-frame and Node 22 with --experimental-async-context-frame.

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

const bins = resolveMajors();
const only = process.argv.slice(2);
const results = [];
for (const { major, flags } of CONFIGS) {
  const label = `node ${major}${flags.length ? ' ' + flags.join(' ') : ''}`;
  console.log(`\n=== ${label} ===`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, 'run-tests.js'), ...only], {
    stdio: 'inherit',
    env: { ...process.env, NODE_BIN: bins[major], NODE_FLAGS: flags.join(' ') },
  });
  results.push({ label, ok: r.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
console.log('\nconfiguration summary:');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.label} (${r.seconds}s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
