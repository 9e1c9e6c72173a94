#!/usr/bin/env node
'use strict';
// Runs the JS test suite (`__test__/*.test.js`) with Node's test runner on
// the Node that runs this script, or on NODE_BIN with extra NODE_FLAGS.
//   node scripts/run-tests.js [file-filter...]

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const dir = path.join(root, '__test__');
const filters = process.argv.slice(2);
const files = fs.readdirSync(dir)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => path.join('__test__', f));

const bin = process.env.NODE_BIN || process.execPath;
const flags = (process.env.NODE_FLAGS || '').split(' ').filter(Boolean);
// --expose-gc lets the GC tests prove collectability; each file runs in its
// own process, so one file's globals never leak into another's.
const args = [...flags, '--expose-gc', '--test', '--test-reporter=spec', ...files];
const result = spawnSync(bin, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
process.exit(result.status ?? 1);
