'use strict';
// ESM `import { ... } from 'fast-async-hooks'` must find every named export
// (Node detects them in the CommonJS entry), and loading the package must
// not create an AsyncLocalStorage of its own.

const { test } = require('node:test');
const assert = require('node:assert');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const flags = process.execArgv.filter((a) => !a.startsWith('--test'));

function run(args) {
  const r = spawnSync(process.execPath, [...flags, ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 30_000,
  });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('named ESM imports work and carry context', () => {
  const out = run([path.join(__dirname, 'fixtures', 'esm', 'named-imports.mjs')]);
  assert.deepStrictEqual(out, {
    seen: 'esm',
    resourceIsBuiltin: true,
    createHookIsBuiltin: true,
    types: ['function', 'function'],
    native: require('../package.json').version,
  });
});

test('loading the package leaves promise tracking as the built-in leaves it', () => {
  // With no AsyncLocalStorage created, no promise hook is on: a promise
  // continuation runs with executionAsyncId() 0 on every mechanism.
  const probe = `
    const before = [];
    Promise.resolve().then(() => before.push(require('node:async_hooks').executionAsyncId()));
    setImmediate(() => {
      require(${JSON.stringify(ROOT)});
      Promise.resolve().then(() => process.stdout.write(JSON.stringify({ before, after: require('node:async_hooks').executionAsyncId() })));
    });`;
  const out = run(['-e', probe]);
  assert.deepStrictEqual(out, { before: [0], after: 0 });
});
